using System;
using System.Collections.Generic;
using System.ComponentModel;

namespace RoutingSdk;

/// <summary>
/// Written by the generator into an assembly with routed tasks, one per routed task: the plan's figures as the compiler
/// sees them in a referencing application, where they join its cost report, and the task name, which must be unique
/// over the application (the ledger and budgets key by it). Not for use in code; the plans themselves are in
/// <c>RoutingTable.All</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RoutedTaskPlanAttribute : Attribute
{
    /// <summary>Records one plan; the USD figures are invariant-culture decimals (attributes cannot hold <see cref="decimal"/>).</summary>
    public RoutedTaskPlanAttribute(string taskName, string[] chain, double qualityThreshold, double projectedQuality,
        string projectedUsdPerThousandCalls, string allFrontierUsdPerThousandCalls)
    {
        TaskName = taskName;
        Chain = chain;
        QualityThreshold = qualityThreshold;
        ProjectedQuality = projectedQuality;
        ProjectedUsdPerThousandCalls = projectedUsdPerThousandCalls;
        AllFrontierUsdPerThousandCalls = allFrontierUsdPerThousandCalls;
    }

    /// <summary>The task's name, <c>ContainingType.Method</c>.</summary>
    public string TaskName { get; }

    /// <summary>The tiers of the plan's chain, start tier first.</summary>
    public IReadOnlyList<string> Chain { get; }

    /// <summary>The task's quality threshold.</summary>
    public double QualityThreshold { get; }

    /// <summary>The projected share of answers that need no editing.</summary>
    public double ProjectedQuality { get; }

    /// <summary>Projected USD per 1,000 calls, as an invariant-culture decimal.</summary>
    public string ProjectedUsdPerThousandCalls { get; }

    /// <summary>USD per 1,000 calls if every call went to the reference tier, as an invariant-culture decimal.</summary>
    public string AllFrontierUsdPerThousandCalls { get; }
}
