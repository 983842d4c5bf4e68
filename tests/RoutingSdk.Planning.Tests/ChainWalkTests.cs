using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Planning.Tests;

/// <summary>The one accept / escalate / skip rule, and the acceptor's allocation-free probability it is fed.</summary>
public sealed class ChainWalkTests
{
    [Theory]
    [InlineData(0.8, AcceptanceDecision.Accept, 1)]
    [InlineData(0.79, AcceptanceDecision.Escalate, 2)]
    [InlineData(0.1, AcceptanceDecision.Escalate, 2)]
    [InlineData(0.09, AcceptanceDecision.SkipToLast, 3)]
    [InlineData(double.NaN, AcceptanceDecision.Escalate, 2)]
    public void A_middle_position_accepts_at_its_minimum_escalates_below_and_skips_below_the_skip_level(double value, AcceptanceDecision decision, int next)
    {
        var step = ChainWalk.Step(position: 1, end: 4, isLast: false, value, minimum: 0.8, skipBelow: 0.1);

        Assert.Equal(decision, step.Decision);
        Assert.Equal(next, step.Next);
    }

    [Fact]
    public void A_log_scale_confidence_below_its_threshold_escalates_when_the_walk_has_no_skip_level()
    {
        var step = ChainWalk.Step(position: 0, end: 3, isLast: false, -0.3, minimum: -0.1, skipBelow: double.NegativeInfinity);

        Assert.Equal(AcceptanceDecision.Escalate, step.Decision);
        Assert.Equal(1, step.Next);
    }

    [Fact]
    public void A_skip_from_the_position_before_the_last_is_an_escalation()
    {
        var step = ChainWalk.Step(position: 2, end: 4, isLast: false, 0.01, minimum: 0.8, skipBelow: 0.1);

        Assert.Equal(AcceptanceDecision.Escalate, step.Decision);
        Assert.Equal(3, step.Next);
    }

    [Fact]
    public void A_skip_goes_to_the_last_reachable_position_not_the_chains()
    {
        var step = ChainWalk.Step(position: 0, end: 3, isLast: false, 0.01, minimum: 0.8, skipBelow: 0.1);

        Assert.True(step.Skipped);
        Assert.Equal(2, step.Next);
    }

    [Fact]
    public void The_last_position_never_skips_and_a_rejected_answer_there_moves_past_it()
    {
        var step = ChainWalk.Step(position: 1, end: 4, isLast: true, 0.01, minimum: 0.5, skipBelow: 0.1);

        Assert.Equal(AcceptanceDecision.Escalate, step.Decision);
        Assert.Equal(2, step.Next);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-1e300)]
    public void A_last_position_with_no_minimum_accepts_any_answer_even_one_without_a_value(double value)
        => Assert.True(ChainWalk.Step(position: 3, end: 4, isLast: true, value, double.NegativeInfinity, skipBelow: 0).Accepted);

    [Fact]
    public void A_last_position_with_a_minimum_rejects_an_answer_without_a_value()
        => Assert.False(ChainWalk.Step(position: 3, end: 4, isLast: true, double.NaN, 0, skipBelow: 0).Accepted);

    [Fact]
    public void The_acceptor_overload_uses_its_acceptance_and_skip_levels()
    {
        var acceptor = new Acceptor(0, new double[] { 1, 0, 0 }, 0.6, 0.2);

        Assert.True(ChainWalk.Step(0, 3, acceptor, 0.6).Accepted);
        Assert.Equal(AcceptanceDecision.Escalate, ChainWalk.Step(0, 3, acceptor, 0.2).Decision);
        Assert.Equal(AcceptanceDecision.SkipToLast, ChainWalk.Step(0, 3, acceptor, 0.19).Decision);
    }

    [Fact]
    public void ProbabilityAt_gives_the_bits_of_Probability_of_the_features_at_every_position()
    {
        var random = new Random(7);
        string?[] keys = { "billing", "technical", null };
        for (var position = 0; position < 4; position++)
        {
            var weights = Enumerable.Range(0, Acceptor.FeatureCount(position)).Select(_ => random.NextDouble() * 6 - 3).ToArray();
            var acceptor = new Acceptor(random.NextDouble() - 0.5, weights, 0.5);
            for (var trial = 0; trial < 200; trial++)
            {
                var confidences = Enumerable.Range(0, position + 1).Select(_ => random.Next(5) switch { 0 => double.NaN, 1 => 0.0, _ => Math.Log(random.NextDouble()) }).ToArray();
                var answers = Enumerable.Range(0, position + 1).Select(_ => keys[random.Next(keys.Length)]).ToArray();
                // Unreported, short and long counts, and a fractional one (the table of short lengths must not change a bit).
                var tokens = random.Next(4) switch { 0 => double.NaN, 1 => random.NextDouble() * 300, _ => random.Next(0, 500) };

                var features = Acceptor.Features(confidences, answers, tokens, position);
                var expected = features is null ? double.NaN : acceptor.Probability(features);

                Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(acceptor.ProbabilityAt(confidences, answers, tokens, position)));
                if (position == 0)
                    Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(acceptor.FirstPositionProbability(confidences[0], tokens)));
            }
        }
    }
}
