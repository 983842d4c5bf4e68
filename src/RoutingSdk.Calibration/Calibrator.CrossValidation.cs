using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using RoutingSdk.Planning;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration;

/// <summary>The calibrator: held-out measurement: cross-validation over query folds (stratified by which models got each query right).</summary>
internal static partial class Calibrator
{
    /// <summary>
    /// The honest measure: splits each task's queries into <paramref name="folds"/> folds, calibrates on all but one
    /// and replays the one held out, and pools the held-out replays. Each query is evaluated exactly once, by a plan
    /// that never saw it. Answered shares are per model of the task (cost order), as chains differ between folds.
    /// </summary>
    /// <param name="tasks">The outcomes, one table per task.</param>
    /// <param name="folds">Number of folds (2 or more).</param>
    /// <param name="options">Calibration settings; <see cref="CalibratorOptions.Seed"/> also shuffles the folds.</param>
    /// <param name="thresholdsOnly">Replay the raw thresholds only (each tier's own confidence), acceptors ignored: the plans as a consumer without acceptors runs them.</param>
    /// <param name="repeats">
    /// How many times to run the whole cross-validation, each with its own fold shuffle (seeds <see cref="CalibratorOptions.Seed"/>,
    /// +1, …). Which queries share a fold moves a task's held-out quality by a few queries; with more than one run the
    /// figures are the means over runs and <see cref="Evaluation.Runs"/> holds each run.
    /// </param>
    public static Evaluation CrossValidate(IReadOnlyList<TaskOutcomes> tasks, int folds, CalibratorOptions? options = null, bool thresholdsOnly = false, int repeats = 1)
    {
        if (tasks is null) throw new ArgumentNullException(nameof(tasks));
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), "cross-validation needs at least 2 folds");
        if (repeats < 1) throw new ArgumentOutOfRangeException(nameof(repeats), "the cross-validation must run at least once");
        options ??= new CalibratorOptions();
        if (repeats == 1) return CrossValidateOnce(tasks, folds, options, thresholdsOnly);

        var runs = new Evaluation[repeats];
        InParallel(repeats, options.CancellationToken, r =>
        {
            var shuffled = options.With(options.Signals);
            shuffled.Seed = options.Seed + r;
            runs[r] = CrossValidateOnce(tasks, folds, shuffled, thresholdsOnly);
        });

        var pooled = runs[0].Tasks.Select((first, t) => new TaskEvaluation(first.Task, first.Queries, first.BestModel, first.BestQuality, first.BestCostUsd,
            runs.Average(run => run.Tasks[t].Quality), runs.Average(run => run.Tasks[t].CostUsd), first.Chain,
            first.AnsweredShare.Select((_, i) => runs.Average(run => run.Tasks[t].AnsweredShare[i])).ToArray(), first.Models,
            runs.Average(run => run.Tasks[t].SkippedShare))).ToArray();
        return new Evaluation(pooled, runs);
    }

    private static Evaluation CrossValidateOnce(IReadOnlyList<TaskOutcomes> tasks, int folds, CalibratorOptions options, bool thresholdsOnly)
    {
        // Other tasks' outcomes may be shared whole: only the task's own held-out queries must stay unseen.
        options = options.SharingWith(tasks);
        var results = new TaskEvaluation[tasks.Count];
        InParallel(tasks.Count, options.CancellationToken, t => results[t] = CrossValidateTask(tasks[t], folds, options, thresholdsOnly));
        return new Evaluation(results);
    }

    /// <summary>One task's held-out replays: every query replayed once by a plan calibrated on the other folds.</summary>
    private static TaskEvaluation CrossValidateTask(TaskOutcomes data, int folds, CalibratorOptions options, bool thresholdsOnly)
    {
        var n = data.Queries.Count;
        var answered = new double[data.Models.Count];
        double quality = 0, cost = 0, skipped = 0;
        foreach (var (fit, held) in Folds(n, folds, options.Seed, Strata(data, options)))
        {
            options.CancellationToken.ThrowIfCancellationRequested();
            var plan = CalibrateTask(data.Subset(fit), options);
            var test = data.Subset(held);
            var chain = Evaluator.ChainIndexes(plan, test);
            for (var q = 0; q < test.Queries.Count; q++)
            {
                var (position, spent) = Evaluator.Replay(plan, test, q, chain, thresholdsOnly, out var skippedAt);
                answered[chain[position]]++;
                if (skippedAt >= 0) skipped++;
                quality += test.Correct[q][chain[position]];
                cost += spent;
            }
        }

        var best = data.BestModel();
        return new TaskEvaluation(data.Task, n, data.Models[best], data.Quality(best), data.MeanCost(best), quality / n, cost / n,
            data.Models, answered.Select(a => a / n).ToArray(),
            data.Models.Select((m, i) => new ModelFigures(m, data.Quality(i), data.MeanCost(i))).ToArray(), skipped / n);
    }

    /// <summary>Splits 0..n-1 into shuffled folds: (fitting indexes, held-out indexes) per fold.</summary>
    public static IEnumerable<(int[] Fit, int[] HeldOut)> Folds(int n, int folds, int seed) => Folds(n, folds, seed, null);

    /// <summary>
    /// Splits 0..n-1 into shuffled folds, stratified: every fold gets the same share (to within one) of each stratum.
    /// </summary>
    /// <param name="n">Number of items.</param>
    /// <param name="folds">Number of folds.</param>
    /// <param name="seed">Seed of the shuffle.</param>
    /// <param name="strata">One stratum per item (null: plain shuffled folds).</param>
    public static IEnumerable<(int[] Fit, int[] HeldOut)> Folds(int n, int folds, int seed, IReadOnlyList<int>? strata)
    {
        var order = DealingOrder(n, seed, strata);
        var k = Math.Min(folds, Math.Max(n, 1));
        for (var f = 0; f < k; f++)
        {
            var held = order.Where((_, i) => i % k == f).OrderBy(i => i).ToArray();
            var fit = order.Where((_, i) => i % k != f).OrderBy(i => i).ToArray();
            yield return (fit, held);
        }
    }

    /// <summary>
    /// Splits 0..n-1 in two, stratified as <see cref="Folds(int, int, int, IReadOnlyList{int})"/> are: ⌊n · <paramref name="share"/>⌋
    /// items set aside (evenly spaced over the dealing order, so every stratum gives its share) and the rest.
    /// </summary>
    public static (int[] Fit, int[] HeldOut) Split(int n, double share, int seed, IReadOnlyList<int>? strata)
    {
        if (!(share > 0 && share < 1)) throw new ArgumentOutOfRangeException(nameof(share), share, "the share set aside must be between 0 and 1");
        var order = DealingOrder(n, seed, strata);
        // Position i is set aside when ⌊(i + 1)·share⌋ > ⌊i·share⌋: exactly ⌊n·share⌋ of them, evenly spaced.
        bool Aside(int i) => Math.Floor((i + 1) * share) > Math.Floor(i * share);
        var held = order.Where((_, i) => Aside(i)).OrderBy(i => i).ToArray();
        var fit = order.Where((_, i) => !Aside(i)).OrderBy(i => i).ToArray();
        return (fit, held);
    }

    /// <summary>
    /// 0..n-1 shuffled from <paramref name="seed"/>; stratified, the shuffled order sorted by stratum (stable, so still
    /// shuffled within a stratum), so that dealing the positions round gives every part the same share of each stratum.
    /// </summary>
    private static int[] DealingOrder(int n, int seed, IReadOnlyList<int>? strata)
    {
        if (strata is not null && strata.Count != n) throw new ArgumentException($"{strata.Count} strata for {n} items", nameof(strata));
        var order = Enumerable.Range(0, n).ToArray();
        var state = (uint)seed * 2654435761u + 12345u;
        for (var i = n - 1; i > 0; i--)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            var j = (int)(state % (uint)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }

        return strata is null ? order : order.OrderBy(i => strata[i]).ToArray();
    }

    /// <summary>The strata of stratified folds (<see cref="TaskOutcomes.RightPatterns"/>), or null when folds are not stratified.</summary>
    private static int[]? Strata(TaskOutcomes data, CalibratorOptions options) => options.StratifyFolds ? data.RightPatterns : null;
}
