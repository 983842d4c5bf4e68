using static RoutingSdk.Planning.Tests.Specs;

namespace RoutingSdk.Planning.Tests;

public class PlannerChainTests
{
    [Fact]
    public void Low_classification_starts_on_small_and_may_climb_to_frontier_without_thinking()
    {
        var plan = Plan(Task(TaskKind.Classification, Complexity.Low, 0.85));

        Assert.Equal(new[] { "small", "mid", "frontier" }, plan.Chain);
        Assert.Equal("small", plan.StartTier);
        Assert.Empty(plan.Findings);
    }

    [Fact]
    public void High_analysis_at_0_9_needs_the_thinking_tier()
    {
        var plan = Plan(Task(TaskKind.Analysis, Complexity.High, 0.9));

        Assert.Equal(new[] { "frontier-thinking" }, plan.Chain);
        Assert.DoesNotContain(plan.Findings, f => f.Kind == FindingKind.Unreachable);
    }

    [Fact]
    public void Start_tier_is_the_cheapest_that_meets_the_threshold()
    {
        var spec = Task(TaskKind.Summarization, Complexity.Medium, 0.9);
        var plan = Plan(spec);

        var start = TierCatalog.BuiltIn.Find(plan.StartTier!)!;
        Assert.True(Planner.Quality(spec, start) >= 0.9);
        foreach (var cheaper in TierCatalog.BuiltIn.Tiers.Where(t => t.Rank < start.Rank))
            Assert.True(Planner.Quality(spec, cheaper) < 0.9, $"'{cheaper.Name}' already meets the threshold");
    }

    [Fact]
    public void Escalation_none_gives_a_single_tier_chain()
    {
        var plan = Plan(Task(TaskKind.Classification, Complexity.Low, 0.85) with { Escalation = Escalation.None });

        Assert.Equal(new[] { "small" }, plan.Chain);
    }

    [Fact]
    public void Pinned_tier_is_the_whole_chain()
    {
        var plan = Plan(Task(TaskKind.Extraction, Complexity.Medium) with { Tier = "mid" });

        Assert.Equal(new[] { "mid" }, plan.Chain);
    }

    [Fact]
    public void MaxTier_caps_the_chain()
    {
        var plan = Plan(Task(TaskKind.Classification, Complexity.Low, 0.85) with { MaxTier = "mid" });

        Assert.Equal(new[] { "small", "mid" }, plan.Chain);
    }

    [Fact]
    public void Projected_cost_of_a_one_tier_chain_is_its_token_cost_per_thousand_calls()
    {
        var plan = Plan(Task(TaskKind.Classification, Complexity.Low, 0.85) with { Escalation = Escalation.None });

        // 400 input tokens at $0.25/M + 10 output tokens at $1.25/M = $0.0001125 a call.
        Assert.Equal(0.1125m, plan.ProjectedUsdPerThousandCalls);
        // Same tokens on frontier: 400 x $15/M + 10 x $75/M = $0.00675 a call.
        Assert.Equal(6.75m, plan.AllFrontierUsdPerThousandCalls);
        Assert.Equal(0.97, plan.ProjectedQuality);
    }

    [Fact]
    public void Projected_cost_uses_the_spec_token_figures_when_given()
    {
        var plan = Plan(Task(TaskKind.Classification, Complexity.Low, 0.85) with
        {
            Escalation = Escalation.None, ExpectedInputTokens = 1000, ExpectedOutputTokens = 100,
        });

        // 1,000 x 0.25 + 100 x 1.25 = 375 micro-dollars a call.
        Assert.Equal(0.375m, plan.ProjectedUsdPerThousandCalls);
    }

    [Fact]
    public void Projection_of_a_cascade_adds_each_escalated_share_of_the_next_tier()
    {
        var spec = Task(TaskKind.Summarization, Complexity.Low, 0.8);
        var chain = TierCatalog.BuiltIn.Tiers.Where(t => !t.ExtendedThinking).ToArray();

        var (quality, cost) = Planner.Project(spec, chain);

        double reach = 1, expectedQuality = 0;
        decimal expectedCost = 0;
        foreach (var tier in chain)
        {
            var q = Planner.Quality(spec, tier);
            expectedCost += (decimal)reach * spec.Tokens.CostOn(tier);
            expectedQuality += reach * q;
            reach *= (1 - q) * Planner.DetectionRate;
        }

        Assert.Equal(expectedCost, cost);
        Assert.Equal(expectedQuality, quality, 12);
        Assert.True(quality > Planner.Quality(spec, chain[0]));
    }

    [Fact]
    public void Thinking_tier_is_priced_with_reasoning_tokens()
    {
        var thinking = TierCatalog.BuiltIn.Find("frontier-thinking")!;
        var tokens = TokenProfile.For(TaskKind.Analysis);

        Assert.Equal(3200, tokens.ReasoningTokens);
        Assert.Equal((3000m * 15 + 800m * 75 + 3200m * 75) / 1_000_000m, tokens.CostOn(thinking));
    }

    [Fact]
    public void Plans_are_value_equal()
    {
        var spec = Task(TaskKind.Translation, Complexity.Medium);

        Assert.Equal(Plan(spec), Plan(spec));
    }
}
