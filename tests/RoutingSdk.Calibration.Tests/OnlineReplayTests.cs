using System.Globalization;
using System.Text;
using RoutingSdk.Calibration;
using RoutingSdk.Planning.Calibration;
using RoutingSdk.Planning.Guardrail;

namespace RoutingSdk.Calibration.Tests;

/// <summary>The offline replay with the shadow guardrail: the static plan when it cannot act, a tightening after a shift.</summary>
public class OnlineReplayTests
{
    private const string TaskName = "Desk.ClassifyAsync";

    /// <summary>
    /// A two-tier task: small (confidence -0.3, $0.001) and large (confidence -0.01, $0.02, always right). From query
    /// <paramref name="shiftAt"/> on, small's answers are wrong (a different answer) while its confidence stays the same.
    /// </summary>
    private static TaskOutcomes Stream(int queries, int shiftAt)
    {
        var csv = new StringBuilder("benchmark,query,model,tier,correct,cost_usd,confidence,answer\n");
        for (var q = 0; q < queries; q++)
        {
            var shifted = q >= shiftAt;
            csv.Append(CultureInfo.InvariantCulture, $"{TaskName},{q},small,0,{(shifted ? 0 : 1)},0.001,-0.3,{(shifted ? "b" : "a")}\n");
            csv.Append(CultureInfo.InvariantCulture, $"{TaskName},{q},large,1,1,0.02,-0.01,a\n");
        }

        return Assert.Single(TaskOutcomes.Group(OutcomeCsv.Parse(csv.ToString())));
    }

    // Accept small at a confidence of -0.5 (probability 0.607): its -0.3 passes; one level tighter (ln 0.803 = -0.219) it does not.
    private static readonly TaskCalibration Plan = new(TaskName, new[] { "small", "large" }, new[] { -0.5 }, Array.Empty<ModelFigures>(), scale: ConfidenceScale.LogProbability);

    [Fact]
    public void A_guardrail_that_cannot_act_replays_the_static_plan_and_adds_only_its_shadow_calls()
    {
        var data = Stream(400, shiftAt: 200);

        var online = OnlineReplay.Run(Plan, data, new GuardSettings(0.95, window: 500, minSamples: 100), rate: 0.1, maxShareOfCost: 1);

        Assert.Equal(0, online.Tightenings);
        Assert.Equal(40, online.ShadowCalls);
        Assert.Equal(online.Static.Quality, online.Quality, 12);
        Assert.Equal(online.Static.CostUsd + 40 * 0.02 / 400, online.CostUsd, 12);
        Assert.Equal(0.5, online.Quality, 12);
    }

    [Fact]
    public void Calibration_samples_add_every_tiers_cost_of_the_sampled_queries_within_the_cap()
    {
        var data = Stream(400, shiftAt: 400);
        var settings = new GuardSettings(0.95, window: 500, minSamples: 100);
        var without = OnlineReplay.Run(Plan, data, settings, rate: 0, maxShareOfCost: 1);
        var sampled = OnlineReplay.Run(Plan, data, settings, rate: 0, maxShareOfCost: 1, calibrationRate: 0.1, maxCalibrationShareOfCost: 1);
        var capped = OnlineReplay.Run(Plan, data, settings, rate: 0, maxShareOfCost: 1, calibrationRate: 0.1, maxCalibrationShareOfCost: 0.5);

        Assert.Equal(0, without.Samples);
        Assert.Equal(0, without.ShadowCalls);
        Assert.Equal(40, sampled.Samples);   // every tenth query, each on small and large
        Assert.Equal(40 * (0.001 + 0.02) / 400, sampled.ShadowCostUsd, 12);
        Assert.Equal(without.CostUsd + sampled.ShadowCostUsd, sampled.CostUsd, 12);
        Assert.Equal(without.Quality, sampled.Quality);   // a sample changes no answer
        // At a cap of half the routed spend ($0.001 a query), the samples ($0.021 each) come only as the routed spend allows.
        Assert.InRange(capped.Samples, 1, 39);
        Assert.True(capped.ShadowCostUsd <= 0.5 * without.CostUsd + 0.021 / 400, $"{capped.ShadowCostUsd} against {without.CostUsd}");
    }

    [Fact]
    public void Calibration_samples_never_take_the_shadow_calls_share_of_the_cap()
    {
        var data = Stream(400, shiftAt: 400);
        var settings = new GuardSettings(0.95, window: 500, minSamples: 100);
        var shadowOnly = OnlineReplay.Run(Plan, data, settings, rate: 0.1, maxShareOfCost: 0.5);
        var both = OnlineReplay.Run(Plan, data, settings, rate: 0.1, maxShareOfCost: 0.5, calibrationRate: 0.1, maxCalibrationShareOfCost: 0.5);

        Assert.True(shadowOnly.ShadowCalls > 0);
        Assert.True(both.Samples > 0);
        Assert.Equal(shadowOnly.ShadowCalls, both.ShadowCalls);
    }

    [Fact]
    public void After_a_shift_the_replay_tightens_once_enough_shadow_comparisons_disagree_and_then_escalates()
    {
        var data = Stream(2000, shiftAt: 1000);
        var settings = new GuardSettings(0.9, window: 50, minSamples: 30);

        var online = OnlineReplay.Run(Plan, data, settings, rate: 0.25, maxShareOfCost: 1);

        // Every 4th accepted answer is compared (queries 3, 7, 11, ...). Before the shift all agree (no change: nothing
        // to relax). After it the upper bound falls below 0.9 at the 9th disagreement in the window of 50 (41 of 50:
        // 0.892; 42 of 50: 0.907), the comparison of query 1035: the top level, small is no longer accepted.
        Assert.Equal(new[] { 1035 }, online.TightenedAt);
        Assert.Equal(1, online.Tightenings);
        Assert.All(online.Correct.Take(1000), c => Assert.Equal(1.0, c));
        Assert.All(online.Correct.Skip(1036), c => Assert.Equal(1.0, c));
        Assert.Equal(36.0 / 2000, 1 - online.Quality, 12);
        Assert.Equal(0.5, online.Static.Quality, 12);
    }

    [Fact]
    public void With_the_baseline_the_calibration_recorded_the_replay_reacts_where_a_learned_one_never_fills()
    {
        var data = Stream(2000, shiftAt: 1000);
        var settings = new GuardSettings(0.9, window: 500, minSamples: 20);
        var recorded = new TaskCalibration(TaskName, Plan.Chain, Plan.Thresholds, Plan.Models, scale: ConfidenceScale.LogProbability, agreement: new[] { 1.0 });

        var learning = OnlineReplay.Run(Plan, data, settings, rate: 0.1, maxShareOfCost: 1);
        var guarded = OnlineReplay.Run(recorded, data, settings, rate: 0.1, maxShareOfCost: 1);

        // Every 10th accepted answer is compared: 100 comparisons before the shift, too few to learn a baseline from a window of 500.
        Assert.Empty(learning.TightenedAt);
        Assert.Equal(learning.Static.Quality, learning.Quality, 12);
        // Against the recorded 1: the upper bound falls below 0.9 at the 18th disagreement (100 of 118: 0.894), query 1179.
        Assert.Equal(new[] { 1179 }, guarded.TightenedAt);
        Assert.Equal(180.0 / 2000, 1 - guarded.Quality, 12);
    }
}
