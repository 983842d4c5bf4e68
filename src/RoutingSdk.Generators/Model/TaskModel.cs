using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Linq;
using RoutingSdk.Planning;

namespace RoutingSdk.Generators.Model;

/// <summary>How a task's answer becomes its result.</summary>
internal enum ResultKind
{
    Text,
    Enum,
    /// <summary>A nullable enum (<c>Task&lt;TEnum?&gt;</c>): read by member name like an enum, never as JSON.</summary>
    NullableEnum,
    Json,
}

/// <summary>One containing type of a task method, outermost first.</summary>
internal sealed record ContainingTypeInfo(string Keyword, string Name, string TypeParameters, bool IsStatic, bool IsAbstract, bool IsAccessible);

/// <summary>One parameter of a task method.</summary>
internal sealed record ParameterInfo(string Name, string Type, string Modifier, bool IsString, bool IsCancellationToken);

/// <summary>
/// A task's validator: the method to call, qualified (<c>this.IsValid</c>, <c>global::Shop.Orders.IsValid</c>), and
/// whether it returns bool (true scores 1, false 0) rather than the score.
/// </summary>
internal sealed record ValidatorCall(string Target, bool ReturnsBool);

/// <summary>A part of the prompt: literal text or a parameter name.</summary>
internal sealed record PromptPart(string Text, bool IsParameter);

/// <summary>
/// Everything the generator needs about one [RoutedTask] method, as plain values: no symbols, no syntax, no
/// locations and no diagnostics, so the incremental pipeline can cache it and an edit that only moves the method
/// (a comment above it) leaves it equal. The diagnostics are the analyzer's (<see cref="Analyzers.RoutedTaskAnalyzer"/>).
/// </summary>
/// <param name="UsageErrors">
/// The IDs of the Parser's usage errors, in the order found (empty: none). The generator gives such a task a body
/// that throws and names them; where and why is the analyzer's to say.
/// </param>
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
    EquatableArray<string> UsageErrors,
    bool CanEmitBody,
    string? Justification = null)
{
    /// <summary>The validator the body passes to the router, or null (see <see cref="ValidatorReader"/>).</summary>
    public ValidatorCall? Validator { get; init; }

    /// <summary>Whether the body can route (no usage error).</summary>
    public bool IsValid => UsageErrors.Count == 0;
}

/// <summary>One [assembly: ModelTier] as read: the tier, or null when the attribute names none.</summary>
internal sealed record DeclaredTier(TierSpec? Tier)
{
    /// <summary>A price that is not a finite number or is above the largest supported one (RSDK0007), or null.</summary>
    public string? PriceProblem { get; init; }
}

/// <summary>The assembly's tier catalog as declared by [assembly: ModelTier], and whether it is valid (plans are made only on a valid one).</summary>
internal sealed record CatalogModel(bool Declared, EquatableArray<TierSpec> Tiers, bool IsValid)
{
    public static readonly CatalogModel BuiltIn = new(false, TierCatalog.BuiltIn.Tiers.ToEquatableArray(), true);

    public TierCatalog ToCatalog() => Declared ? new TierCatalog(Tiers) : TierCatalog.BuiltIn;

    /// <summary>
    /// The catalog of an assembly from its [assembly: ModelTier] attributes in declaration order (the built-in one when
    /// there are none). A nameless tier and every problem <see cref="TierCatalog.Validate"/> finds make it invalid; the
    /// analyzer passes <paramref name="problems"/> to learn which (the index of the attribute to report on, and the
    /// descriptor and its argument), the generator does not.
    /// </summary>
    public static CatalogModel Build(IReadOnlyList<DeclaredTier> declared, List<CatalogProblem>? problems = null)
    {
        if (declared.Count == 0) return BuiltIn;

        var valid = true;
        for (var i = 0; i < declared.Count; i++)
        {
            if (declared[i].PriceProblem is { } priceProblem)
            {
                valid = false;
                problems?.Add(new CatalogProblem(i, DiagnosticDescriptors.InvalidCatalog, priceProblem));
            }

            if (declared[i].Tier is { } tier)
            {
                // RSDK1004: a warning, not a reason to refuse the catalog.
                if (!tier.IsPriced) problems?.Add(new CatalogProblem(i, DiagnosticDescriptors.UnpricedTier, tier.Name));
                continue;
            }

            valid = false;
            problems?.Add(new CatalogProblem(i, DiagnosticDescriptors.NamelessTier, null));
        }

        var catalog = new TierCatalog(declared.Where(t => t.Tier is not null).Select(t => t.Tier!));
        foreach (var problem in catalog.Validate())
        {
            valid = false;
            // A problem of the whole catalog is reported on the first attribute.
            problems?.Add(new CatalogProblem(0, DiagnosticDescriptors.InvalidCatalog, problem));
        }

        return new CatalogModel(true, catalog.Tiers.ToEquatableArray(), valid);
    }
}

/// <summary>A problem of the tier catalog, for the analyzer: the attribute (by index) to report on, the descriptor and its argument.</summary>
internal sealed record CatalogProblem(int Index, Microsoft.CodeAnalysis.DiagnosticDescriptor Descriptor, string? Argument);

/// <summary>A task with its plan, and the catalog it was planned on.</summary>
internal sealed record PlannedTask(TaskModel Task, TaskPlan? Plan, CatalogModel Catalog)
{
    /// <summary>Plans a task on a catalog (unless the catalog is invalid), with the project's calibration where it names the task.</summary>
    public static PlannedTask Create(TaskModel task, CatalogModel catalog, CalibrationModel? calibration = null)
    {
        var plan = catalog.IsValid ? Planner.Plan(task.Spec, catalog.ToCatalog(), calibration?.Calibration) : null;
        return new PlannedTask(task, plan, catalog);
    }

    /// <summary>
    /// The IDs of the errors that keep the task from routing, each once: the Parser's usage errors, then the
    /// Planner's error findings (RSDK0xxx).
    /// </summary>
    public IEnumerable<string> ErrorIds()
    {
        var ids = new List<string>(Task.UsageErrors);
        if (Plan is not null)
        {
            foreach (var finding in Plan.Findings)
            {
                if (Task.Justification is not null && DiagnosticDescriptors.IsJustifiable(finding.Kind)) continue;
                ids.Add(DiagnosticDescriptors.For(finding.Kind).Id);
            }
        }

        return ids.Where(id => id.StartsWith("RSDK0", System.StringComparison.Ordinal)).Distinct();
    }
}

/// <summary>
/// Task names are unique in an assembly: the ledger, budgets and calibration entries are keyed by them. A name
/// (<c>Type.Method</c>) that two or more tasks would share (the same type name in two namespaces, overloads) is an
/// error, RSDK0010, on each of them (<see cref="Analyzers.TaskNameAnalysis"/> reports it); the generator gives each a
/// body that throws and no routing-table entry, so no two plans carry one name and the generated code still compiles.
/// </summary>
internal static class TaskNames
{
    /// <summary>The tasks with every task of a shared name marked with RSDK0010; the same array when no name is shared.</summary>
    public static ImmutableArray<PlannedTask> MarkDuplicates(ImmutableArray<PlannedTask> tasks, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            counts.TryGetValue(task.Task.Spec.TaskName, out var n);
            counts[task.Task.Spec.TaskName] = n + 1;
        }

        if (counts.Count == tasks.Length) return tasks;
        cancellationToken.ThrowIfCancellationRequested();
        var builder = ImmutableArray.CreateBuilder<PlannedTask>(tasks.Length);
        foreach (var task in tasks)
        {
            if (counts[task.Task.Spec.TaskName] < 2 || task.Task.UsageErrors.Contains(DiagnosticIds.DuplicateTaskName))
            {
                builder.Add(task);
                continue;
            }

            var errors = task.Task.UsageErrors.Concat(new[] { DiagnosticIds.DuplicateTaskName }).ToEquatableArray();
            builder.Add(task with { Task = task.Task with { UsageErrors = errors } });
        }

        return builder.MoveToImmutable();
    }
}
