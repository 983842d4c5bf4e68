using System;
using System.Collections.Generic;
using System.Linq;
using RoutingSdk.Planning;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration;

/// <summary>How a calibrated plan did on one task's queries, against the best single model.</summary>
internal sealed class TaskEvaluation
{
    internal TaskEvaluation(string task, int queries, string bestModel, double bestQuality, double bestCostUsd, double quality, double costUsd,
        IReadOnlyList<string> chain, IReadOnlyList<double> answeredShare, IReadOnlyList<ModelFigures> models, double skippedShare = 0,
        QualityBoundFigures? bound = null)
    {
        Bound = bound;
        SkippedShare = skippedShare;
        Task = task;
        Queries = queries;
        BestModel = bestModel;
        BestQuality = bestQuality;
        BestCostUsd = bestCostUsd;
        Quality = quality;
        CostUsd = costUsd;
        Chain = chain;
        AnsweredShare = answeredShare;
        Models = models;
    }

    /// <summary>The lower bound on relative quality the replayed calibration file records for the task (at its confidence), or null.</summary>
    public QualityBoundFigures? Bound { get; }

    /// <summary>The task.</summary>
    public string Task { get; }

    /// <summary>Queries replayed.</summary>
    public int Queries { get; }

    /// <summary>The most accurate single model (a tie goes to the dearer).</summary>
    public string BestModel { get; }

    /// <summary>Its mean correctness.</summary>
    public double BestQuality { get; }

    /// <summary>Its mean USD per query.</summary>
    public double BestCostUsd { get; }

    /// <summary>Mean correctness of the plan's accepted answers.</summary>
    public double Quality { get; }

    /// <summary>Mean USD per query of the plan (every tier called counts).</summary>
    public double CostUsd { get; }

    /// <summary><see cref="Quality"/> / <see cref="BestQuality"/> (1 when both are 0).</summary>
    public double RelativeQuality => Evaluator.Relative(Quality, BestQuality);

    /// <summary><see cref="CostUsd"/> / <see cref="BestCostUsd"/>.</summary>
    public double RelativeCost => Evaluator.Relative(CostUsd, BestCostUsd);

    /// <summary>The plan's chain.</summary>
    public IReadOnlyList<string> Chain { get; }

    /// <summary>Share of queries whose accepted answer came from each chain position.</summary>
    public IReadOnlyList<double> AnsweredShare { get; }

    /// <summary>Every single model's quality and mean cost on the same queries, cheapest first.</summary>
    public IReadOnlyList<ModelFigures> Models { get; }

    /// <summary>
    /// Share of queries an acceptor sent straight to the chain's last tier, skipping the tiers between
    /// (<see cref="Acceptor.SkipBelow"/>); they are counted in the last tier's <see cref="AnsweredShare"/> too.
    /// </summary>
    public double SkippedShare { get; }
}

/// <summary>The evaluation of every task, with geometric means over tasks.</summary>
internal sealed class Evaluation
{
    internal Evaluation(IReadOnlyList<TaskEvaluation> tasks, IReadOnlyList<Evaluation>? runs = null)
    {
        Tasks = tasks;
        Runs = runs ?? Array.Empty<Evaluation>();
    }

    /// <summary>
    /// For a repeated cross-validation, each run (its own fold shuffle), of which <see cref="Tasks"/> holds the means;
    /// otherwise empty.
    /// </summary>
    public IReadOnlyList<Evaluation> Runs { get; }

    /// <summary>Per task, in calibration order.</summary>
    public IReadOnlyList<TaskEvaluation> Tasks { get; }

    /// <summary>Geometric mean of the relative quality over tasks.</summary>
    public double GeometricMeanRelativeQuality => GeometricMean(Tasks.Select(t => t.RelativeQuality));

    /// <summary>Geometric mean of the relative cost over tasks.</summary>
    public double GeometricMeanRelativeCost => GeometricMean(Tasks.Select(t => t.RelativeCost));

    /// <summary>The lowest relative quality of any task.</summary>
    public double MinRelativeQuality => Tasks.Count == 0 ? 0 : Tasks.Min(t => t.RelativeQuality);

    /// <summary>Geometric mean (0 when a value is 0, NaN for no values).</summary>
    public static double GeometricMean(IEnumerable<double> values)
    {
        var list = values.ToList();
        if (list.Count == 0) return double.NaN;
        if (list.Any(v => v <= 0)) return 0;
        return Math.Exp(list.Average(Math.Log));
    }
}

/// <summary>Replays outcome data through calibrated plans.</summary>
internal static class Evaluator
{
    /// <summary>
    /// Replays every task of <paramref name="calibration"/> found in <paramref name="outcomes"/>: each query walks the
    /// chain; a position accepts when its acceptor (or, without acceptors, its raw threshold) says so; the last position
    /// always accepts. Tasks of the calibration absent from the data are skipped; use <see cref="EvaluateTask"/> for one.
    /// </summary>
    /// <param name="calibration">The calibrated plans.</param>
    /// <param name="outcomes">The outcomes to replay, one table per task.</param>
    /// <param name="thresholdsOnly">
    /// Replay the raw thresholds only: each position accepts on its own confidence against its threshold, acceptors
    /// ignored (the plans as a consumer without acceptors runs them).
    /// </param>
    public static Evaluation Evaluate(RoutingCalibration calibration, IReadOnlyList<TaskOutcomes> outcomes, bool thresholdsOnly = false)
    {
        if (calibration is null) throw new ArgumentNullException(nameof(calibration));
        if (outcomes is null) throw new ArgumentNullException(nameof(outcomes));
        var results = new List<TaskEvaluation>();
        foreach (var task in calibration.Tasks)
        {
            var data = outcomes.FirstOrDefault(o => string.Equals(o.Task, task.Task, StringComparison.Ordinal));
            if (data is not null) results.Add(EvaluateTask(task, data, thresholdsOnly));
        }

        return new Evaluation(results);
    }

    /// <summary>Replays one task's queries through its calibrated plan.</summary>
    /// <param name="plan">The task's calibrated plan.</param>
    /// <param name="data">The task's outcomes.</param>
    /// <param name="thresholdsOnly">Replay the raw thresholds only (each tier's own confidence), acceptors ignored.</param>
    /// <exception cref="ArgumentException">A chain model has no outcomes in the data.</exception>
    public static TaskEvaluation EvaluateTask(TaskCalibration plan, TaskOutcomes data, bool thresholdsOnly = false)
    {
        if (plan is null) throw new ArgumentNullException(nameof(plan));
        if (data is null) throw new ArgumentNullException(nameof(data));
        var chain = ChainIndexes(plan, data);
        var answered = new double[chain.Length];
        double quality = 0, cost = 0, skipped = 0;
        for (var q = 0; q < data.Queries.Count; q++)
        {
            var (position, spent) = Replay(plan, data, q, chain, thresholdsOnly, out var skippedAt);
            answered[position]++;
            if (skippedAt >= 0) skipped++;
            quality += data.Correct[q][chain[position]];
            cost += spent;
        }

        var n = Math.Max(1, data.Queries.Count);
        var best = data.BestModel();
        var models = data.Models.Select((m, i) => new ModelFigures(m, data.Quality(i), data.MeanCost(i))).ToArray();
        return new TaskEvaluation(plan.Task, data.Queries.Count, data.Models[best], data.Quality(best), data.MeanCost(best),
            quality / n, cost / n, plan.Chain, answered.Select(a => a / n).ToArray(), models, skipped / n, plan.Bound);
    }

    /// <summary>Share of queries reaching each chain position, mean correctness and mean USD per query of a replay.</summary>
    internal static (double[] Reach, double Quality, double CostUsd) ReplayFigures(TaskCalibration plan, TaskOutcomes data, bool thresholdsOnly)
    {
        var chain = ChainIndexes(plan, data);
        var reach = new double[chain.Length];
        double quality = 0, cost = 0;
        for (var q = 0; q < data.Queries.Count; q++)
        {
            var (position, spent) = Replay(plan, data, q, chain, thresholdsOnly, out var skippedAt);
            for (var k = 0; k <= position; k++)
            {
                if (skippedAt < 0 || k <= skippedAt || k == position) reach[k]++;
            }
            quality += data.Correct[q][chain[position]];
            cost += spent;
        }

        var n = Math.Max(1, data.Queries.Count);
        return (reach.Select(r => r / n).ToArray(), quality / n, cost / n);
    }

    /// <summary>Where a query is answered (chain position) and what it cost.</summary>
    internal static (int Position, double CostUsd) Replay(TaskCalibration plan, TaskOutcomes data, int query, int[] chain, bool thresholdsOnly = false)
        => Replay(plan, data, query, chain, thresholdsOnly, out _);

    /// <summary>
    /// Where a query is answered and what it cost; <paramref name="skippedAt"/> is the position that skipped to the last
    /// tier (passing over at least one), or -1. Each answer is decided by the kernel's <see cref="ChainWalk"/>, the rule
    /// the router runs.
    /// </summary>
    internal static (int Position, double CostUsd) Replay(TaskCalibration plan, TaskOutcomes data, int query, int[] chain, bool thresholdsOnly, out int skippedAt)
    {
        skippedAt = -1;
        double cost = 0;
        for (var i = 0; ;)
        {
            cost += data.Cost[query][chain[i]];
            var step = Step(plan, data, query, chain, i, thresholdsOnly);
            if (step.Accepted) return (i, cost);
            // The tiers between a skip and the last are not called.
            if (step.Skipped) skippedAt = i;
            i = step.Next;
        }
    }

    private static ChainStep Step(TaskCalibration plan, TaskOutcomes data, int query, int[] chain, int position, bool thresholdsOnly)
    {
        // The last tier's recorded answer stands, whatever it scored.
        if (position == chain.Length - 1) return ChainWalk.Step(position, chain.Length, isLast: true, double.NaN, double.NegativeInfinity, skipBelow: double.NegativeInfinity);
        var features = data.AcceptorFeatures(query, chain, position);
        if (!thresholdsOnly && plan.Acceptors is { } acceptors && position < acceptors.Count)
            return ChainWalk.Step(position, chain.Length, acceptors[position], features is null ? double.NaN : acceptors[position].Probability(features));
        // A threshold is read literally, on the recorded confidence (not floored as the acceptors' features are): the
        // router compares its score with it the same way. "Accept everything" is the threshold -∞ ("any" in the file). A
        // position without a threshold never accepts.
        var threshold = position < plan.Thresholds.Count ? plan.LogThreshold(position) : double.PositiveInfinity;
        return ChainWalk.Step(position, chain.Length, isLast: false, features is null ? double.NaN : data.Confidence[query][chain[position]], threshold, skipBelow: double.NegativeInfinity);
    }

    /// <summary>The data's model index of every chain model.</summary>
    /// <exception cref="ArgumentException">A chain model has no outcomes in the data.</exception>
    internal static int[] ChainIndexes(TaskCalibration plan, TaskOutcomes data)
    {
        if (plan.Chain.Count == 0) throw new ArgumentException($"the calibration of '{plan.Task}' has an empty chain");
        return plan.Chain.Select(m =>
        {
            var index = IndexOf(data.Models, m);
            if (index < 0)
                throw new ArgumentException($"the chain of '{plan.Task}' names model '{m}', which has no outcomes in the data (models: {string.Join(", ", data.Models)})");
            return index;
        }).ToArray();
    }

    /// <summary><paramref name="value"/> / <paramref name="reference"/>; +∞ for a positive value over 0, 1 for 0 over 0.</summary>
    internal static double Relative(double value, double reference) => reference > 0 ? value / reference : value > 0 ? double.PositiveInfinity : 1;

    /// <summary>The position of <paramref name="value"/> in <paramref name="list"/> (ordinal), or -1.</summary>
    internal static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i], value, StringComparison.Ordinal)) return i;
        }

        return -1;
    }
}
