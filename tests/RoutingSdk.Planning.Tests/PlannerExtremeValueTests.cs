namespace RoutingSdk.Planning.Tests;

/// <summary>Values at the edge of their types plan without throwing (found by the generator's malformed-source test).</summary>
public sealed class PlannerExtremeValueTests
{
    [Theory]
    [InlineData(double.PositiveInfinity)]
    [InlineData(1e308)]
    [InlineData(double.MaxValue)]
    [InlineData(1e29)]
    public void A_cost_budget_beyond_the_decimal_range_is_never_exceeded(double budget)
    {
        var plan = Specs.Plan(Specs.Task(TaskKind.Analysis, Complexity.High) with { MaxCostPerThousandCalls = budget });
        Assert.NotEmpty(plan.Chain);
        Assert.DoesNotContain(plan.Findings, f => f.Kind == FindingKind.OverBudget);
    }

    [Fact]
    public void A_small_budget_is_still_reported_as_exceeded()
    {
        var plan = Specs.Plan(Specs.Task(TaskKind.Analysis, Complexity.High) with { MaxCostPerThousandCalls = 0.01 });
        Assert.Equal("$0.01", Assert.Single(plan.Findings, f => f.Kind == FindingKind.OverBudget).Arguments[3]);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(int.MaxValue / 4 + 1)]
    [InlineData(600_000_000)]
    public void Reasoning_tokens_of_a_huge_ExpectedOutputTokens_are_four_per_answer_token_without_overflow(int outputTokens)
    {
        var tokens = new TokenProfile(1, outputTokens);
        Assert.Equal(4L * outputTokens, tokens.ReasoningTokens);
    }

    [Fact]
    public void A_thinking_tier_with_ExpectedOutputTokens_int_MaxValue_is_projected_with_four_thinking_tokens_per_answer_token()
    {
        var thinking = TierCatalog.BuiltIn.Find("frontier-thinking")!;
        var spec = Specs.Task(TaskKind.Reasoning, Complexity.Extreme) with
        {
            Tier = thinking.Name, Escalation = Escalation.None, ExpectedInputTokens = 1, ExpectedOutputTokens = int.MaxValue,
        };

        var plan = Specs.Plan(spec);

        Assert.Equal(new[] { thinking.Name }, plan.Chain);
        var expectedPerCall = (1m * thinking.InputCostPerMillion + int.MaxValue * thinking.OutputCostPerMillion
            + 4m * int.MaxValue * thinking.EffectiveReasoningCostPerMillion) / 1_000_000m;
        Assert.Equal(expectedPerCall * 1000m, plan.ProjectedUsdPerThousandCalls);
    }
}
