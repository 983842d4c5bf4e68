namespace RoutingSdk.Tests;

/// <summary>The guardrail's in-process statistics: a window per position, decisions applied only on the generation they were taken on.</summary>
public sealed class AgreementStatisticsTests
{
    [Fact]
    public async Task The_window_keeps_the_latest_comparisons_per_position()
    {
        var statistics = new InProcessAgreementStatistics();
        for (var i = 0; i < 5; i++) await statistics.AddAsync("T", 0, agreed: i == 0, window: 4);
        var other = await statistics.AddAsync("T", 1, agreed: true, window: 4);

        Assert.Equal(new AgreementState(0, 0, double.NaN, 4, 0), await statistics.AddAsync("T", 0, agreed: false, window: 4));
        Assert.Equal(new AgreementState(0, 0, double.NaN, 1, 1), other);
    }

    [Fact]
    public async Task A_decision_applies_only_on_the_generation_it_was_taken_on_and_a_new_level_starts_a_new_window()
    {
        var statistics = new InProcessAgreementStatistics();
        var first = await statistics.AddAsync("T", 0, agreed: true, window: 10);
        var second = await statistics.AddAsync("T", 0, agreed: false, window: 10);

        Assert.True(await statistics.TryApplyAsync("T", 0, second, level: 1, baseline: 0.5));
        Assert.False(await statistics.TryApplyAsync("T", 0, first, level: 1, baseline: 0.9));   // taken before the change: not applied twice

        Assert.Equal(1, statistics.GetLevel("T", 0));
        Assert.Equal(0, statistics.GetLevel("T", 1));
        Assert.Equal(0, statistics.GetLevel("U", 0));
        var after = await statistics.AddAsync("T", 0, agreed: true, window: 10);
        Assert.Equal(new AgreementState(1, 1, 0.5, 1, 1), after);

        // The baseline, once set, stays; the same level is no new generation.
        Assert.True(await statistics.TryApplyAsync("T", 0, after, level: 1, baseline: 0.1));
        Assert.Equal(new AgreementState(1, 1, 0.5, 2, 2), await statistics.AddAsync("T", 0, agreed: true, window: 10));
    }
}
