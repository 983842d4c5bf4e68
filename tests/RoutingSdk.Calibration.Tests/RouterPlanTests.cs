using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration.Tests;

/// <summary>The thresholds, reach and expected figures of a calibration describe the plan as the router runs it.</summary>
public class RouterPlanTests
{
    [Fact]
    public void Acceptors_that_lean_on_agreement_leave_the_router_a_plan_of_its_own_that_keeps_the_target()
    {
        var data = Synthetic.AgreementOnly();
        var plan = Calibrator.CalibrateTask(data, new CalibratorOptions { Signals = CalibrationSignals.Combined, Target = 0.95 });

        // With every tier's answer the acceptors take b's answer when a agrees: cheap and right.
        var replay = Evaluator.EvaluateTask(plan, data);
        Assert.NotNull(plan.Acceptors);
        Assert.True(replay.RelativeQuality >= 0.95, $"acceptors: {replay.RelativeQuality}");
        Assert.True(replay.RelativeCost < 0.7, $"acceptors: {replay.RelativeCost}");

        // The router sees one confidence per tier, which says nothing here: its thresholds never accept early, and the
        // figures the planner projects from are that plan's, not the acceptors'.
        var router = Evaluator.EvaluateTask(plan, data, thresholdsOnly: true);
        Assert.True(router.RelativeQuality >= 0.95, $"router: {router.RelativeQuality}");
        Assert.All(plan.Thresholds, t => Assert.Equal(1.0, t));
        Assert.Equal(router.Quality, plan.ExpectedQuality!.Value, 6);
        Assert.Equal(router.CostUsd, plan.ExpectedCostUsd!.Value, 9);
        Assert.Equal(Enumerable.Repeat(1.0, plan.Chain.Count), plan.Reach!);
    }

    [Fact]
    public void The_recorded_reach_and_quality_are_those_of_the_thresholds_as_written()
    {
        foreach (var data in new[] { Synthetic.SeparatingConfidence(), Synthetic.SeparatingScores(), Synthetic.AgreementOnly() })
        {
            foreach (var signals in new[] { CalibrationSignals.Confidence, CalibrationSignals.Combined, CalibrationSignals.Auto })
            {
                var plan = Calibrator.CalibrateTask(data, new CalibratorOptions { Signals = signals });
                var router = Evaluator.EvaluateTask(plan, data, thresholdsOnly: true);
                Assert.Equal(router.Quality, plan.ExpectedQuality!.Value, 6);
                Assert.Equal(router.CostUsd, plan.ExpectedCostUsd!.Value, 9);
                var reach = router.AnsweredShare.Select((_, k) => router.AnsweredShare.Skip(k).Sum()).ToArray();
                Assert.Equal(reach.Select(r => Math.Round(r, 6)), plan.Reach!.Select(r => Math.Round(r, 6)));
            }
        }
    }

    [Fact]
    public void Auto_fits_the_routers_own_scores_on_the_confidence_alone_and_log_probabilities_with_every_signal()
    {
        var scores = Calibrator.CalibrateTask(Synthetic.SeparatingScores());
        Assert.Null(scores.Acceptors);
        Assert.Equal(ConfidenceScale.Probability, scores.Scale);
        // The lowest score accepted is the right answers' 0.97, written as it was recorded.
        Assert.Equal(new[] { 0.97 }, scores.Thresholds);
        var replay = Evaluator.EvaluateTask(scores, Synthetic.SeparatingScores());
        Assert.Equal(0.7, replay.AnsweredShare[0], 6);

        var logs = Calibrator.CalibrateTask(Synthetic.SeparatingConfidence());
        Assert.NotNull(logs.Acceptors);
        Assert.Equal(ConfidenceScale.LogProbability, logs.Scale);
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
