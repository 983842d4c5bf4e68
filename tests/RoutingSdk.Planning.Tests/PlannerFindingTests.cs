using static RoutingSdk.Planning.Tests.Specs;

namespace RoutingSdk.Planning.Tests;

public class PlannerFindingTests
{
    [Fact]
    public void Frontier_pinned_on_low_classification_is_overspend_naming_small_and_the_figures()
    {
        var plan = Plan(Task(TaskKind.Classification, Complexity.Low, 0.85) with { Tier = "frontier" });

        Assert.Equal(new[] { "frontier" }, plan.Chain);
        var finding = Single(plan, FindingKind.Overspend);
        Assert.Equal(FindingTarget.Tier, finding.Target);
        Assert.Equal(FindingFormat.Overspend, finding.Format);
        Assert.Equal(new[] { "RunAsync", "frontier", "Low", "Classification", "small", "0.85", "1/60", "$0.11", "$6.75" }, finding.Arguments);
        Assert.Equal("small", finding.SuggestedTier);
        Assert.False(plan.HasErrors);
    }

    [Fact]
    public void Small_pinned_on_high_analysis_is_underspend()
    {
        var plan = Plan(Task(TaskKind.Analysis, Complexity.High, 0.9) with { Tier = "small" });

        Assert.Equal(new[] { "small" }, plan.Chain);
        var finding = Single(plan, FindingKind.Underspend);
        Assert.Equal(FindingTarget.Tier, finding.Target);
        Assert.Equal(FindingFormat.Underspend, finding.Format);
        Assert.Equal(new[] { "RunAsync", "small", "High", "Analysis", "0.30", "0.9", "frontier-thinking", "0.91" }, finding.Arguments);
        Assert.Equal("frontier-thinking", finding.SuggestedTier);
        Assert.DoesNotContain(plan.Findings, f => f.Kind == FindingKind.Overspend);
    }

    [Fact]
    public void Pinning_the_cheapest_adequate_tier_finds_nothing()
    {
        var plan = Plan(Task(TaskKind.Classification, Complexity.Low, 0.85) with { Tier = "small" });

        Assert.Empty(plan.Findings);
    }

    [Fact]
    public void MaxTier_below_what_the_threshold_needs_is_unreachable()
    {
        var plan = Plan(Task(TaskKind.Analysis, Complexity.High, 0.9) with { MaxTier = "mid" });

        var finding = Single(plan, FindingKind.Unreachable);
        Assert.Equal(FindingTarget.QualityThreshold, finding.Target);
        Assert.Equal(FindingFormat.Unreachable, finding.Format);
        // The best allowed tier and its expected quality.
        Assert.Equal(new[] { "RunAsync", "0.9", "High", "Analysis", "mid", "0.73" }, finding.Arguments);
        // The plan still runs, starting on the best allowed tier.
        Assert.Equal(new[] { "mid" }, plan.Chain);
    }

    [Fact]
    public void Latency_budget_below_the_start_tier_latency_is_too_slow()
    {
        var plan = Plan(Task(TaskKind.Classification, Complexity.Low, 0.85) with { LatencyBudgetMs = 300 });

        var finding = Single(plan, FindingKind.TooSlow);
        Assert.Equal(FindingTarget.LatencyBudgetMs, finding.Target);
        Assert.Equal(new[] { "RunAsync", "small", "400", "300" }, finding.Arguments);
    }

    [Fact]
    public void Latency_budget_the_start_tier_meets_finds_nothing()
    {
        var plan = Plan(Task(TaskKind.Classification, Complexity.Low, 0.85) with { LatencyBudgetMs = 400 });

        Assert.Empty(plan.Findings);
    }

    [Fact]
    public void Projected_cost_over_the_budget_is_over_budget()
    {
        var plan = Plan(Task(TaskKind.Classification, Complexity.Low, 0.85) with { MaxCostPerThousandCalls = 0.05 });

        var finding = Single(plan, FindingKind.OverBudget);
        Assert.Equal(FindingTarget.MaxCostPerThousandCalls, finding.Target);
        Assert.Equal(FindingFormat.OverBudget, finding.Format);
        Assert.Equal(new[] { "RunAsync", Money.Format(plan.ProjectedUsdPerThousandCalls), "small -> mid -> frontier", "$0.05" }, finding.Arguments);
    }

    [Fact]
    public void Projected_cost_within_the_budget_finds_nothing()
    {
        var plan = Plan(Task(TaskKind.Classification, Complexity.Low, 0.85) with { MaxCostPerThousandCalls = 1 });

        Assert.Empty(plan.Findings);
    }

    [Fact]
    public void MaxTier_naming_the_thinking_tier_on_a_medium_task_is_thinking_on_simple_task()
    {
        var plan = Plan(Task(TaskKind.Classification, Complexity.Medium) with { MaxTier = "frontier-thinking" });

        Assert.Equal("frontier-thinking", plan.Chain[^1]);
        var finding = Single(plan, FindingKind.ThinkingOnSimpleTask);
        Assert.Equal(FindingTarget.MaxTier, finding.Target);
        Assert.Equal(FindingFormat.ThinkingTierReachable, finding.Format);
        // The cap the Planner wants: the highest tier below it that does not think.
        Assert.Equal(new[] { "RunAsync", "frontier-thinking", "Medium", "Classification", "$81.75", "frontier" }, finding.Arguments);
        Assert.Equal("frontier", finding.SuggestedTier);
    }

    [Fact]
    public void Thinking_tier_pinned_on_a_low_task_points_at_the_tier()
    {
        var plan = Plan(Task(TaskKind.Formatting, Complexity.Low) with { Tier = "frontier-thinking" });

        var finding = Single(plan, FindingKind.ThinkingOnSimpleTask);
        Assert.Equal(FindingTarget.Tier, finding.Target);
        Assert.Equal(FindingFormat.ThinkingTierPinned, finding.Format);
        Assert.Equal(new[] { "RunAsync", "frontier-thinking", "Low", "Formatting", "$157.50" }, finding.Arguments);
        Assert.Null(finding.SuggestedTier);
    }

    [Fact]
    public void Thinking_tier_on_a_high_task_is_not_a_finding()
    {
        var plan = Plan(Task(TaskKind.Analysis, Complexity.High, 0.9));

        Assert.DoesNotContain(plan.Findings, f => f.Kind == FindingKind.ThinkingOnSimpleTask);
    }

    [Fact]
    public void Catalog_of_thinking_tiers_only_plans_a_simple_task_on_them_and_says_so()
    {
        var catalog = new TierCatalog(new[] { new TierSpec("deep", 0, 1m, 4m, reasoningCostPerMillion: 4m, typicalLatencyMs: 9000, extendedThinking: true) });

        var plan = Planner.Plan(Task(TaskKind.Classification, Complexity.Low), catalog);

        Assert.Equal(new[] { "deep" }, plan.Chain);
        var finding = Single(plan, FindingKind.ThinkingOnSimpleTask);
        Assert.Equal(FindingFormat.ThinkingTierReachableWithoutCap, finding.Format);
        Assert.Equal("deep", finding.Arguments[1]);
        Assert.Null(finding.SuggestedTier);
    }

    [Theory]
    [InlineData("huge", null)]
    [InlineData(null, "huge")]
    public void Unknown_tier_is_an_error_with_an_empty_chain(string? tier, string? maxTier)
    {
        var plan = Plan(Task(TaskKind.Classification, Complexity.Low) with { Tier = tier, MaxTier = maxTier });

        var finding = Single(plan, FindingKind.UnknownTier);
        Assert.Equal(tier is null ? FindingTarget.MaxTier : FindingTarget.Tier, finding.Target);
        // The setting, its value, the method and the tiers of the catalog.
        Assert.Equal(new[] { tier is null ? "MaxTier" : "Tier", "huge", "RunAsync", "'small', 'mid', 'frontier', 'frontier-thinking'" }, finding.Arguments);
        Assert.True(plan.HasErrors);
        Assert.Empty(plan.Chain);
        Assert.Null(plan.StartTier);
    }

    private static readonly (TaskSpec Spec, FindingTarget Target, string[] Arguments)[] InvalidSpecs =
    [
        (Task(TaskKind.Classification, Complexity.Low, 1.5), FindingTarget.QualityThreshold, ["1.5", "RunAsync"]),
        (Task(TaskKind.Classification, Complexity.Low, -0.1), FindingTarget.QualityThreshold, ["-0.1", "RunAsync"]),
        (Task(TaskKind.Classification, Complexity.Low, double.NaN), FindingTarget.QualityThreshold, ["NaN", "RunAsync"]),
        (Task(TaskKind.Classification, Complexity.Low) with { LatencyBudgetMs = -1 }, FindingTarget.LatencyBudgetMs, ["LatencyBudgetMs", "-1", "RunAsync"]),
        (Task(TaskKind.Classification, Complexity.Low) with { MaxCostPerThousandCalls = -2.5 }, FindingTarget.MaxCostPerThousandCalls, ["MaxCostPerThousandCalls", "-2.5", "RunAsync"]),
        (Task(TaskKind.Classification, Complexity.Low) with { ExpectedInputTokens = -1 }, FindingTarget.ExpectedInputTokens, ["ExpectedInputTokens", "-1", "RunAsync"]),
        (Task(TaskKind.Classification, Complexity.Low) with { ExpectedOutputTokens = -1 }, FindingTarget.ExpectedOutputTokens, ["ExpectedOutputTokens", "-1", "RunAsync"]),
    ];

    /// <summary>Indexes into <see cref="InvalidSpecs"/> (the planner's types are internal to the product's assemblies).</summary>
    public static TheoryData<int> InvalidSpecCases
    {
        get
        {
            var cases = new TheoryData<int>();
            for (var i = 0; i < InvalidSpecs.Length; i++) cases.Add(i);
            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(InvalidSpecCases))]
    public void Out_of_range_value_is_an_error_with_an_empty_chain(int index)
    {
        var (spec, target, arguments) = InvalidSpecs[index];
        var plan = Plan(spec);

        var finding = Single(plan, FindingKind.InvalidValue);
        Assert.Equal(target, finding.Target);
        Assert.Equal(target == FindingTarget.QualityThreshold ? FindingFormat.ThresholdOutOfRange : FindingFormat.NegativeValue, finding.Format);
        Assert.Equal(arguments, finding.Arguments);
        Assert.True(plan.HasErrors);
        Assert.Empty(plan.Chain);
    }

    [Fact]
    public void Empty_catalog_gives_an_empty_plan_without_crashing()
    {
        var plan = Planner.Plan(Task(TaskKind.Classification, Complexity.Low), new TierCatalog(Array.Empty<TierSpec>()));

        Assert.Empty(plan.Chain);
    }
}
