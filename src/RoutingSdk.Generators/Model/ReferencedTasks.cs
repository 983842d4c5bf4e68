namespace RoutingSdk.Generators.Model;

/// <summary>
/// What the compilation sees of routed tasks beyond its own source: its assembly name (which names its own public
/// registration type) and every referenced assembly that carries <c>[assembly: RoutedTasksAssembly]</c>, in assembly-name
/// order. Values only: an edit that does not change the references leaves it equal, so nothing downstream re-runs.
/// </summary>
/// <param name="AssemblyName">The compilation's assembly name.</param>
/// <param name="Assemblies">The referenced assemblies with routed tasks.</param>
internal sealed record ReferencedTasks(string AssemblyName, EquatableArray<ReferencedAssembly> Assemblies)
{
    /// <summary>No referenced tasks (a compilation without an assembly name gets an empty name).</summary>
    public static ReferencedTasks None(string? assemblyName) => new(assemblyName ?? "", EquatableArray<ReferencedAssembly>.Empty);
}

/// <summary>A referenced assembly with routed tasks: its name, its registration type and its plans' figures.</summary>
/// <param name="Name">The assembly's simple name.</param>
/// <param name="Registration">The registration type as a <c>global::</c> name.</param>
/// <param name="Plans">The figures of its routed tasks, as its <c>[assembly: RoutedTasksAssembly]</c> publishes them (<see cref="PublishedPlans"/>).</param>
internal sealed record ReferencedAssembly(string Name, string Registration, EquatableArray<ReferencedPlan> Plans)
{
    /// <summary>
    /// Whether the assembly gives this compilation access to its internals (InternalsVisibleTo, as to a test project): its
    /// own <c>RoutingTable</c> and <c>AddRoutedTasks()</c> are then visible here, and a second pair in this compilation
    /// would clash with them (CS0436).
    /// </summary>
    public bool SharesInternals { get; init; }
}

/// <summary>One routed task of a referenced assembly, as far as the cost report and the task-name check need it.</summary>
internal sealed record ReferencedPlan(string TaskName, EquatableArray<string> Chain, double QualityThreshold, double ProjectedQuality,
    decimal ProjectedUsdPerThousandCalls, decimal AllFrontierUsdPerThousandCalls);
