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
                findings.Add(new Finding(FindingFormat.Overspend, FindingTarget.Tier, Args(name, pinned.Name, spec.Complexity, spec.Kind, adequate.Name,
                    Number(threshold), Money.Ratio(cheap, dear), Money.Format(cheap), Money.Format(dear)), adequate.Name));
            }
            else if (pinnedQuality < threshold && adequate is not null && adequate.Rank > pinned.Rank)
            {
                findings.Add(new Finding(FindingFormat.Underspend, FindingTarget.Tier, Args(name, pinned.Name, spec.Complexity, spec.Kind,
                    Score(pinnedQuality), Number(threshold), adequate.Name, Score(Quality(spec, adequate))), adequate.Name));
            }
            else if (pinnedQuality < threshold)
            {
                findings.Add(Unreachable(spec, new[] { pinned }));
            }
        }
        else
        {
            var start = adequate ?? allowed.OrderByDescending(t => Quality(spec, t)).ThenBy(t => t.Rank).First();
            if (adequate is null) findings.Add(Unreachable(spec, allowed));
            chain = spec.Escalation == Escalation.None
                ? new[] { start }
                : allowed.Where(t => t.Rank >= start.Rank).ToArray();
        }

        if (spec.Complexity <= Complexity.Medium && chain.FirstOrDefault(t => t.ExtendedThinking) is { } thinking)
        {
            var cost = Money.Format(Per1000(tokens.CostOn(thinking)));
            if (spec.Tier == thinking.Name)
            {
                findings.Add(new Finding(FindingFormat.ThinkingTierPinned, FindingTarget.Tier, Args(name, thinking.Name, spec.Complexity, spec.Kind, cost)));
            }
            else
            {
                // The cap the Planner wants: the highest tier below the thinking one that does not think itself.
                var cap = catalog.Tiers.LastOrDefault(t => t.Rank < thinking.Rank && !t.ExtendedThinking);
                findings.Add(cap is null
                    ? new Finding(FindingFormat.ThinkingTierReachableWithoutCap, FindingTarget.MaxTier, Args(name, thinking.Name, spec.Complexity, spec.Kind, cost))
                    : new Finding(FindingFormat.ThinkingTierReachable, FindingTarget.MaxTier, Args(name, thinking.Name, spec.Complexity, spec.Kind, cost, cap.Name), cap.Name));
            }
        }

        var (quality, costPerCall) = Project(spec, chain);
        var projected = Normalize(Math.Round(Per1000(costPerCall), 6));
        var allFrontier = Normalize(Per1000(tokens.CostOn(reference)));

        if (spec.LatencyBudgetMs > 0 && chain[0].TypicalLatencyMs > spec.LatencyBudgetMs)
        {
            findings.Add(new Finding(FindingFormat.TooSlow, FindingTarget.LatencyBudgetMs, Args(name, chain[0].Name, chain[0].TypicalLatencyMs, spec.LatencyBudgetMs)));
        }

        if (OverBudget(spec, projected, FindingFormat.OverBudget, chain.Select(t => t.Name)) is { } overBudget) findings.Add(overBudget);
        AddCapabilityFindings(spec, chain, findings);

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

    /// <summary>RSDK1003 when the projection exceeds MaxCostPerThousandCalls, worded by <paramref name="format"/> with the chain's tiers.</summary>
    private static Finding? OverBudget(TaskSpec spec, decimal projected, FindingFormat format, IEnumerable<string> chain)
    {
        // Compared as doubles: a budget beyond decimal's range (1e308, infinity) is never exceeded and must not overflow.
        if (!(spec.MaxCostPerThousandCalls > 0 && (double)projected > spec.MaxCostPerThousandCalls)) return null;
        return new Finding(format, FindingTarget.MaxCostPerThousandCalls,
            Args(spec.MethodName, Money.Format(projected), Chain(chain), Money.Format((decimal)spec.MaxCostPerThousandCalls)));
    }

    private static void Validate(TaskSpec spec, TierCatalog catalog, List<Finding> findings)
    {
        var name = spec.MethodName;
        if (double.IsNaN(spec.QualityThreshold) || spec.QualityThreshold < 0 || spec.QualityThreshold > 1)
            findings.Add(new Finding(FindingFormat.ThresholdOutOfRange, FindingTarget.QualityThreshold, Args(Number(spec.QualityThreshold), name)));
        if (spec.LatencyBudgetMs < 0)
            findings.Add(Negative(FindingTarget.LatencyBudgetMs, spec.LatencyBudgetMs, name));
        if (spec.MaxCostPerThousandCalls < 0 || double.IsNaN(spec.MaxCostPerThousandCalls))
            findings.Add(Negative(FindingTarget.MaxCostPerThousandCalls, Number(spec.MaxCostPerThousandCalls), name));
        if (spec.ExpectedInputTokens < 0)
            findings.Add(Negative(FindingTarget.ExpectedInputTokens, spec.ExpectedInputTokens, name));
        if (spec.ExpectedOutputTokens < 0)
            findings.Add(Negative(FindingTarget.ExpectedOutputTokens, spec.ExpectedOutputTokens, name));

        if (spec.Tier is not null && catalog.Find(spec.Tier) is null)
            findings.Add(new Finding(FindingFormat.UnknownTier, FindingTarget.Tier, Args(FindingTarget.Tier, spec.Tier, name, Known(catalog))));
        if (spec.MaxTier is not null && catalog.Find(spec.MaxTier) is null)
            findings.Add(new Finding(FindingFormat.UnknownTier, FindingTarget.MaxTier, Args(FindingTarget.MaxTier, spec.MaxTier, name, Known(catalog))));
    }

    /// <summary>RSDK0006 for a negative setting: the target names the setting in the message.</summary>
    private static Finding Negative(FindingTarget target, object value, string name) => new(FindingFormat.NegativeValue, target, Args(target, value, name));

    private static Finding Unreachable(TaskSpec spec, IReadOnlyList<TierSpec> allowed)
    {
        var best = allowed.OrderByDescending(t => Quality(spec, t)).First();
        return new Finding(FindingFormat.Unreachable, spec.Tier is null ? FindingTarget.QualityThreshold : FindingTarget.Tier,
            Args(spec.MethodName, Number(spec.QualityThreshold), spec.Complexity, spec.Kind, best.Name, Score(Quality(spec, best))));
    }

    /// <summary>A finding's arguments: each value as the invariant culture writes it (figures that need a shape come formatted).</summary>
    private static string[] Args(params object[] values)
        => values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "").ToArray();

    /// <summary>A setting as the user wrote it (0.85, 1.5, NaN), in the invariant culture.</summary>
    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>An expected or measured quality, to two decimals.</summary>
    private static string Score(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>
    /// RSDK2004 when tiers of the chain have a context window below the task's expected call (input and output), RSDK2005
    /// when the task's result is structured and tiers of the chain declare capabilities without structured output. A
    /// tier that declares no window or no capabilities is not reported: nothing is assumed about it.
    /// </summary>
    private static void AddCapabilityFindings(TaskSpec spec, IReadOnlyList<TierSpec> chain, List<Finding> findings)
    {
        var tokens = spec.Tokens;
        var needed = (long)tokens.InputTokens + tokens.OutputTokens;
        var small = chain.Where(t => t.ContextWindowTokens > 0 && t.ContextWindowTokens < needed).ToArray();
        if (small.Length > 0)
        {
            var windows = string.Join(", ", small.Select(t => string.Format(CultureInfo.InvariantCulture, "'{0}' ({1:N0})", t.Name, t.ContextWindowTokens)));
            findings.Add(new Finding(FindingFormat.ContextWindowTooSmall, spec.ExpectedInputTokens > 0 ? FindingTarget.ExpectedInputTokens : FindingTarget.Method,
                Args(spec.MethodName, needed.ToString("N0", CultureInfo.InvariantCulture), windows)));
        }

        if (!spec.StructuredResult) return;
        var textOnly = chain.Where(t => t.Supports(TierCapabilities.StructuredOutput) == false).ToArray();
        if (textOnly.Length > 0)
        {
            // The suggested tier is the first to declare the capability on (the code fix's target).
            findings.Add(new Finding(FindingFormat.NoStructuredOutput, FindingTarget.Method,
                Args(spec.MethodName, (textOnly.Length == 1 ? "tier " : "tiers ") + string.Join(", ", textOnly.Select(t => "'" + t.Name + "'"))
                    + (textOnly.Length == 1 ? " of its chain declares" : " of its chain declare")), textOnly[0].Name));
        }
    }

    /// <summary>A chain as the messages show it: small -> mid -> frontier.</summary>
    private static string Chain(IEnumerable<string> tiers) => string.Join(" -> ", tiers);

    /// <summary>The catalog's tier names as the messages list them: 'small', 'mid'.</summary>
    private static string Known(TierCatalog catalog) => string.Join(", ", catalog.Tiers.Select(t => "'" + t.Name + "'"));

    private static decimal Per1000(decimal perCall) => perCall * 1000m;

    /// <summary>The same value without trailing zeros (6.75000 becomes 6.75), so emitted figures read cleanly.</summary>
    private static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;
}
