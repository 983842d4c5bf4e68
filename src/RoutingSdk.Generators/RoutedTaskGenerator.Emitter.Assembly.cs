using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using RoutingSdk.Generators.Model;
using RoutingSdk.Planning;

namespace RoutingSdk.Generators;

/// <summary>
/// What spans the assembly: the routing table, the DI registration, and the public registration type through which an
/// application that references this assembly registers its tasks and lists its plans (see <see cref="ReferencedTasks"/>).
/// </summary>
internal static partial class Emitter
{
    /// <summary>The hint name of the assembly's public registration type and its assembly attributes.</summary>
    public const string RegistrationHintName = "RoutingSdk.RoutedTasksAssembly.g.cs";

    /// <summary>
    /// The routing table and the DI registration, when a task of this assembly is routable or a referenced assembly has
    /// routed tasks (an application without tasks of its own still gets <c>AddRoutedTasks()</c> and <c>RoutingTable.All</c>),
    /// unless, without tasks of its own, it sees a referenced assembly's internal ones (a test project with
    /// InternalsVisibleTo uses those); the public registration type when a task of this assembly is routable.
    /// </summary>
    public static void EmitAssembly(SourceProductionContext context, AssemblyTasks assembly, ReferencedTasks references)
    {
        if (assembly.Plans.Count == 0 && (references.Assemblies.Count == 0 || references.Assemblies.Any(a => a.SharesInternals))) return;
        context.AddSource("RoutingSdk.RoutingTable.g.cs", EmitTable(assembly, references));
        context.AddSource("RoutingSdk.ServiceCollectionExtensions.g.cs", EmitRegistration(assembly.Registered, references));
        if (assembly.Plans.Count > 0) context.AddSource(RegistrationHintName, EmitAssemblyRegistration(assembly, references.AssemblyName));
    }

    /// <summary>
    /// The name of the public registration type of the assembly <paramref name="assemblyName"/>: one per assembly, so
    /// that an application that references several libraries sees no two types of the same name.
    /// </summary>
    public static string RegistrationTypeName(string assemblyName)
        => "RoutedTasksOf_" + (assemblyName.Length == 0 ? "Assembly" : Sanitize(assemblyName));

    /// <summary>
    /// <c>[assembly: RoutedTasksAssembly(typeof(...), plans)]</c>, with every routable task's plan as one line of text
    /// (<see cref="PublishedPlans"/>: one string for the compiler to read, not an attribute per task), and the
    /// registration type: <c>Plans</c> (this assembly's plans only) and <c>Register</c> (this assembly's task classes only;
    /// the application's <c>AddRoutedTasks()</c> adds the runtime and calls each library's).
    /// </summary>
    private static string EmitAssemblyRegistration(AssemblyTasks assembly, string assemblyName)
    {
        var type = RegistrationTypeName(assemblyName);
        var w = Header(1024 + assembly.Plans.Count * 160);
        w.Line("[assembly: global::RoutingSdk.RoutedTasksAssembly(typeof(global::RoutingSdk.Generated." + type + "), @\"");
        foreach (var entry in assembly.Plans) PublishedPlans.Write(w, entry);
        w.Line("\")]");
        w.Line();
        w.Open("namespace RoutingSdk.Generated");
        w.Line("/// <summary>");
        w.Line("/// The routed tasks of this assembly for the applications that reference it: their generated <c>AddRoutedTasks()</c>");
        w.Line("/// calls <see cref=\"Register\"/> and their <c>RoutingTable.All</c> lists <see cref=\"Plans\"/>. Not for use in code.");
        w.Line("/// </summary>");
        w.Line(GeneratedCode);
        w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        w.Open("public static class " + type);
        w.Line("/// <summary>The plans of this assembly's routed tasks, ordered by task name.</summary>");
        w.Open("public static global::System.Collections.Generic.IReadOnlyList<global::RoutingSdk.RoutePlan> Plans { get; } = new global::RoutingSdk.RoutePlan[]");
        foreach (var entry in assembly.Plans) w.Line("global::RoutingSdk.Generated.RoutingTable." + entry.Member + ",");
        w.Close(";");
        w.Line();
        w.Line("/// <summary>Registers every class of this assembly that declares routed tasks (not the runtime: <c>AddRoutedTasks()</c> adds it).</summary>");
        w.Open("public static void Register(global::Microsoft.Extensions.DependencyInjection.IServiceCollection services)");
        foreach (var name in assembly.Registered) w.Line(TryAddTransient(name));
        w.Close();
        w.Close();
        w.Close();
        return w.ToString();
    }

    /// <summary>
    /// <c>All</c> when referenced assemblies have routed tasks: this assembly's plans, then each referenced assembly's, in
    /// assembly-name order.
    /// </summary>
    private static void EmitCombinedAll(IndentedWriter w, EquatableArray<TableEntry> tasks, ReferencedTasks references)
    {
        w.Line("/// <summary>");
        w.Line("/// One plan per routed task: this assembly's, ordered by task name, then those of "
            + Xml(string.Join(", ", references.Assemblies.Select(a => a.Name))) + ", each ordered by task name.");
        w.Line("/// </summary>");
        var referenced = string.Concat(references.Assemblies.Select(a => ", " + a.Registration + ".Plans")) + ");";
        const string all = "public static readonly global::System.Collections.Generic.IReadOnlyList<global::RoutingSdk.RoutePlan> All = " + CombineMember + "(";
        if (tasks.Count == 0)
        {
            w.Line(all + "global::System.Array.Empty<global::RoutingSdk.RoutePlan>()" + referenced);
        }
        else
        {
            w.Open(all + "new global::RoutingSdk.RoutePlan[]");
            foreach (var entry in tasks) w.Line(entry.Member + ",");
            w.Close(referenced);
        }
        w.Line();
        w.Open("private static global::RoutingSdk.RoutePlan[] " + CombineMember + "(params global::System.Collections.Generic.IReadOnlyList<global::RoutingSdk.RoutePlan>[] parts)");
        w.Line("var all = new global::System.Collections.Generic.List<global::RoutingSdk.RoutePlan>();");
        w.Line("foreach (var part in parts) all.AddRange(part);");
        w.Line("return all.ToArray();");
        w.Close();
    }

    /// <summary>The name of the routing table's helper that joins the plans of several assemblies (no task member takes it).</summary>
    internal const string CombineMember = "Combine";

    private static string TryAddTransient(string type)
        => "global::Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.TryAdd(services, global::Microsoft.Extensions.DependencyInjection.ServiceDescriptor.Transient(typeof(" + type + "), typeof(" + type + ")));";

    private static string EmitTable(AssemblyTasks assembly, ReferencedTasks references)
    {
        var tasks = assembly.Plans;
        var w = Header(2048 + tasks.Count * 320);
        w.Open("namespace RoutingSdk.Generated");
        w.Line(references.Assemblies.Count == 0
            ? "/// <summary>The compile-time plan of every routed task of this assembly.</summary>"
            : "/// <summary>The compile-time plan of every routed task of this assembly and of the assemblies it references.</summary>");
        w.Line(GeneratedCode);
        w.Open("internal static class RoutingTable");
        w.Line("/// <summary>The tier catalog the plans were made on.</summary>");
        w.Line("public static readonly global::RoutingSdk.Planning.TierCatalog Catalog = " + CatalogExpression(assembly.Catalog) + ";");
        w.Line();
        // One positional constructor call per plan, without a documentation comment (the task method has it): this file
        // holds a line per routed task, and the compiler binds each argument of it.
        foreach (var entry in tasks)
        {
            var plan = entry.Plan;
            var spec = entry.Spec;
            w.Start().Append("public static readonly global::RoutingSdk.RoutePlan ").Append(entry.Member).Append(" = new global::RoutingSdk.RoutePlan(")
                .Literal(spec.TaskName).Append(", global::RoutingSdk.TaskKind.").Append(spec.Kind.ToString())
                .Append(", global::RoutingSdk.Complexity.").Append(spec.Complexity.ToString()).Append(", Catalog, new[] { ");
            for (var i = 0; i < plan.Chain.Count; i++)
            {
                if (i > 0) w.Append(", ");
                w.Literal(plan.Chain[i]);
            }

            w.Append(" }, ").Number(plan.QualityThreshold).Append(", ").Number(plan.ProjectedQuality).Append(", ")
                .Number(plan.ProjectedUsdPerThousandCalls).Append(", ").Number(plan.AllFrontierUsdPerThousandCalls);
            // Only what differs from the constructor's defaults is written, by name: custom thresholds, an escalation other
            // than Cascade, acceptors (an acceptor's skip level only when it is not 0), the guardrail's baselines.
            var tail = new List<string>();
            if (plan.HasCustomThresholds) tail.Add("acceptanceThresholds: new double[] { " + string.Join(", ", plan.AcceptanceThresholds.Select(t => Number(t))) + " }");
            if (spec.Escalation != Escalation.Cascade) tail.Add("escalation: global::RoutingSdk.Escalation." + spec.Escalation);
            if (plan.Acceptors is { } acceptors)
            {
                tail.Add("acceptors: new global::RoutingSdk.Planning.Calibration.Acceptor[] { " + string.Join(", ", acceptors.Select(a =>
                    "new global::RoutingSdk.Planning.Calibration.Acceptor(" + Number(a.Bias) + ", new double[] { " + string.Join(", ", a.Weights.Select(Number)) + " }, "
                    + Number(a.MinProbability) + (a.SkipBelow != 0 ? ", " + Number(a.SkipBelow) : string.Empty) + ")")) + " }");
            }
            if (plan.AgreementBaselines is { } baselines)
                tail.Add("agreementBaselines: new double[] { " + string.Join(", ", baselines.Select(b => double.IsNaN(b) ? "global::System.Double.NaN" : Number(b))) + " }");
            w.End(tail.Count == 0 ? ");" : ",");
            for (var i = 0; i < tail.Count; i++) w.Line("    " + tail[i] + (i == tail.Count - 1 ? ");" : ","));
        }

        w.Line();
        if (references.Assemblies.Count == 0)
        {
            w.Line("/// <summary>One plan per routed task, ordered by task name.</summary>");
            w.Open("public static readonly global::System.Collections.Generic.IReadOnlyList<global::RoutingSdk.RoutePlan> All = new global::RoutingSdk.RoutePlan[]");
            foreach (var entry in tasks) w.Line(entry.Member + ",");
            w.Close(";");
        }
        else
        {
            EmitCombinedAll(w, tasks, references);
        }

        w.Close();
        w.Close();
        return w.ToString();
    }

    private static string EmitRegistration(EquatableArray<string> registered, ReferencedTasks references)
    {
        var w = Header();
        w.Open("namespace Microsoft.Extensions.DependencyInjection");
        w.Line(references.Assemblies.Count == 0
            ? "/// <summary>Registers the routed tasks of this assembly.</summary>"
            : "/// <summary>Registers the routed tasks of this assembly and of the assemblies it references.</summary>");
        w.Line(GeneratedCode);
        w.Open("internal static class RoutedTasksServiceCollectionExtensions");
        w.Line("/// <summary>");
        w.Line(references.Assemblies.Count == 0
            ? "/// Registers the RoutingSdk runtime (<c>AddRoutingSdk()</c>) and every class of this assembly that declares routed tasks."
            : "/// Registers the RoutingSdk runtime (<c>AddRoutingSdk()</c>) and every class that declares routed tasks, in this assembly and in "
              + Xml(string.Join(", ", references.Assemblies.Select(a => a.Name))) + ".");
        w.Line("/// Register one keyed <c>IChatClient</c> per tier as well: <c>services.AddKeyedChatClient(\"small\", client)</c>.");
        w.Line("/// </summary>");
        w.Open("public static global::Microsoft.Extensions.DependencyInjection.IServiceCollection AddRoutedTasks(this global::Microsoft.Extensions.DependencyInjection.IServiceCollection services)");
        w.Line("global::Microsoft.Extensions.DependencyInjection.RoutingServiceCollectionExtensions.AddRoutingSdk(services);");
        foreach (var name in registered)
        {
            w.Line(TryAddTransient(name));
        }

        foreach (var referenced in references.Assemblies) w.Line(referenced.Registration + ".Register(services);");
        w.Line("return services;");
        w.Close();
        w.Close();
        w.Close();
        return w.ToString();
    }

    private static string CatalogExpression(CatalogModel catalog)
    {
        if (!catalog.Declared) return "global::RoutingSdk.Planning.TierCatalog.BuiltIn";
        var tiers = catalog.Tiers.Select(t =>
            "new global::RoutingSdk.Planning.TierSpec(" + Literal(t.Name) + ", " + t.Rank.ToString(CultureInfo.InvariantCulture) + ", "
            + Number(t.InputCostPerMillion) + ", " + Number(t.OutputCostPerMillion) + ", " + Number(t.ReasoningCostPerMillion) + ", "
            + t.TypicalLatencyMs.ToString(CultureInfo.InvariantCulture) + ", " + (t.ExtendedThinking ? "true" : "false") + ", "
            + (t.ModelId is null ? "null" : Literal(t.ModelId)) + ")" + TierInitializer(t));
        return "new global::RoutingSdk.Planning.TierCatalog(new[]\n        {\n            " + string.Join(",\n            ", tiers) + ",\n        })";
    }

    /// <summary>The tier's prices and capabilities beyond the constructor's, as an object initializer; empty when it declares none.</summary>
    private static string TierInitializer(TierSpec t)
    {
        var parts = new List<string>();
        if (t.CachedInputCostPerMillion is { } cached) parts.Add("CachedInputCostPerMillion = " + Number(cached));
        if (t.LongContextThresholdTokens != 0) parts.Add("LongContextThresholdTokens = " + t.LongContextThresholdTokens.ToString(CultureInfo.InvariantCulture));
        if (t.LongContextInputCostPerMillion is { } longInput) parts.Add("LongContextInputCostPerMillion = " + Number(longInput));
        if (t.LongContextOutputCostPerMillion is { } longOutput) parts.Add("LongContextOutputCostPerMillion = " + Number(longOutput));
        if (t.LongContextCachedInputCostPerMillion is { } longCached) parts.Add("LongContextCachedInputCostPerMillion = " + Number(longCached));
        if (t.Free) parts.Add("Free = true");
        if (t.ContextWindowTokens != 0) parts.Add("ContextWindowTokens = " + t.ContextWindowTokens.ToString(CultureInfo.InvariantCulture));
        if (t.Capabilities is { } capabilities)
            parts.Add("Capabilities = (global::RoutingSdk.TierCapabilities)" + ((int)capabilities).ToString(CultureInfo.InvariantCulture));
        return parts.Count == 0 ? "" : " { " + string.Join(", ", parts) + " }";
    }
}
