using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace RoutingSdk.Planning;

/// <summary>
/// The one place where a task spec and a tier catalog become a plan and a list of findings. The
/// generator emits the plan, the analyzers report the findings, the runtime executes the plan.
/// </summary>
internal static partial class Planner
{
    /// <summary>
    /// Share of wrong answers that the acceptance check catches and escalates. Parse failures are always
    /// caught; a fluent wrong answer often is not. Used for projections (docs/planning.md).
    /// </summary>
    public const double DetectionRate = 0.5;

    /// <summary>Plans one task on a catalog.</summary>
    public static TaskPlan Plan(TaskSpec spec, TierCatalog catalog)
    {
        if (spec is null) throw new ArgumentNullException(nameof(spec));
        if (catalog is null) throw new ArgumentNullException(nameof(catalog));

        var findings = new List<Finding>();
        Validate(spec, catalog, findings);
        var reference = catalog.Reference;
        if (findings.Count > 0 || reference is null)
            return new TaskPlan(spec.TaskName, Array.Empty<string>(), spec.QualityThreshold, 0, 0, 0, findings);

        var tokens = spec.Tokens;
        var name = spec.MethodName;
        var what = $"a {spec.Complexity}-complexity {spec.Kind} task";
        var threshold = spec.QualityThreshold;
        // The tiers the task could use if nothing were pinned: what a pin is compared with.
        var allowed = AllowedTiers(spec with { Tier = null }, catalog);
        var adequate = allowed.FirstOrDefault(t => Quality(spec, t) >= threshold);

        IReadOnlyList<TierSpec> chain;
        var pinned = spec.Tier is null ? null : catalog.Find(spec.Tier);
        if (pinned is not null)
        {
            chain = new[] { pinned };
            var pinnedQuality = Quality(spec, pinned);
            if (adequate is not null && adequate.Rank < pinned.Rank && tokens.CostOn(adequate) < tokens.CostOn(pinned))
            {
                var cheap = Per1000(tokens.CostOn(adequate));
                var dear = Per1000(tokens.CostOn(pinned));
                findings.Add(new Finding(FindingKind.Overspend, FindingTarget.Tier, Invariant(
                    $"'{name}' pins tier '{pinned.Name}' for {what}; '{adequate.Name}' meets QualityThreshold {threshold} at {Money.Ratio(cheap, dear)} of the projected cost ({Money.Format(cheap)} vs {Money.Format(dear)} per 1,000 calls): remove Tier or set Tier = \"{adequate.Name}\""), adequate.Name));
            }
            else if (pinnedQuality < threshold && adequate is not null && adequate.Rank > pinned.Rank)
            {
                findings.Add(new Finding(FindingKind.Underspend, FindingTarget.Tier, Invariant(
                    $"'{name}' pins tier '{pinned.Name}' for {what}; its expected quality {pinnedQuality:0.00} is below QualityThreshold {threshold}, which '{adequate.Name}' meets ({Quality(spec, adequate):0.00}): remove Tier or set Tier = \"{adequate.Name}\""), adequate.Name));
            }
            else if (pinnedQuality < threshold)
            {
                findings.Add(Unreachable(spec, what, new[] { pinned }));
            }
        }
        else
        {
            var start = adequate ?? allowed.OrderByDescending(t => Quality(spec, t)).ThenBy(t => t.Rank).First();
            if (adequate is null) findings.Add(Unreachable(spec, what, allowed));
            chain = spec.Escalation == Escalation.None
                ? new[] { start }
                : allowed.Where(t => t.Rank >= start.Rank).ToArray();
        }

        if (spec.Complexity <= Complexity.Medium && chain.FirstOrDefault(t => t.ExtendedThinking) is { } thinking)
        {
            var cost = Money.Format(Per1000(tokens.CostOn(thinking)));
            if (spec.Tier == thinking.Name)
            {
                findings.Add(new Finding(FindingKind.ThinkingOnSimpleTask, FindingTarget.Tier, Invariant(
                    $"'{name}' pins the extended-thinking tier '{thinking.Name}' on {what}; thinking pays off only on High or Extreme complexity and costs {cost} per 1,000 calls there: remove Tier")));
            }
            else
            {
                // The cap the Planner wants: the highest tier below the thinking one that does not think itself.
                var cap = catalog.Tiers.LastOrDefault(t => t.Rank < thinking.Rank && !t.ExtendedThinking);
                findings.Add(new Finding(FindingKind.ThinkingOnSimpleTask, FindingTarget.MaxTier, Invariant(
                    $"'{name}' can reach the extended-thinking tier '{thinking.Name}' on {what}; thinking pays off only on High or Extreme complexity and costs {cost} per 1,000 calls there: cap MaxTier below '{thinking.Name}'{(cap is null ? "" : $" (MaxTier = \"{cap.Name}\")")}"),
                    cap?.Name));
            }
        }

        var (quality, costPerCall) = Project(spec, chain);
        var projected = Normalize(Math.Round(Per1000(costPerCall), 6));
        var allFrontier = Normalize(Per1000(tokens.CostOn(reference)));

        if (spec.LatencyBudgetMs > 0 && chain[0].TypicalLatencyMs > spec.LatencyBudgetMs)
        {
            findings.Add(new Finding(FindingKind.TooSlow, FindingTarget.LatencyBudgetMs, Invariant(
                $"'{name}' starts on tier '{chain[0].Name}', whose typical latency {chain[0].TypicalLatencyMs} ms exceeds LatencyBudgetMs {spec.LatencyBudgetMs}: raise the budget, lower QualityThreshold or pin a faster tier")));
        }

        if (OverBudget(spec, projected, "on " + string.Join(" -> ", chain.Select(t => t.Name))) is { } overBudget) findings.Add(overBudget);

        return new TaskPlan(spec.TaskName, chain.Select(t => t.Name).ToArray(), threshold, Math.Round(quality, 4), projected, allFrontier, findings);
    }

    /// <summary>Expected quality of a tier on the task.</summary>
    public static double Quality(TaskSpec spec, TierSpec tier) => CapabilityModel.ExpectedQuality(spec.Kind, spec.Complexity, tier);

    /// <summary>
    /// Tiers the task may use, cheapest first: with a pinned tier only that one; else every tier up to
    /// MaxTier. Extended-thinking tiers join only High and Extreme tasks, unless MaxTier names one or the catalog
    /// has no other tier (then the task runs on them, and RSDK1002 says so).
    /// </summary>
    public static IReadOnlyList<TierSpec> AllowedTiers(TaskSpec spec, TierCatalog catalog)
    {
        if (spec.Tier is not null && catalog.Find(spec.Tier) is { } pinned) return new[] { pinned };
        var cap = spec.MaxTier is null ? null : catalog.Find(spec.MaxTier);
        var thinkingAllowed = spec.Complexity >= Complexity.High || cap?.ExtendedThinking == true
            || catalog.Tiers.Where(t => cap is null || t.Rank <= cap.Rank).All(t => t.ExtendedThinking);
        return catalog.Tiers
            .Where(t => cap is null || t.Rank <= cap.Rank)
            .Where(t => thinkingAllowed || !t.ExtendedThinking)
            .ToArray();
    }

    /// <summary>
    /// Projected quality and expected USD per call of a chain: at each tier a right answer (its expected
    /// quality) is accepted; a wrong one is caught with <see cref="DetectionRate"/> and escalated, or
    /// accepted. The last tier's answer is always accepted.
    /// </summary>
    public static (double Quality, decimal CostPerCall) Project(TaskSpec spec, IReadOnlyList<TierSpec> chain)
        => Project(spec, chain, tier => Quality(spec, tier), null);

    /// <summary>
    /// The cascade model behind every projection: quality of each tier from <paramref name="qualityOf"/>, the share of
    /// calls reaching each position from <paramref name="measuredReach"/> when measured (it then weighs the cost), else
    /// from the detection model.
    /// </summary>
    private static (double Quality, decimal CostPerCall) Project(TaskSpec spec, IReadOnlyList<TierSpec> chain, Func<TierSpec, double> qualityOf,
        IReadOnlyList<double>? measuredReach)
    {
        var tokens = spec.Tokens;
        double reach = 1, quality = 0;
        decimal cost = 0;
        for (var i = 0; i < chain.Count; i++)
        {
            var q = qualityOf(chain[i]);
            cost += (decimal)(measuredReach?[i] ?? reach) * tokens.CostOn(chain[i]);
            quality += reach * q;
            reach *= (1 - q) * DetectionRate;
        }

        return (quality, cost);
    }

    /// <summary>RSDK1003 when the projection exceeds MaxCostPerThousandCalls; <paramref name="where"/> names the chain in the message.</summary>
    private static Finding? OverBudget(TaskSpec spec, decimal projected, string where)
    {
        // Compared as doubles: a budget beyond decimal's range (1e308, infinity) is never exceeded and must not overflow.
        if (!(spec.MaxCostPerThousandCalls > 0 && (double)projected > spec.MaxCostPerThousandCalls)) return null;
        return new Finding(FindingKind.OverBudget, FindingTarget.MaxCostPerThousandCalls, Invariant(
            $"'{spec.MethodName}' is projected at {Money.Format(projected)} per 1,000 calls {where}, over MaxCostPerThousandCalls {Money.Format((decimal)spec.MaxCostPerThousandCalls)}: lower QualityThreshold, cap MaxTier or raise the budget"));
    }

    private static void Validate(TaskSpec spec, TierCatalog catalog, List<Finding> findings)
    {
        if (double.IsNaN(spec.QualityThreshold) || spec.QualityThreshold < 0 || spec.QualityThreshold > 1)
            findings.Add(Invalid(FindingTarget.QualityThreshold, Invariant($"QualityThreshold {spec.QualityThreshold} of '{spec.MethodName}' is outside 0–1")));
        if (spec.LatencyBudgetMs < 0)
            findings.Add(Invalid(FindingTarget.LatencyBudgetMs, Invariant($"LatencyBudgetMs {spec.LatencyBudgetMs} of '{spec.MethodName}' is negative")));
        if (spec.MaxCostPerThousandCalls < 0 || double.IsNaN(spec.MaxCostPerThousandCalls))
            findings.Add(Invalid(FindingTarget.MaxCostPerThousandCalls, Invariant($"MaxCostPerThousandCalls {spec.MaxCostPerThousandCalls} of '{spec.MethodName}' is negative")));
        if (spec.ExpectedInputTokens < 0)
            findings.Add(Invalid(FindingTarget.ExpectedInputTokens, Invariant($"ExpectedInputTokens {spec.ExpectedInputTokens} of '{spec.MethodName}' is negative")));
        if (spec.ExpectedOutputTokens < 0)
            findings.Add(Invalid(FindingTarget.ExpectedOutputTokens, Invariant($"ExpectedOutputTokens {spec.ExpectedOutputTokens} of '{spec.MethodName}' is negative")));

        var known = string.Join(", ", catalog.Tiers.Select(t => "'" + t.Name + "'"));
        if (spec.Tier is not null && catalog.Find(spec.Tier) is null)
            findings.Add(new Finding(FindingKind.UnknownTier, FindingTarget.Tier, $"Tier '{spec.Tier}' of '{spec.MethodName}' is not in the tier catalog ({known})"));
        if (spec.MaxTier is not null && catalog.Find(spec.MaxTier) is null)
            findings.Add(new Finding(FindingKind.UnknownTier, FindingTarget.MaxTier, $"MaxTier '{spec.MaxTier}' of '{spec.MethodName}' is not in the tier catalog ({known})"));
    }

    private static Finding Invalid(FindingTarget target, string message) => new(FindingKind.InvalidValue, target, message);

    private static Finding Unreachable(TaskSpec spec, string what, IReadOnlyList<TierSpec> allowed)
    {
        var best = allowed.OrderByDescending(t => Quality(spec, t)).First();
        return new Finding(FindingKind.Unreachable, spec.Tier is null ? FindingTarget.QualityThreshold : FindingTarget.Tier, Invariant(
            $"no allowed tier of '{spec.MethodName}' reaches QualityThreshold {spec.QualityThreshold} for {what}; the best, '{best.Name}', is expected at {Quality(spec, best):0.00}: lower the threshold, raise MaxTier or split the task"));
    }

    private static decimal Per1000(decimal perCall) => perCall * 1000m;

    /// <summary>The same value without trailing zeros (6.75000 becomes 6.75), so emitted figures read cleanly.</summary>
    private static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
