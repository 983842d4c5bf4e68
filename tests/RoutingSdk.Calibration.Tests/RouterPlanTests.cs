using RoutingSdk.Calibration;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration.Tests;

/// <summary>
/// The figures a calibration records are those of the plan as the router runs it (with its acceptors), and its raw
/// thresholds are a plan of their own that keeps the target for a consumer without acceptors.
/// </summary>
public class RouterPlanTests
{
    [Fact]
    public void Acceptors_that_lean_on_agreement_come_with_thresholds_that_keep_the_target_on_their_own()
    {
        var data = Synthetic.AgreementOnly();
        var plan = Calibrator.CalibrateTask(data, new CalibratorOptions { Signals = CalibrationSignals.Combined, Target = 0.95 });

        // With every tier's answer the acceptors take b's answer when a agrees: cheap and right. The recorded figures are
        // that plan's (the router runs the acceptors).
        var replay = Evaluator.EvaluateTask(plan, data);
        Assert.NotNull(plan.Acceptors);
        Assert.True(replay.RelativeQuality >= 0.95, $"acceptors: {replay.RelativeQuality}");
        Assert.True(replay.RelativeCost < 0.7, $"acceptors: {replay.RelativeCost}");
        Assert.Equal(replay.Quality, plan.ExpectedQuality!.Value, 6);
        Assert.Equal(replay.CostUsd, plan.ExpectedCostUsd!.Value, 9);

        // One confidence per tier says nothing here: the thresholds never accept early, and still keep the target.
        var thresholdsOnly = Evaluator.EvaluateTask(plan, data, thresholdsOnly: true);
        Assert.True(thresholdsOnly.RelativeQuality >= 0.95, $"thresholds: {thresholdsOnly.RelativeQuality}");
        Assert.All(plan.Thresholds, t => Assert.Equal(1.0, t));
    }

    [Fact]
    public void The_recorded_reach_and_quality_are_those_of_the_plan_as_the_router_runs_it()
    {
        foreach (var data in new[] { Synthetic.SeparatingConfidence(), Synthetic.SeparatingScores(), Synthetic.AgreementOnly() })
        {
            foreach (var signals in new[] { CalibrationSignals.Confidence, CalibrationSignals.Combined })
            {
                var plan = Calibrator.CalibrateTask(data, new CalibratorOptions { Signals = signals });
                var replay = Evaluator.EvaluateTask(plan, data);
                Assert.Equal(replay.Quality, plan.ExpectedQuality!.Value, 6);
                Assert.Equal(replay.CostUsd, plan.ExpectedCostUsd!.Value, 9);
                var reach = replay.AnsweredShare.Select((_, k) => replay.AnsweredShare.Skip(k).Sum()).ToArray();
                Assert.Equal(reach.Select(r => Math.Round(r, 6)), plan.Reach!.Select(r => Math.Round(r, 6)));
                // The thresholds alone keep the target on the fitting queries too.
                Assert.True(Evaluator.EvaluateTask(plan, data, thresholdsOnly: true).RelativeQuality >= 0.95);
            }
        }
    }

    [Fact]
    public void On_the_routers_own_scores_a_threshold_is_the_lowest_score_accepted()
    {
        var data = Synthetic.SeparatingScores();
        var scores = Calibrator.CalibrateTask(data, new CalibratorOptions { Signals = CalibrationSignals.Confidence });
        Assert.Null(scores.Acceptors);
        Assert.Equal(ConfidenceScale.Probability, scores.Scale);
        // The lowest score accepted is the right answers' 0.97, written as it was recorded.
        Assert.Equal(new[] { 0.97 }, scores.Thresholds);
        Assert.Equal(0.7, Evaluator.EvaluateTask(scores, data).AnsweredShare[0], 6);

        var combined = Calibrator.CalibrateTask(data);
        Assert.NotNull(combined.Acceptors);
        Assert.Equal(ConfidenceScale.Probability, combined.Scale);
    }

    [Fact]
    public void A_thresholds_only_replay_ignores_the_acceptors()
    {
        var data = Synthetic.SeparatingConfidence();
        var models = new[] { new ModelFigures("cheap", 0.7, 1), new ModelFigures("dear", 0.9, 10) };
        // Acceptors that take every cheap answer; a raw threshold that takes none.
        var plan = new TaskCalibration("t", new[] { "cheap", "dear" }, new[] { 1.0 }, models,
            new[] { new Acceptor(50, new double[] { 0, 0, 0 }, 0.5) }, scale: ConfidenceScale.LogProbability);

        Assert.Equal(1.0, Evaluator.EvaluateTask(plan, data).AnsweredShare[0], 6);
        Assert.Equal(0.0, Evaluator.EvaluateTask(plan, data, thresholdsOnly: true).AnsweredShare[0], 6);
        var calibration = new RoutingCalibration(new[] { plan }, 0.95);
        Assert.Equal(1.0, Evaluator.Evaluate(calibration, new[] { data }, thresholdsOnly: true).Tasks[0].AnsweredShare[1], 6);
    }

    [Theory]
    [InlineData(0.91, 0.91)]
    [InlineData(0.9123456, 0.912345)]
    [InlineData(0.0000004, 0.0)]
    [InlineData(1.0, 1.0)]
    public void Probability_thresholds_are_rounded_down_so_the_boundary_score_is_still_accepted(double score, double written)
    {
        var threshold = ConfidenceScales.FromLogThreshold(Math.Log(score), ConfidenceScale.Probability);
        Assert.Equal(written, threshold, 12);
        Assert.True(threshold <= score);
    }
}
