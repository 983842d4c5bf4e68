using RoutingSdk.Planning.Guardrail;

namespace RoutingSdk.Planning.Tests;

/// <summary>The shadow guardrail's one rule: sampling, the agreement bound, tighten and relax, the tightened minimum.</summary>
public sealed class GuardRuleTests
{
    [Fact]
    public void Sampling_shadows_exactly_the_floor_of_n_times_the_rate_evenly_spaced()
    {
        var picked = Enumerable.Range(0, 100).Where(i => GuardRule.Sampled(i, 0.05)).ToArray();

        Assert.Equal(new[] { 19, 39, 59, 79, 99 }, picked);
        Assert.Equal(333, Enumerable.Range(0, 10_000).Count(i => GuardRule.Sampled(i, 1.0 / 30)));
        Assert.False(GuardRule.Sampled(5, 0));
        Assert.True(GuardRule.Sampled(5, 1));
    }

    [Theory]
    [InlineData(95, 100, 1.645, 0.9008)]
    [InlineData(100, 100, 1.645, 0.9737)]
    [InlineData(0, 10, 1.645, 0.0)]
    [InlineData(480, 500, 1.96, 0.9390)]
    public void The_lower_bound_is_the_wilson_score_bound(int agreements, int samples, double z, double expected)
    {
        Assert.Equal(expected, GuardRule.LowerBound(agreements, samples, z), 4);
    }

    [Theory]
    [InlineData(5, 100, 1.645, 0.0992)]
    [InlineData(0, 100, 1.645, 0.0263)]
    [InlineData(10, 10, 1.645, 1.0)]
    public void The_upper_bound_is_the_wilson_score_bound(int agreements, int samples, double z, double expected)
    {
        Assert.Equal(expected, GuardRule.UpperBound(agreements, samples, z), 4);
        Assert.Equal(1 - GuardRule.LowerBound(samples - agreements, samples, z), GuardRule.UpperBound(agreements, samples, z), 12);
    }

    [Fact]
    public void With_too_few_comparisons_the_level_stays_and_there_is_no_bound()
    {
        var settings = new GuardSettings(requiredAgreement: 0.9, window: 200, minSamples: 50);

        Assert.Equal(2, GuardRule.Decide(2, samples: 49, agreements: 0, required: 0.9, settings, out var lower, out var upper));
        Assert.True(double.IsNaN(lower));
        Assert.True(double.IsNaN(upper));
    }

    [Fact]
    public void An_upper_bound_below_the_required_agreement_goes_to_the_top_level()
    {
        var settings = new GuardSettings(requiredAgreement: 0.9, window: 200, minSamples: 50, maxLevel: 3);

        // 35 of 50 agree: 0.7, upper bound 0.794, below 0.9.
        Assert.Equal(3, GuardRule.Decide(0, 50, 35, 0.9, settings, out _, out var upper));
        Assert.Equal(0.7941, upper, 4);
        Assert.Equal(3, GuardRule.Decide(1, 50, 35, 0.9, settings, out _, out _));
    }

    [Fact]
    public void Between_the_bounds_the_level_stays()
    {
        var settings = new GuardSettings(requiredAgreement: 0.9, window: 200, minSamples: 50, maxLevel: 3);

        // 43 of 50 agree: 0.86; the bounds (0.761, 0.922) hold 0.9, so neither tightening nor relaxing is shown.
        Assert.Equal(0, GuardRule.Decide(0, 50, 43, 0.9, settings, out var lower, out var upper));
        Assert.True(lower < 0.9 && upper >= 0.9);
        Assert.Equal(2, GuardRule.Decide(2, 50, 43, 0.9, settings, out _, out _));
    }

    [Fact]
    public void A_lower_bound_at_the_required_agreement_relaxes_one_level_down_to_none()
    {
        var settings = new GuardSettings(requiredAgreement: 0.9, window: 200, minSamples: 50);

        Assert.Equal(1, GuardRule.Decide(2, 100, 98, 0.9, settings, out var lower, out _));
        Assert.True(lower >= 0.9);
        Assert.Equal(0, GuardRule.Decide(0, 100, 98, 0.9, settings, out _, out _));
    }

    [Fact]
    public void With_a_known_baseline_a_step_decides_from_its_first_comparisons()
    {
        var settings = new GuardSettings(requiredAgreement: 0.9, window: 500, minSamples: 50, maxLevel: 4);

        var step = GuardRule.Step(level: 0, baseline: 0.8, samples: 50, agreements: 25, settings);

        Assert.Equal(4, step.Change.To);
        Assert.Equal(0.72, step.Change.Required, 12);
        Assert.Equal(0.8, step.Baseline);
        Assert.True(step.Restart);
    }

    [Fact]
    public void The_agreement_needed_is_the_required_share_of_the_baseline()
    {
        Assert.Equal(0.76, GuardRule.Required(0.8, new GuardSettings(requiredAgreement: 0.95)), 12);
        Assert.True(double.IsNaN(GuardRule.Required(double.NaN, new GuardSettings())));
    }

    [Theory]
    [InlineData(0.8, 0, false, 0.8)]
    [InlineData(0.8, 1, false, 0.9)]
    [InlineData(0.8, 2, false, 0.95)]
    [InlineData(-0.5, 1, false, 0.5)]
    [InlineData(1.0, 3, false, 1.0)]
    [InlineData(2.0, 3, false, 2.0)]
    public void A_tightened_probability_minimum_halves_the_error_it_allows_per_level(double minimum, int level, bool log, double expected)
    {
        Assert.Equal(expected, GuardRule.Minimum(minimum, level, maxLevel: 4, log), 12);
    }

    [Fact]
    public void A_tightened_log_threshold_halves_the_error_share_of_its_probability()
    {
        Assert.Equal(Math.Log(0.9), GuardRule.Minimum(Math.Log(0.8), 1, 4, logScale: true), 12);
        Assert.Equal(Math.Log(0.75), GuardRule.Minimum(double.NegativeInfinity, 2, 4, logScale: true), 12);
        Assert.Equal(0.5, GuardRule.Minimum(0.5, 2, 4, logScale: true));   // above 0 on the log scale: never accepts, kept
    }

    [Fact]
    public void At_the_top_level_a_position_accepts_nothing_and_an_answer_the_level_below_would_accept_is_a_probe()
    {
        Assert.Equal(double.PositiveInfinity, GuardRule.Minimum(0.8, 4, maxLevel: 4, logScale: false));
        Assert.Equal(double.PositiveInfinity, GuardRule.Minimum(Math.Log(0.8), 4, maxLevel: 4, logScale: true));

        // One level below the top (3): 1 - 0.2 / 8 = 0.975.
        Assert.True(GuardRule.Probes(0.98, 0.8, level: 4, maxLevel: 4, logScale: false));
        Assert.False(GuardRule.Probes(0.97, 0.8, level: 4, maxLevel: 4, logScale: false));
        Assert.False(GuardRule.Probes(0.99, 0.8, level: 3, maxLevel: 4, logScale: false));
    }
}
