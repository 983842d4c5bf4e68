using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Planning.Tests;

/// <summary>The acceptor's skip level: a probability, and the three decisions at their boundaries.</summary>
public sealed class AcceptorTests
{
    private static readonly double[] Weights = { 1, 0, 0 };

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void A_skip_level_outside_0_to_1_is_rejected(double skipBelow)
    {
        Assert.Throws<ArgumentOutOfRangeException>("skipBelow", () => new Acceptor(0, Weights, 0.8, skipBelow));
        Assert.Throws<ArgumentOutOfRangeException>("skipBelow", () => new Acceptor(0, Weights, 0.8).WithSkipBelow(skipBelow));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void The_ends_of_0_to_1_are_skip_levels(double skipBelow)
        => Assert.Equal(skipBelow, new Acceptor(0, Weights, 0.8, skipBelow).SkipBelow);

    [Fact]
    public void Decide_accepts_at_the_acceptance_level_skips_just_below_the_skip_level_and_escalates_at_it()
    {
        var acceptor = new Acceptor(0, Weights, 0.8, 0.3);

        Assert.Equal(AcceptanceDecision.Accept, acceptor.Decide(0.8));
        Assert.Equal(AcceptanceDecision.Escalate, acceptor.Decide(Math.BitDecrement(0.8)));
        Assert.Equal(AcceptanceDecision.Escalate, acceptor.Decide(0.3));
        Assert.Equal(AcceptanceDecision.SkipToLast, acceptor.Decide(Math.BitDecrement(0.3)));
        Assert.Equal(AcceptanceDecision.SkipToLast, acceptor.Decide(0));
        Assert.Equal(AcceptanceDecision.Escalate, acceptor.Decide(double.NaN));   // no probability: the next tier, never a skip
    }

    [Fact]
    public void Without_a_skip_level_nothing_skips()
    {
        var acceptor = new Acceptor(0, Weights, 0.8);

        Assert.Equal(0, acceptor.SkipBelow);
        Assert.Equal(AcceptanceDecision.Escalate, acceptor.Decide(0));
    }

    [Fact]
    public void Accepting_wins_over_a_skip_level_above_the_acceptance_level()
    {
        var acceptor = new Acceptor(0, Weights, 0.5, 0.9);

        Assert.Equal(AcceptanceDecision.Accept, acceptor.Decide(0.6));
        Assert.Equal(AcceptanceDecision.SkipToLast, acceptor.Decide(0.4));
    }

    [Fact]
    public void The_skip_level_is_part_of_the_value()
    {
        var acceptor = new Acceptor(0, Weights, 0.8);

        Assert.Equal(acceptor, new Acceptor(0, Weights, 0.8, 0));
        Assert.NotEqual(acceptor, acceptor.WithSkipBelow(0.2));
        Assert.Equal(0.2, acceptor.WithSkipBelow(0.2).SkipBelow);
        Assert.Equal(0.8, acceptor.WithSkipBelow(0.2).MinProbability);
    }
}
