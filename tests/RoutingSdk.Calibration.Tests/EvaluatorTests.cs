using RoutingSdk.Calibration;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration.Tests;

public class EvaluatorTests
{
    private static TaskOutcomes Four() => TaskOutcomes.Group(OutcomeCsv.Parse(
        "benchmark,query,model,correct,cost_usd,confidence\n" +
        // query 1: cheap sure and right      -> accepted at cheap
        "t,1,cheap,1,1,-0.1\nt,1,dear,1,8,-0.1\n" +
        // query 2: cheap unsure              -> escalated, dear right
        "t,2,cheap,0,1,-2\nt,2,dear,1,8,-0.1\n" +
        // query 3: cheap sure but wrong      -> accepted, wrong
        "t,3,cheap,0,1,-0.2\nt,3,dear,0,8,-0.1\n" +
        // query 4: cheap has no confidence   -> escalated, dear wrong
        "t,4,cheap,1,1,\nt,4,dear,0,8,-0.1\n")).Single();

    [Fact]
    public void Replay_arithmetic_matches_a_hand_computed_example()
    {
        var plan = new TaskCalibration("t", new[] { "cheap", "dear" }, new[] { -0.5 }, Array.Empty<ModelFigures>());
        var result = Evaluator.EvaluateTask(plan, Four());

        // Answers: q1 cheap (1), q2 dear (1), q3 cheap (0), q4 dear (0) -> quality 2/4.
        Assert.Equal(0.5, result.Quality, 12);
        // Cost: 1 + 9 + 1 + 9 = 20 over 4 queries.
        Assert.Equal(5, result.CostUsd, 12);
        // Best single model: cheap 0.5 vs dear 0.5 -> the tie goes to the dearer.
        Assert.Equal("dear", result.BestModel);
        Assert.Equal(1, result.RelativeQuality, 12);
        Assert.Equal(5 / 8.0, result.RelativeCost, 12);
        Assert.Equal(new[] { 0.5, 0.5 }, result.AnsweredShare);
    }

    [Fact]
    public void Acceptors_replace_raw_thresholds_when_present()
    {
        // A logistic that accepts only when the confidence is above -0.15 (z = 10 + 100c): p >= 0.5 iff c >= -0.1.
        var weights = new double[Acceptor.FeatureCount(0)];
        weights[0] = 100;
        var plan = new TaskCalibration("t", new[] { "cheap", "dear" }, new[] { -0.5 }, Array.Empty<ModelFigures>(), new[] { new Acceptor(10, weights, 0.5) });
        var result = Evaluator.EvaluateTask(plan, Four());
        // Only q1 (-0.1) is accepted at cheap now; q3 (-0.2) escalates to dear, which is wrong there too.
        Assert.Equal(new[] { 0.25, 0.75 }, result.AnsweredShare);
        Assert.Equal(0.5, result.Quality, 12);
        Assert.Equal((1 + 9 + 9 + 9) / 4.0, result.CostUsd, 12);
    }

    [Fact]
    public void A_skip_level_sends_an_answer_trusted_very_little_straight_to_the_last_tier()
    {
        var data = TaskOutcomes.Group(OutcomeCsv.Parse(
            "benchmark,query,model,correct,cost_usd,confidence\n" +
            // p = σ(1 + 10c): accepted from 0.5 (c ≥ -0.1), skipped below 0.05 (c < -0.39).
            // query 1: cheap sure              -> accepted at cheap
            "t,1,cheap,1,1,0\nt,1,mid,1,3,0\nt,1,dear,1,8,0\n" +
            // query 2: cheap unsure (p 0.12)   -> mid, sure, accepted
            "t,2,cheap,0,1,-0.3\nt,2,mid,1,3,0\nt,2,dear,1,8,0\n" +
            // query 3: cheap lost (p 0.0001)   -> straight to dear; mid never called
            "t,3,cheap,0,1,-1\nt,3,mid,1,3,0\nt,3,dear,0,8,0\n" +
            // query 4: cheap has no confidence -> mid (a missing confidence escalates, never skips), unsure -> dear
            "t,4,cheap,1,1,\nt,4,mid,0,3,-1\nt,4,dear,1,8,0\n")).Single();
        var first = new double[Acceptor.FeatureCount(0)];
        first[0] = 10;
        var second = new double[Acceptor.FeatureCount(1)];
        second[0] = 10;
        var acceptors = new[] { new Acceptor(1, first, 0.5, 0.05), new Acceptor(1, second, 0.5) };
        var plan = new TaskCalibration("t", new[] { "cheap", "mid", "dear" }, new[] { -0.1, -0.1 }, Array.Empty<ModelFigures>(), acceptors);

        var result = Evaluator.EvaluateTask(plan, data);

        Assert.Equal(new[] { 0.25, 0.25, 0.5 }, result.AnsweredShare);
        Assert.Equal(0.25, result.SkippedShare);   // q3; q4 reached dear through mid
        Assert.Equal((1 + 4 + 9 + 12) / 4.0, result.CostUsd, 12);
        Assert.Equal(3 / 4.0, result.Quality, 12); // q3's dear answer is wrong
        // Without the skip level, q3 pays mid and takes its right answer.
        var walking = new TaskCalibration("t", plan.Chain, plan.Thresholds, Array.Empty<ModelFigures>(), new[] { acceptors[0].WithSkipBelow(0), acceptors[1] });
        var walked = Evaluator.EvaluateTask(walking, data);
        Assert.Equal(new[] { 0.25, 0.5, 0.25 }, walked.AnsweredShare);
        Assert.Equal(0, walked.SkippedShare);
        Assert.Equal((1 + 4 + 4 + 12) / 4.0, walked.CostUsd, 12);
        // The raw thresholds never skip.
        Assert.Equal((1 + 4 + 4 + 12) / 4.0, Evaluator.EvaluateTask(plan, data, thresholdsOnly: true).CostUsd, 12);
    }

    [Fact]
    public void Geometric_means_are_over_tasks()
    {
        Assert.Equal(0.2, Evaluation.GeometricMean(new[] { 0.1, 0.4 }), 12);
        Assert.Equal(0, Evaluation.GeometricMean(new[] { 0.0, 0.4 }));
        Assert.True(double.IsNaN(Evaluation.GeometricMean(Array.Empty<double>())));
    }

    [Fact]
    public void A_chain_model_missing_from_the_data_is_a_clear_error()
    {
        var plan = new TaskCalibration("t", new[] { "cheap", "huge" }, new[] { -0.5 }, Array.Empty<ModelFigures>());
        var ex = Assert.Throws<ArgumentException>(() => Evaluator.EvaluateTask(plan, Four()));
        Assert.Contains("'huge'", ex.Message);
    }
}
