using System;
using System.Collections.Generic;
using System.Linq;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Planning;

internal static partial class Planner
{
    /// <summary>
    /// Plans one task with a measured calibration (see docs/calibration.md). When <paramref name="calibration"/> is null
    /// or names another task, the plan is exactly <see cref="Plan(TaskSpec, TierCatalog)"/>. When it names this task and
    /// fits the catalog, the chain and acceptance thresholds come from the calibration (the last tier's threshold is 0:
    /// it always answers), the projected quality is the measured one and the projected cost weighs each tier by the
    /// measured share of calls that reach it; quality findings come from the measured figures. A task that pins a
    /// <c>Tier</c> keeps its pin. When the calibration does not fit (a model that is not a tier of the catalog, tiers out
    /// of rank order, a chain above MaxTier, a wrong number of thresholds), the built-in plan is returned with
    /// <see cref="FindingKind.CalibrationMismatch"/> findings.
    /// </summary>
    public static TaskPlan Plan(TaskSpec spec, TierCatalog catalog, TaskCalibration? calibration)
    {
        var plan = Plan(spec, catalog);
        if (calibration is null || !string.Equals(calibration.Task, spec.TaskName, StringComparison.Ordinal) || plan.HasErrors || spec.Tier is not null)
            return plan;

        var problems = CalibrationProblems(spec, catalog, calibration);
        if (problems.Count > 0)
        {
            var findings = plan.Findings.Concat(problems).ToArray();
            return new TaskPlan(plan.TaskName, plan.Chain, plan.QualityThreshold, plan.ProjectedQuality, plan.ProjectedUsdPerThousandCalls,
                plan.AllFrontierUsdPerThousandCalls, findings, plan.HasCustomThresholds ? plan.AcceptanceThresholds : null);
        }

        var tiers = calibration.Chain.Select(m => catalog.Find(m)!).ToArray();
        var (projectedQuality, costPerCall) = Project(spec, tiers, tier => Quality(spec, tier, calibration), calibration.Reach);
        var quality = calibration.ExpectedQuality ?? projectedQuality;
        var projected = Normalize(Math.Round(Per1000(costPerCall), 6));
        var thresholds = calibration.Thresholds.Concat(new[] { 0.0 }).ToArray();

        var kept = plan.Findings.Where(f => f.Kind is not (FindingKind.Unreachable or FindingKind.Overspend or FindingKind.Underspend or FindingKind.OverBudget
            or FindingKind.ContextWindow or FindingKind.StructuredOutput)).ToList();
        if (quality < spec.QualityThreshold)
        {
            kept.Add(new Finding(FindingFormat.CalibratedUnreachable, FindingTarget.QualityThreshold,
                Args(spec.MethodName, Chain(calibration.Chain), Score(quality), Number(spec.QualityThreshold))));
        }

        if (OverBudget(spec, projected, FindingFormat.CalibratedOverBudget, calibration.Chain) is { } overBudget) kept.Add(overBudget);
        AddCapabilityFindings(spec, tiers, kept);

        return new TaskPlan(spec.TaskName, calibration.Chain.ToArray(), spec.QualityThreshold, Math.Round(quality, 4), projected,
            plan.AllFrontierUsdPerThousandCalls, kept, thresholds, calibration.Acceptors, calibration.Agreement);
    }

    /// <summary>Plans with a whole calibration file: the task's entry, if any, applies.</summary>
    public static TaskPlan Plan(TaskSpec spec, TierCatalog catalog, RoutingCalibration? calibration) =>
        Plan(spec, catalog, calibration?.Find(spec.TaskName));

    /// <summary>The measured quality of a tier when the calibration has it, else the capability model's figure.</summary>
    public static double Quality(TaskSpec spec, TierSpec tier, TaskCalibration? calibration) =>
        calibration?.FindModel(tier.Name)?.Quality ?? Quality(spec, tier);

    /// <summary>RSDK0008: each way the calibration does not fit the catalog or the task, about the task.</summary>
    private static List<Finding> CalibrationProblems(TaskSpec spec, TierCatalog catalog, TaskCalibration calibration)
    {
        var problems = new List<Finding>();
        void Add(FindingFormat format, params object[] values)
            => problems.Add(new Finding(format, FindingTarget.Method, Args(new object[] { spec.TaskName }.Concat(values).ToArray())));

        if (calibration.Chain.Count == 0) Add(FindingFormat.CalibrationEmptyChain);
        foreach (var model in calibration.Chain.Where(m => catalog.Find(m) is null))
            Add(FindingFormat.CalibrationUnknownModel, model, Known(catalog));
        if (calibration.Thresholds.Count != Math.Max(0, calibration.Chain.Count - 1))
            Add(FindingFormat.CalibrationThresholdCount, calibration.Chain.Count, calibration.Thresholds.Count);
        // The router compares a score from 0 to 1 with the acceptance threshold. Thresholds below 0 were learned on
        // another scale (log-probabilities, as in outcomes gathered outside the runtime); used as they are, every answer
        // of the first tier would pass.
        if (calibration.Chain.Count > 1 && calibration.EffectiveScale == ConfidenceScale.LogProbability)
            Add(FindingFormat.CalibrationLogProbabilities, string.Join(", ", calibration.Thresholds.Select(Number)));
        if (calibration.Acceptors is { } acceptors)
        {
            if (acceptors.Count != Math.Max(0, calibration.Chain.Count - 1))
                Add(FindingFormat.CalibrationAcceptorCount, calibration.Chain.Count, acceptors.Count);
            for (var k = 0; k < acceptors.Count; k++)
            {
                if (acceptors[k].Position != k)
                    Add(FindingFormat.CalibrationAcceptorWeights, k, acceptors[k].Weights.Count, Acceptor.FeatureCount(k));
            }
        }

        if (calibration.Reach is { } reach && reach.Count != calibration.Chain.Count)
            Add(FindingFormat.CalibrationReachCount, calibration.Chain.Count, reach.Count);
        var tiers = calibration.Chain.Select(catalog.Find).Where(t => t is not null).Select(t => t!).ToArray();
        for (var i = 1; i < tiers.Length; i++)
        {
            if (tiers[i].Rank <= tiers[i - 1].Rank)
                Add(FindingFormat.CalibrationOutOfOrder, tiers[i].Name, tiers[i - 1].Name);
        }

        var cap = spec.MaxTier is null ? null : catalog.Find(spec.MaxTier);
        if (cap is not null && tiers.FirstOrDefault(t => t.Rank > cap.Rank) is { } above)
            Add(FindingFormat.CalibrationAboveMaxTier, above.Name, cap.Name);
        return problems;
    }
}
