using RoutingSdk.Calibration;
using RoutingSdk.Cli;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration.Tests;

public class QualityBoundTests
{
    /// <summary>Bernoulli draws of mean <paramref name="p"/>.</summary>
    private static double[] Draws(Random random, int n, double p) => Enumerable.Range(0, n).Select(_ => random.NextDouble() < p ? 1.0 : 0.0).ToArray();

    [Theory]
    [InlineData(0.5, 300)]
    [InlineData(0.9, 300)]
    [InlineData(0.97, 100)]
    public void The_mean_bound_is_below_the_true_mean_in_at_least_the_confidence_share_of_repeats(double p, int n)
    {
        var random = new Random(17);
        const int repeats = 1000;
        var below = Enumerable.Range(0, repeats).Count(_ => QualityBound.MeanLowerBound(Draws(random, n, p), alpha: 0.1) <= p);

        // 90% confidence; 2.5 points of tolerance for the 1000 repeats' own noise (its standard error is under 1 point).
        Assert.True(below >= 0.875 * repeats, $"the bound was below the true mean {p} in only {below} of {repeats} repeats");
    }

    [Fact]
    public void The_relative_bound_covers_a_plan_whose_true_relative_quality_is_known()
    {
        // The best model is right with probability 0.8; the plan gives the best model's correctness but flips it on 8% of
        // queries: E[plan] = 0.92·0.8 + 0.08·0.2 = 0.752, so its true quality relative to the model is 0.94.
        const double truth = 0.752 / 0.8;
        var random = new Random(5);
        const int repeats = 400, n = 300;
        var below = 0;
        var bounds = new List<double>();
        for (var r = 0; r < repeats; r++)
        {
            var model = Draws(random, n, 0.8);
            var plan = model.Select(b => random.NextDouble() < 0.08 ? 1 - b : b).ToArray();
            var bound = QualityBound.RelativeLowerBound(plan, model.Select(b => new[] { b }).ToArray(), alpha: 0.1);
            bounds.Add(bound);
            if (bound <= truth) below++;
        }

        Assert.True(below >= 0.875 * repeats, $"the bound was below the true relative quality {truth:0.000} in only {below} of {repeats} repeats");
        // And it is not vacuous: on 300 queries it stays within a few points of the truth.
        Assert.True(bounds.Average() > truth - 0.12, $"mean bound {bounds.Average():0.000} is far below {truth:0.000}");
    }

    [Fact]
    public void A_plan_that_keeps_every_answer_of_the_best_model_is_bounded_close_to_it()
    {
        var model = Draws(new Random(3), 300, 0.8).Select(b => new[] { b }).ToArray();
        var bound = QualityBound.RelativeLowerBound(model.Select(r => r[0]).ToArray(), model, alpha: 0.1);

        Assert.InRange(bound, 0.95, 1.0);
    }

    [Fact]
    public void The_bound_holds_against_every_model_not_only_the_one_the_plan_copies()
    {
        // The plan copies model 0 (right on half the queries); model 1 is right on 90%: the plan keeps 0.5 / 0.9 = 0.556
        // of model 1's quality, and the bound must say so though it equals model 0.
        var rows = Enumerable.Range(0, 300).Select(q => new[] { q % 2 == 0 ? 1.0 : 0.0, q % 10 != 9 ? 1.0 : 0.0 }).ToArray();
        var plan = rows.Select(r => r[0]).ToArray();

        Assert.True(QualityBound.Holds(plan, rows.Select(r => new[] { r[0] }).ToArray(), 0.9, alpha: 0.1));
        Assert.False(QualityBound.Holds(plan, rows, 0.6, alpha: 0.1));
        Assert.InRange(QualityBound.RelativeLowerBound(plan, rows, alpha: 0.1), 0.4, 0.556);
    }

    [Fact]
    public void A_calibration_with_the_bound_records_a_bound_at_or_above_the_target()
    {
        var plan = Calibrator.CalibrateTask(Synthetic.SeparatingConfidence(), new CalibratorOptions { Confidence = 0.9 });

        Assert.Equal(new[] { "cheap", "dear" }, plan.Chain);
        Assert.NotNull(plan.Bound);
        Assert.InRange(plan.Bound!.RelativeQuality, 0.95, 1.0);
        Assert.Equal(0.9, plan.Bound.Confidence);
        Assert.Equal(200, plan.Bound.Queries);
    }

    [Fact]
    public void A_cascade_whose_bound_misses_the_target_is_not_chosen()
    {
        // 30 queries: the unbounded calibration cascades, but no bound on 30 queries reaches 0.95 for the cascade.
        var data = Synthetic.SeparatingConfidence(30);
        var unbounded = Calibrator.CalibrateTask(data, new CalibratorOptions { Confidence = null });
        var bounded = Calibrator.CalibrateTask(data, new CalibratorOptions { Confidence = 0.9 });

        Assert.Equal(new[] { "cheap", "dear" }, unbounded.Chain);
        Assert.Null(unbounded.Bound);
        Assert.Equal(new[] { "dear" }, bounded.Chain);
        Assert.NotNull(bounded.Bound);
        Assert.True(bounded.Bound!.RelativeQuality < 0.95, $"bound {bounded.Bound.RelativeQuality}");
    }

    [Fact]
    public void The_file_round_trips_the_bound()
    {
        var task = new TaskCalibration("Desk.ClassifyAsync", new[] { "small", "frontier" }, new[] { -0.2 }, Array.Empty<ModelFigures>(),
            bound: new QualityBoundFigures(0.9513, 0.9, 300));
        var text = CalibrationFileWriter.Write(new RoutingCalibration(new[] { task }, 0.95));
        var read = CalibrationFile.Parse(text);

        Assert.True(read.Success, string.Join("; ", read.Errors));
        Assert.Contains("\"qualityBound\": 0.9513", text);
        Assert.Equal(new QualityBoundFigures(0.9513, 0.9, 300), read.Calibration.Tasks[0].Bound);
        Assert.Equal(task, read.Calibration.Tasks[0]);
    }

    [Fact]
    public void A_file_without_a_bound_still_reads_and_a_bound_given_in_part_is_an_error()
    {
        var old = CalibrationFile.Parse("""{ "tasks": { "T": { "chain": ["small", "frontier"], "thresholds": [-0.2], "margin": 1.5 } } }""");
        var part = CalibrationFile.Parse("""{ "tasks": { "T": { "chain": ["small", "frontier"], "thresholds": [-0.2], "qualityBound": 0.95 } } }""");

        Assert.True(old.Success, string.Join("; ", old.Errors));
        Assert.Null(old.Calibration.Tasks[0].Bound);
        Assert.False(part.Success);
        Assert.Contains(part.Errors, e => e.Message.Contains("go together", StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluate_prints_the_bound_of_the_file_next_to_the_measured_figures()
    {
        var data = Synthetic.SeparatingConfidence();
        var plan = Calibrator.CalibrateTask(data, new CalibratorOptions { Confidence = 0.9 });
        var output = new StringWriter();

        CliApp.WriteEvaluation(output, Evaluator.Evaluate(new RoutingCalibration(new[] { plan }, 0.95), new[] { data }, thresholdsOnly: false), 0.95);

        Assert.Contains("file's bound", output.ToString());
        Assert.Contains($"≥ {plan.Bound!.RelativeQuality.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)}× (90%, 200 queries)", output.ToString());
    }
}
