using RoutingSdk.Planning.Guardrail;

namespace RoutingSdk.Planning.Tests;

/// <summary>A task's guardrail state: a baseline per position, windows, changes of level, relaxing when the evidence recovers.</summary>
public sealed class TaskGuardTests
{
    // The needed agreement is 0.9 of the baseline; with a baseline of 1 (20 of 20 agreed), 0.9.
    private static readonly GuardSettings Settings = new(requiredAgreement: 0.9, window: 20, minSamples: 20, z: 1.645, maxLevel: 2);

    private static TaskGuard WithBaseline(int positions)
    {
        var guard = new TaskGuard(positions, Settings);
        for (var i = 0; i < 20; i++) Assert.Equal(0, guard.Record(0, agreed: true).To);
        Assert.Equal(1.0, guard.Estimate(0).Baseline);
        return guard;
    }

    [Fact]
    public void The_window_keeps_only_the_latest_comparisons()
    {
        var window = new AgreementWindow(3);
        window.Add(false);
        window.Add(true);
        window.Add(true);
        window.Add(true);

        Assert.Equal(3, window.Count);
        Assert.Equal(3, window.Agreements);
    }

    [Fact]
    public void Before_its_first_full_window_a_position_has_no_baseline_and_never_changes()
    {
        var guard = new TaskGuard(positions: 2, Settings);

        for (var i = 0; i < 19; i++) Assert.False(guard.Record(0, agreed: false).Tightened);

        Assert.True(double.IsNaN(guard.Estimate(0).Baseline));
        guard.Record(0, agreed: false);
        Assert.Equal(0.0, guard.Estimate(0).Baseline);
        Assert.Equal(0, guard.Level(0));
    }

    [Fact]
    public void A_position_goes_to_the_top_level_on_the_comparison_that_pulls_its_upper_bound_below_the_need_and_starts_a_new_window()
    {
        var guard = WithBaseline(positions: 3);
        for (var i = 0; i < 4; i++) Assert.Equal(0, guard.Record(0, agreed: false).To);

        // 15 of the last 20 agree: upper bound 0.873, below 0.9 of the baseline 1 (16 of 20: 0.907, not yet).
        var change = guard.Record(0, agreed: false);

        Assert.True(change.Tightened);
        Assert.Equal((0, 2), (change.From, change.To));
        Assert.Equal(20, change.Samples);
        Assert.Equal(0.9, change.Required, 12);
        Assert.True(change.UpperBound < 0.9);
        Assert.Equal(2, guard.Level(0));
        Assert.Equal(0, guard.Level(1));
        Assert.Equal(0, guard.Estimate(0).Samples);
        Assert.Equal(1, guard.Tightenings);
        Assert.True(guard.Tightened);
        Assert.Equal(double.PositiveInfinity, guard.Minimum(0, 0.8, logScale: false));
    }

    [Fact]
    public void A_position_with_a_known_baseline_is_guarded_from_its_first_comparisons()
    {
        var guard = new TaskGuard(positions: 3, Settings, baselines: new[] { 0.8, double.NaN });

        Assert.Equal(0.8, guard.Estimate(0).Baseline);
        // 20 disagreements: the upper bound (0.119) is below 0.9 × 0.8 at the first decision, without a learned window.
        var changes = Enumerable.Range(0, 20).Select(_ => guard.Record(0, agreed: false)).ToArray();
        Assert.Equal(2, changes[^1].To);
        Assert.All(changes[..^1], c => Assert.Equal(0, c.To));

        // Position 1 has none: it learns one first, as before.
        for (var i = 0; i < 20; i++) Assert.Equal(0, guard.Record(1, agreed: false).To);
        Assert.Equal(0.0, guard.Estimate(1).Baseline);
    }

    [Fact]
    public void Healthy_agreement_at_the_known_baseline_never_tightens()
    {
        var guard = new TaskGuard(positions: 2, new GuardSettings(requiredAgreement: 0.95, window: 500, minSamples: 100), baselines: new[] { 0.8 });

        // 4 of every 5 agree, as on the calibration data: the upper bound stays above 0.76 throughout.
        for (var i = 0; i < 5000; i++) Assert.False(guard.Record(0, agreed: i % 5 != 0).Tightened);
        Assert.Equal(0, guard.Level(0));
    }

    [Fact]
    public void A_tightened_position_relaxes_step_by_step_when_its_agreements_recover()
    {
        var guard = new TaskGuard(positions: 2, new GuardSettings(requiredAgreement: 0.85, window: 20, minSamples: 20, maxLevel: 2));
        for (var i = 0; i < 20; i++) guard.Record(0, agreed: true);
        for (var i = 0; i < 20; i++) guard.Record(0, agreed: false);
        Assert.Equal(2, guard.Level(0));

        // Once the window holds 20 of 20: bound 0.881 ≥ 0.85 of the baseline 1; then again after a new window.
        var changes = Enumerable.Range(0, 60).Select(_ => guard.Record(0, agreed: true)).Where(c => c.From != c.To).ToArray();

        Assert.Equal(new[] { (2, 1), (1, 0) }, changes.Select(c => (c.From, c.To)));
        Assert.False(guard.Tightened);
        Assert.Equal(1, guard.Tightenings);
    }

    [Fact]
    public void The_last_position_is_never_guarded()
    {
        var guard = new TaskGuard(positions: 2, Settings);

        Assert.Equal(1, guard.Positions);
        Assert.Equal(0, guard.Record(1, agreed: false).To);
        Assert.Equal(0, guard.Level(1));
    }

    [Fact]
    public void Eligible_calls_are_shadowed_at_the_rate_in_order()
    {
        var guard = new TaskGuard(positions: 2, Settings);

        var shadowed = Enumerable.Range(0, 50).Select(_ => guard.NextIsShadowed(0.1)).ToArray();

        Assert.Equal(5, shadowed.Count(s => s));
        Assert.True(shadowed[9]);
        Assert.False(shadowed[0]);
    }
}
