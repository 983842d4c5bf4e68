using System;
using System.Collections.Generic;
using System.Globalization;
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
            var findings = plan.Findings.Concat(problems.Select(p => new Finding(FindingKind.CalibrationMismatch, FindingTarget.Method,
                $"the calibration of '{spec.TaskName}' does not fit the tier catalog: {p}; the built-in figures apply"))).ToArray();
            return new TaskPlan(plan.TaskName, plan.Chain, plan.QualityThreshold, plan.ProjectedQuality, plan.ProjectedUsdPerThousandCalls,
                plan.AllFrontierUsdPerThousandCalls, findings, plan.HasCustomThresholds ? plan.AcceptanceThresholds : null);
        }

        var tiers = calibration.Chain.Select(m => catalog.Find(m)!).ToArray();
        var (projectedQuality, costPerCall) = Project(spec, tiers, tier => Quality(spec, tier, calibration), calibration.Reach);
        var quality = calibration.ExpectedQuality ?? projectedQuality;
        var projected = Normalize(Math.Round(Per1000(costPerCall), 6));
        var thresholds = calibration.Thresholds.Concat(new[] { 0.0 }).ToArray();

        var kept = plan.Findings.Where(f => f.Kind is not (FindingKind.Unreachable or FindingKind.Overspend or FindingKind.Underspend or FindingKind.OverBudget)).ToList();
        if (quality < spec.QualityThreshold)
        {
            kept.Add(new Finding(FindingKind.Unreachable, FindingTarget.QualityThreshold, Invariant(
                $"the calibrated plan of '{spec.MethodName}' ({string.Join(" -> ", calibration.Chain)}) measured {quality:0.00}, below QualityThreshold {spec.QualityThreshold}: lower the threshold, recalibrate with a higher target or split the task")));
        }

        if (OverBudget(spec, projected, "on its calibrated chain " + string.Join(" -> ", calibration.Chain)) is { } overBudget) kept.Add(overBudget);

        return new TaskPlan(spec.TaskName, calibration.Chain.ToArray(), spec.QualityThreshold, Math.Round(quality, 4), projected,
            plan.AllFrontierUsdPerThousandCalls, kept, thresholds, calibration.Acceptors);
    }

    /// <summary>Plans with a whole calibration file: the task's entry, if any, applies.</summary>
    public static TaskPlan Plan(TaskSpec spec, TierCatalog catalog, RoutingCalibration? calibration) =>
        Plan(spec, catalog, calibration?.Find(spec.TaskName));

    /// <summary>The measured quality of a tier when the calibration has it, else the capability model's figure.</summary>
    public static double Quality(TaskSpec spec, TierSpec tier, TaskCalibration? calibration) =>
        calibration?.FindModel(tier.Name)?.Quality ?? Quality(spec, tier);

    private static List<string> CalibrationProblems(TaskSpec spec, TierCatalog catalog, TaskCalibration calibration)
    {
        var problems = new List<string>();
        var known = string.Join(", ", catalog.Tiers.Select(t => "'" + t.Name + "'"));
        if (calibration.Chain.Count == 0) problems.Add("its chain is empty");
        foreach (var model in calibration.Chain.Where(m => catalog.Find(m) is null))
            problems.Add($"model '{model}' of its chain is not a tier of the catalog ({known})");
        if (calibration.Thresholds.Count != Math.Max(0, calibration.Chain.Count - 1))
            problems.Add(Invariant($"its chain has {calibration.Chain.Count} tiers but {calibration.Thresholds.Count} thresholds (one per tier but the last)"));
        // The router compares a score from 0 to 1 with the acceptance threshold. Thresholds below 0 were learned on
        // another scale (log-probabilities, as in outcomes gathered outside the runtime); used as they are, every answer
        // of the first tier would pass.
        if (calibration.Chain.Count > 1 && calibration.EffectiveScale == ConfidenceScale.LogProbability)
            problems.Add(Invariant($"its thresholds are log-probabilities ({string.Join(", ", calibration.Thresholds)}), not scores from 0 to 1 (the router's scale); calibrate from outcomes whose confidence is the router's score, as `routing try` and TierTrial record it"));
        if (calibration.Acceptors is { } acceptors)
        {
            if (acceptors.Count != Math.Max(0, calibration.Chain.Count - 1))
                problems.Add(Invariant($"its chain has {calibration.Chain.Count} tiers but {acceptors.Count} acceptors (one per tier but the last)"));
            for (var k = 0; k < acceptors.Count; k++)
            {
                if (acceptors[k].Position != k)
                    problems.Add(Invariant($"its acceptor at chain position {k} has {acceptors[k].Weights.Count} weights, not {Acceptor.FeatureCount(k)}"));
            }
        }

        if (calibration.Reach is { } reach && reach.Count != calibration.Chain.Count)
            problems.Add(Invariant($"its chain has {calibration.Chain.Count} tiers but {reach.Count} reach shares"));
        var tiers = calibration.Chain.Select(catalog.Find).Where(t => t is not null).Select(t => t!).ToArray();
        for (var i = 1; i < tiers.Length; i++)
        {
            if (tiers[i].Rank <= tiers[i - 1].Rank)
                problems.Add($"its chain calls '{tiers[i].Name}' after '{tiers[i - 1].Name}', which does not rank below it");
        }

        var cap = spec.MaxTier is null ? null : catalog.Find(spec.MaxTier);
        if (cap is not null && tiers.FirstOrDefault(t => t.Rank > cap.Rank) is { } above)
            problems.Add($"its chain reaches '{above.Name}', above MaxTier '{cap.Name}'");
        return problems;
    }
}
