using System.Collections.Generic;
using System.Linq;
using RoutingSdk.Planning;

namespace RoutingSdk.Generators.Model;

/// <summary>How a task's answer becomes its result.</summary>
internal enum ResultKind
{
    Text,
    Enum,
    Json,
}

/// <summary>One containing type of a task method, outermost first.</summary>
internal sealed record ContainingTypeInfo(string Keyword, string Name, string TypeParameters, bool IsStatic, bool IsAbstract, bool IsAccessible);

/// <summary>One parameter of a task method.</summary>
internal sealed record ParameterInfo(string Name, string Type, string Modifier, bool IsString, bool IsCancellationToken);

/// <summary>Where one attribute argument (a Planner finding's target) sits in the source.</summary>
internal sealed record TargetLocation(FindingTarget Target, LocationInfo Location);

/// <summary>A part of the prompt: literal text or a parameter name.</summary>
internal sealed record PromptPart(string Text, bool IsParameter);

/// <summary>
/// Everything the generator needs about one [RoutedTask] method, as plain values: no symbols, no syntax,
/// so the incremental pipeline can cache it.
/// </summary>
internal sealed record TaskModel(
    string Namespace,
    EquatableArray<ContainingTypeInfo> ContainingTypes,
    string MethodName,
    string Modifiers,
    string ReturnType,
    string ResultType,
    ResultKind ResultKind,
    bool ReturnsValueTask,
    EquatableArray<ParameterInfo> Parameters,
    string? RouterAccess,
    EquatableArray<PromptPart> Prompt,
    string? Instructions,
    TaskSpec Spec,
    LocationInfo? MethodLocation,
    EquatableArray<TargetLocation> Targets,
    EquatableArray<DiagnosticInfo> Diagnostics,
    bool CanEmitBody,
    string? Justification = null)
{
    /// <summary>The fully qualified name of the containing type, for hint names and grouping.</summary>
    public string TypeKey => (Namespace.Length == 0 ? "" : Namespace + ".") + string.Join(".", ContainingTypes.Select(t => t.Name + t.TypeParameters));

    /// <summary>The validator as a C# expression of type <c>Func&lt;TResult, double&gt;</c>, or null (see <see cref="ValidatorReader"/>).</summary>
    public string? Validator { get; init; }

    /// <summary>Whether the body can route (no usage error).</summary>
    public bool IsValid => Diagnostics.Count == 0;

    /// <summary>Where a Planner finding about this task goes: its argument, else the Tier argument, else the method name.</summary>
    public LocationInfo? LocationOf(FindingTarget target)
    {
        LocationInfo? tier = null;
        foreach (var t in Targets)
        {
            if (t.Target == target) return t.Location;
            if (t.Target == FindingTarget.Tier) tier = t.Location;
        }

        return tier ?? MethodLocation;
    }
}

/// <summary>The assembly's tier catalog as declared by [assembly: ModelTier], with any declaration problems.</summary>
internal sealed record CatalogModel(bool Declared, EquatableArray<TierSpec> Tiers, EquatableArray<DiagnosticInfo> Diagnostics)
{
    public static readonly CatalogModel BuiltIn = new(false, TierCatalog.BuiltIn.Tiers.ToEquatableArray(), EquatableArray<DiagnosticInfo>.Empty);

    public TierCatalog ToCatalog() => Declared ? new TierCatalog(Tiers) : TierCatalog.BuiltIn;

    /// <summary>
    /// The catalog of an assembly from its [assembly: ModelTier] attributes (the built-in one when there are none),
    /// with RSDK0007 for a nameless tier and for every problem <see cref="TierCatalog.Validate"/> finds.
    /// </summary>
    public static CatalogModel Build(IEnumerable<DeclaredTier> declared)
    {
        var tiers = declared.Distinct().ToArray();
        if (tiers.Length == 0) return BuiltIn;

        var location = tiers.Select(t => t.Location).FirstOrDefault(l => l is not null);
        var diagnostics = new List<DiagnosticInfo>();
        foreach (var tier in tiers.Where(t => t.Tier is null))
            diagnostics.Add(new DiagnosticInfo("RSDK0007", tier.Location, "a [ModelTier] attribute needs a tier name"));

        var catalog = new TierCatalog(tiers.Where(t => t.Tier is not null).Select(t => t.Tier!));
        foreach (var problem in catalog.Validate())
            diagnostics.Add(new DiagnosticInfo("RSDK0007", location, "the tier catalog is invalid: " + problem));

        return new CatalogModel(true, catalog.Tiers.ToEquatableArray(), diagnostics.ToEquatableArray());
    }
}

/// <summary>One [assembly: ModelTier] as read, with where it was written.</summary>
internal sealed record DeclaredTier(TierSpec? Tier, LocationInfo? Location);

/// <summary>A task with its plan and every diagnostic about it (usage errors and Planner findings).</summary>
internal sealed record PlannedTask(TaskModel Task, TaskPlan? Plan, CatalogModel Catalog, EquatableArray<DiagnosticInfo> Diagnostics)
{
    /// <summary>
    /// Plans a task on a catalog (unless the catalog is invalid), with the project's calibration where it names the
    /// task, and collects every diagnostic about it.
    /// </summary>
    public static PlannedTask Create(TaskModel task, CatalogModel catalog, CalibrationModel? calibration = null)
    {
        var plan = catalog.Diagnostics.Count == 0 ? Planner.Plan(task.Spec, catalog.ToCatalog(), calibration?.Calibration) : null;
        return new PlannedTask(task, plan, catalog, TaskDiagnostics.Collect(task, plan));
    }
}
