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
}
