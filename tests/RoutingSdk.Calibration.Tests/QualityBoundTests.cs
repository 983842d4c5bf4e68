using RoutingSdk.Calibration;
using RoutingSdk.Cli;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration.Tests;

public class QualityBoundTests
{
    /// <summary>Bernoulli draws of mean <paramref name="p"/>.</summary>
    private static double[] Draws(Random random, int n, double p) => Enumerable.Range(0, n).Select(_ => random.NextDouble() < p ? 1.0 : 0.0).ToArray();

    private static QualityBoundMethod Method(bool betting) => betting ? QualityBoundMethod.Betting : QualityBoundMethod.EmpiricalBernstein;

    [Theory]
    [InlineData(0.5, 300, false)]
    [InlineData(0.9, 300, false)]
    [InlineData(0.97, 100, false)]
    [InlineData(0.5, 300, true)]
    [InlineData(0.9, 300, true)]
    [InlineData(0.97, 100, true)]
    public void The_mean_bound_is_below_the_true_mean_in_at_least_the_confidence_share_of_repeats(double p, int n, bool betting)
    {
        var method = Method(betting);
        var random = new Random(17);
        const int repeats = 1000;
        var below = Enumerable.Range(0, repeats).Count(_ => QualityBound.MeanLowerBound(Draws(random, n, p), alpha: 0.1, method) <= p);

        // 90% confidence; 2.5 points of tolerance for the 1000 repeats' own noise (its standard error is under 1 point).
        Assert.True(below >= 0.875 * repeats, $"the bound was below the true mean {p} in only {below} of {repeats} repeats");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_relative_bound_covers_a_plan_whose_true_relative_quality_is_known(bool betting)
    {
        var method = Method(betting);
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
            var bound = QualityBound.RelativeLowerBound(plan, model.Select(b => new[] { b }).ToArray(), alpha: 0.1, method);
            bounds.Add(bound);
            if (bound <= truth) below++;
        }

        Assert.True(below >= 0.875 * repeats, $"the bound was below the true relative quality {truth:0.000} in only {below} of {repeats} repeats");
        // And it is not vacuous: on 300 queries it stays within a few points of the truth.
        Assert.True(bounds.Average() > truth - 0.12, $"mean bound {bounds.Average():0.000} is far below {truth:0.000}");
    }

    [Fact]
    public void The_betting_bound_covers_paired_plans_at_the_edge_of_the_target_and_comes_closer_than_the_empirical_Bernstein_one()
    {
        // Per query the plan is right where the model is wrong with probability 0.08, wrong where it is right with 0.10,
        // both right with 0.78: E[a − 0.95·b] = 0.86 − 0.95·0.88 = 0.024, the plan keeps 0.86 / 0.88 = 0.977 of the model.
        const double truth = 0.86 / 0.88;
        var random = new Random(11);
        const int repeats = 400, n = 300;
        int below = 0, closer = 0;
        double betting = 0, bernstein = 0;
        for (var r = 0; r < repeats; r++)
        {
            var rows = new double[n][];
            var plan = new double[n];
            for (var q = 0; q < n; q++)
            {
                var u = random.NextDouble();
                (plan[q], rows[q]) = u < 0.08 ? (1.0, new[] { 0.0 }) : u < 0.18 ? (0.0, new[] { 1.0 }) : u < 0.96 ? (1.0, new[] { 1.0 }) : (0.0, new[] { 0.0 });
            }

            var bound = QualityBound.RelativeLowerBound(plan, rows, alpha: 0.1, QualityBoundMethod.Betting);
            var looser = QualityBound.RelativeLowerBound(plan, rows, alpha: 0.1);
            if (bound <= truth) below++;
            if (bound >= looser) closer++;
            betting += bound / repeats;
            bernstein += looser / repeats;
        }

        Assert.True(below >= 0.875 * repeats, $"the betting bound was below the true relative quality {truth:0.000} in only {below} of {repeats} repeats");
        Assert.True(closer >= 0.95 * repeats, $"the betting bound was at or above the empirical-Bernstein one in only {closer} of {repeats} repeats");
        Assert.True(betting > bernstein + 0.01, $"mean bounds: betting {betting:0.000}, empirical Bernstein {bernstein:0.000}");
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
    public void With_the_betting_bound_a_near_equal_cheaper_model_is_certified_where_the_empirical_Bernstein_bound_keeps_the_best()
    {
        // mid keeps 0.88 / 0.9 = 0.978 of large at 3/10 of its cost, disagreeing with it on 18% of the queries.
        var data = Synthetic.NoConfidence(300);
        var bernstein = Calibrator.CalibrateTask(data, new CalibratorOptions { Confidence = 0.9 });
        var betting = Calibrator.CalibrateTask(data, new CalibratorOptions { Confidence = 0.9, BoundMethod = QualityBoundMethod.Betting });

        Assert.Equal(new[] { "large" }, bernstein.Chain);
        Assert.True(bernstein.Bound!.RelativeQuality < 0.95, $"empirical-Bernstein bound {bernstein.Bound.RelativeQuality}");
        Assert.Equal(new[] { "mid" }, betting.Chain);
        Assert.InRange(betting.Bound!.RelativeQuality, 0.95, 0.978);
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

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    public void A_confidence_outside_0_to_1_is_refused_not_read_as_no_bound(double confidence)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Calibrator.CalibrateTask(Synthetic.SeparatingConfidence(), new CalibratorOptions { Confidence = confidence }));
        Assert.Contains("confidence", error.Message);
    }
}

