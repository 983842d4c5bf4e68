using RoutingSdk.Calibration;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration.Tests;

public class CalibratorTests
{
    [Fact]
    public void A_confidence_that_separates_right_from_wrong_gives_the_cheap_cascade()
    {
        var data = Synthetic.SeparatingConfidence();
        foreach (var signals in new[] { CalibrationSignals.Confidence, CalibrationSignals.Combined })
        {
            var plan = Calibrator.CalibrateTask(data, new CalibratorOptions { Target = 0.95, Signals = signals });

            Assert.Equal(new[] { "cheap", "dear" }, plan.Chain);
            var threshold = Assert.Single(plan.Thresholds);
            Assert.InRange(threshold, -3 + 1e-9, -0.01); // accepts -0.01, escalates -3
            var result = Evaluator.EvaluateTask(plan, data);
            // 70% answered by cheap (all right), 30% by dear (right on 2 of 3): quality 0.9 = the best model's.
            Assert.Equal(0.7, result.AnsweredShare[0], 6);
            Assert.Equal(0.9, result.Quality, 6);
            Assert.Equal((1 + 0.3 * 10) / 10.0, result.RelativeCost, 6);
            Assert.Equal(signals == CalibrationSignals.Combined, plan.Acceptors is not null);
        }
    }

    [Fact]
    public void Answers_trusted_very_little_skip_a_middle_tier_that_cannot_help_them()
    {
        var data = Synthetic.MiddleTierOnlyForDoubt();
        var plan = Calibrator.CalibrateTask(data, new CalibratorOptions { Target = 0.95 });

        Assert.Equal(new[] { "a", "b", "c" }, plan.Chain);
        var acceptors = plan.Acceptors!;
        Assert.True(acceptors[0].SkipBelow > 0, "the first position skips");
        Assert.Equal(0, acceptors[1].SkipBelow); // from the last but one, skipping is escalating
        var result = Evaluator.EvaluateTask(plan, data);
        // a answers its 60% (1 each); b its doubtful 20% (1 + 3); c the lost 20% straight from a (1 + 10).
        Assert.Equal(new[] { 0.6, 0.2, 0.2 }, result.AnsweredShare.Select(s => Math.Round(s, 6)));
        Assert.Equal(0.6 * 1 + 0.2 * 4 + 0.2 * 11, result.CostUsd, 6);
        Assert.Equal(1.0, result.Quality, 6);
        // Reach: every query calls a, only the doubtful ones b, only the lost ones c.
        Assert.Equal(new[] { 1.0, 0.2, 0.2 }, plan.Reach);
        Assert.Equal(result.CostUsd, plan.ExpectedCostUsd!.Value, 6);
        Assert.Equal(0.2, result.SkippedShare, 6);
        // Held out too, every fold's plan sends the lost answers straight to c, and the repeated runs report the mean.
        Assert.Equal(0.2, Calibrator.CrossValidate(new[] { data }, 5, repeats: 2).Tasks.Single().SkippedShare, 6);

        var walking = Calibrator.CalibrateTask(data, new CalibratorOptions { Target = 0.95, SkipToLast = false });
        Assert.All(walking.Acceptors ?? Array.Empty<Acceptor>(), a => Assert.Equal(0, a.SkipBelow));
        // Without skipping, the lost answers pay b too (or the chain leaves b out and the doubtful ones pay c): dearer.
        Assert.True(Evaluator.EvaluateTask(walking, data).CostUsd > result.CostUsd + 0.5);
    }

    [Fact]
    public void Without_confidence_the_cheapest_adequate_single_model_is_chosen()
    {
        var data = Synthetic.NoConfidence();
        Assert.False(data.HasConfidence);

        // The requirement alone (no bound): on 200 queries a bound at 0.95 holds only for the best model itself.
        var plan = Calibrator.CalibrateTask(data, new CalibratorOptions { Target = 0.95, Margins = new[] { 0.0 }, Confidence = null });
        Assert.Equal(new[] { "mid" }, plan.Chain); // 0.88 >= 0.95 × 0.9; small (0.6) is not enough
        Assert.Empty(plan.Thresholds);

        var strict = Calibrator.CalibrateTask(data, new CalibratorOptions { Target = 0.99, Margins = new[] { 0.0 }, Confidence = null });
        Assert.Equal(new[] { "large" }, strict.Chain);
    }

    [Fact]
    public void The_calibration_records_every_model_and_the_reach_of_each_position()
    {
        var plan = Calibrator.CalibrateTask(Synthetic.SeparatingConfidence(), new CalibratorOptions { Signals = CalibrationSignals.Confidence });
        Assert.Equal(new[] { "cheap", "dear" }, plan.Models.Select(m => m.Model));
        Assert.Equal(0.7, plan.FindModel("cheap")!.Quality, 6);
        Assert.Equal(10, plan.FindModel("dear")!.CostUsd, 6);
        Assert.Equal(new[] { 1, 0.3 }, plan.Reach!.Select(r => Math.Round(r, 6)));
        Assert.Equal("dear", plan.BestModel);
    }

    [Fact]
    public void Cross_validation_replays_every_query_once_with_a_plan_that_did_not_see_it()
    {
        var data = Synthetic.SeparatingConfidence();
        var evaluation = Calibrator.CrossValidate(new[] { data }, 4, new CalibratorOptions { Signals = CalibrationSignals.Confidence });
        var task = Assert.Single(evaluation.Tasks);
        Assert.Equal(200, task.Queries);
        Assert.Equal(1, task.AnsweredShare.Sum(), 9);
        Assert.True(task.RelativeQuality >= 0.95, $"relative quality {task.RelativeQuality}");
        Assert.True(task.RelativeCost < 0.5, $"relative cost {task.RelativeCost}");
    }

    [Fact]
    public void A_repeated_cross_validation_keeps_each_run_and_reports_their_means()
    {
        var data = new[] { Synthetic.SeparatingConfidence(), Synthetic.AgreementOnly() };
        var options = new CalibratorOptions { Seed = 5, InnerRepeats = 1 };
        var repeated = Calibrator.CrossValidate(data, 4, options, repeats: 3);

        Assert.Equal(3, repeated.Runs.Count);
        for (var r = 0; r < 3; r++)
        {
            // Run r is the single cross-validation with seed 5 + r.
            var single = Calibrator.CrossValidate(data, 4, new CalibratorOptions { Seed = 5 + r, InnerRepeats = 1 });
            Assert.Empty(single.Runs);
            Assert.Equal(single.Tasks.Select(t => (t.Quality, t.CostUsd)), repeated.Runs[r].Tasks.Select(t => (t.Quality, t.CostUsd)));
        }

        for (var t = 0; t < data.Length; t++)
        {
            Assert.Equal(repeated.Runs.Average(run => run.Tasks[t].Quality), repeated.Tasks[t].Quality, 12);
            Assert.Equal(repeated.Runs.Average(run => run.Tasks[t].CostUsd), repeated.Tasks[t].CostUsd, 12);
            Assert.Equal(1, repeated.Tasks[t].AnsweredShare.Sum(), 9);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => Calibrator.CrossValidate(data, 4, options, repeats: 0));
    }

    [Fact]
    public void Acceptance_models_share_the_outcomes_of_tasks_that_ran_the_same_models()
    {
        // "t" has 200 queries; "small" 40 of another task on the same two models; "other" runs models of other names.
        var big = Synthetic.SeparatingConfidence();
        var small = Renamed(Synthetic.SeparatingConfidence(40), "small");
        var other = Renamed(Synthetic.AgreementOnly(), "other");
        // Without the bound: the 40 queries of "small" are too few to bound any cascade, and this is about its acceptors.
        var options = new CalibratorOptions { InnerRepeats = 1, Confidence = null };

        var alone = Calibrator.Calibrate(new[] { small }, options).Tasks.Single();
        var together = Calibrator.Calibrate(new[] { big, small, other }, options);
        var apart = Calibrator.Calibrate(new[] { big, small, other }, new CalibratorOptions { InnerRepeats = 1, ShareAcrossTasks = false, Confidence = null });

        // Alone, or with sharing off, a task's acceptors come from its own outcomes only.
        Assert.Equal(alone.Acceptors!, apart.Find("small")!.Acceptors!);
        // With sharing, the small task's acceptor is fitted on the big task's outcomes too: other weights.
        Assert.NotEqual(alone.Acceptors![0].Weights, together.Find("small")!.Acceptors![0].Weights);
        // A task whose models no other task ran is calibrated as if alone.
        Assert.Equal(Calibrator.Calibrate(new[] { other }, options).Tasks.Single().Acceptors!, together.Find("other")!.Acceptors!);
        // The acceptance level is still searched on the task's own queries: the plan still keeps its own target.
        Assert.True(Evaluator.EvaluateTask(together.Find("small")!, small).RelativeQuality >= 0.95);
    }

    [Fact]
    public void Tasks_calibrated_side_by_side_give_what_one_at_a_time_gives()
    {
        var tasks = new[]
        {
            Synthetic.SeparatingConfidence(), Renamed(Synthetic.SeparatingConfidence(60), "small"), Renamed(Synthetic.AgreementOnly(), "other"),
            Renamed(Synthetic.NoConfidence(), "plain"),
        };
        var apart = new CalibratorOptions { InnerRepeats = 1, ShareAcrossTasks = false };

        var all = Calibrator.Calibrate(tasks, apart);

        // In the tasks' order, each exactly its own calibration.
        Assert.Equal(tasks.Select(t => t.Task), all.Tasks.Select(t => t.Task));
        Assert.Equal(tasks.Select(t => Calibrator.CalibrateTask(t, apart)), all.Tasks);
        // With shared outcomes too, the result does not depend on which task finished first.
        var shared = new CalibratorOptions { InnerRepeats = 1 };
        Assert.Equal(Calibrator.Calibrate(tasks, shared).Tasks, Calibrator.Calibrate(tasks, shared).Tasks);
        Assert.Equal(Calibrator.CrossValidate(tasks, 3, shared).Tasks.Select(t => (t.Quality, t.CostUsd)),
            Calibrator.CrossValidate(tasks, 3, shared).Tasks.Select(t => (t.Quality, t.CostUsd)));
    }

    [Fact]
    public void A_failure_in_one_task_surfaces_as_its_own_exception()
    {
        var tasks = new[] { Synthetic.SeparatingConfidence(), Renamed(Synthetic.NoConfidence(), "plain") };

        // Not wrapped in an AggregateException: the same exception a sequential loop would throw.
        Assert.Throws<ArgumentOutOfRangeException>(() => Calibrator.Calibrate(tasks, new CalibratorOptions { Target = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Calibrator.CrossValidate(tasks, 3, new CalibratorOptions { InnerRepeats = 0 }));
        using var cancelled = new System.Threading.CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Calibrator.Calibrate(tasks, new CalibratorOptions { CancellationToken = cancelled.Token }));
        Assert.ThrowsAny<OperationCanceledException>(() => Calibrator.CrossValidate(tasks, 3, new CalibratorOptions { CancellationToken = cancelled.Token }, repeats: 2));
    }

    private static TaskOutcomes Renamed(TaskOutcomes data, string task) => TaskOutcomes.Group(
        data.Queries.SelectMany((q, i) => data.Models.Select((m, j) => new Outcome(task, q, m, data.Correct[i][j], data.Cost[i][j],
            double.IsNaN(data.Confidence[i][j]) ? null : data.Confidence[i][j], data.Answers[i][j])))).Single();

    [Fact]
    public void Folds_partition_the_queries()
    {
        var folds = Calibrator.Folds(23, 5, 7).ToArray();
        Assert.Equal(5, folds.Length);
        Assert.Equal(Enumerable.Range(0, 23), folds.SelectMany(f => f.HeldOut).OrderBy(i => i));
        Assert.All(folds, f => Assert.Empty(f.Fit.Intersect(f.HeldOut)));
        Assert.All(folds, f => Assert.Equal(23, f.Fit.Length + f.HeldOut.Length));
    }

    [Fact]
    public void Stratified_folds_give_every_fold_the_same_share_of_each_stratum()
    {
        // 103 items: 60 of stratum 0, 40 of stratum 1, 3 of stratum 2, in no order.
        var strata = Enumerable.Range(0, 103).Select(i => i % 5 == 0 ? 1 : i % 5 == 1 ? 1 : 0).ToArray();
        strata[7] = strata[50] = strata[99] = 2;
        var counts = strata.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());

        var folds = Calibrator.Folds(103, 5, 3, strata).ToArray();

        Assert.Equal(Enumerable.Range(0, 103), folds.SelectMany(f => f.HeldOut).OrderBy(i => i));
        Assert.All(folds, f => Assert.Equal(103, f.Fit.Length + f.HeldOut.Length));
        foreach (var (stratum, count) in counts)
        {
            // Each fold holds the stratum's share to within one item.
            Assert.All(folds, f => Assert.InRange(f.HeldOut.Count(i => strata[i] == stratum), count / 5, (count + 4) / 5));
        }

        // Another seed, another split.
        Assert.NotEqual(folds[0].HeldOut, Calibrator.Folds(103, 5, 4, strata).First().HeldOut);
        Assert.Throws<ArgumentException>(() => Calibrator.Folds(10, 5, 1, new int[9]).ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void The_inner_cross_validation_keeps_the_smallest_margin_that_holds_the_target(int repeats)
    {
        // The cheap answers accepted at -0.01 are all right, so every margin the cascade can meet holds on held-out
        // queries: the smallest is kept, however many inner runs are pooled. A margin no cascade meets leaves the best model.
        var data = Synthetic.SeparatingConfidence();
        var plan = Calibrator.CalibrateTask(data, new CalibratorOptions { InnerRepeats = repeats, Margins = new[] { 3.0, 1.0 } });
        Assert.Equal(1.0, plan.Margin);
        Assert.Equal(new[] { "cheap", "dear" }, plan.Chain);

        var impossible = Calibrator.CalibrateTask(data, new CalibratorOptions { InnerRepeats = repeats, Target = 1.0, Margins = new[] { 50.0 } });
        Assert.Equal(new[] { "dear" }, impossible.Chain);
    }

    [Fact]
    public void The_inner_cross_validation_must_run_at_least_once()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Calibrator.CalibrateTask(Synthetic.NoConfidence(), new CalibratorOptions { InnerRepeats = 0 }));
    }

    [Fact]
    public void A_target_outside_0_to_1_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Calibrator.CalibrateTask(Synthetic.NoConfidence(), new CalibratorOptions { Target = 1.5 }));
    }
}
