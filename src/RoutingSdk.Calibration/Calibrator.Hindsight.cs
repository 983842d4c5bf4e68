using System;
using System.Collections.Generic;
using System.Linq;
using RoutingSdk.Planning;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration;

/// <summary>
/// The cheapest plan of one quality level when the chain and its acceptance level are picked on the very queries
/// they are measured on: a floor that no calibration can be expected to beat on new queries.
/// </summary>
/// <param name="RelativeQuality">The quality level, relative to the best single model (for example 0.95).</param>
/// <param name="RelativeCost">
/// The cheapest cost, relative to the best single model, of a plan reaching <paramref name="RelativeQuality"/> on the
/// task's queries; <see cref="double.PositiveInfinity"/> when no plan of the calibrator's family reaches it.
/// </param>
/// <param name="Chain">That plan's chain (empty when none reaches the level).</param>
internal sealed record HindsightPoint(double RelativeQuality, double RelativeCost, IReadOnlyList<string> Chain);

/// <summary>What perfect hindsight and perfect knowledge could reach on one task (see <see cref="Calibrator.Hindsight"/>).</summary>
internal sealed class TaskHindsight
{
    internal TaskHindsight(string task, int queries, string bestModel, IReadOnlyList<HindsightPoint> points, double oracleRelativeCost, double oracleRelativeQuality)
    {
        Task = task;
        Queries = queries;
        BestModel = bestModel;
        Points = points;
        OracleRelativeCost = oracleRelativeCost;
        OracleRelativeQuality = oracleRelativeQuality;
    }

    /// <summary>The task.</summary>
    public string Task { get; }

    /// <summary>Queries measured.</summary>
    public int Queries { get; }

    /// <summary>The reference: the most accurate single model (a tie goes to the dearer).</summary>
    public string BestModel { get; }

    /// <summary>One point per requested quality level, in the order requested.</summary>
    public IReadOnlyList<HindsightPoint> Points { get; }

    /// <summary>
    /// Relative cost of a router that knew every answer: each query goes straight to the cheapest model that answers it
    /// right (to the cheapest model when none does).
    /// </summary>
    public double OracleRelativeCost { get; }

    /// <summary>That router's quality relative to the best model: the share of queries some model answers right.</summary>
    public double OracleRelativeQuality { get; }
}

internal static partial class Calibrator
{
    /// <summary>
    /// Per task and per quality level: the cheapest plan of the calibrator's own family (a chain of the task's models in
    /// cost order, acceptance models fitted as in <see cref="CalibrateTask"/>, one acceptance probability shared by the
    /// positions, and a skip level on the first when <see cref="CalibratorOptions.SkipToLast"/>) whose quality on the task's queries reaches the level, picked on those same queries with no
    /// safety margin; and what a router that knew every answer would pay. Held-out figures
    /// (<see cref="CrossValidate"/>) can only come near these floors: they show how much of a cost target is reachable
    /// with the signals the outcome file carries, before any question of fitting.
    /// </summary>
    /// <param name="tasks">The outcomes, one table per task.</param>
    /// <param name="levels">Quality levels relative to the best single model, each in (0, 2].</param>
    /// <param name="options">Signals, seed, cross-fitting and chain length; the target and margins are not used.</param>
    /// <exception cref="ArgumentOutOfRangeException">A level is outside (0, 2], or there is none.</exception>
    public static IReadOnlyList<TaskHindsight> Hindsight(IReadOnlyList<TaskOutcomes> tasks, IReadOnlyList<double> levels, CalibratorOptions? options = null)
    {
        if (tasks is null) throw new ArgumentNullException(nameof(tasks));
        if (levels is null) throw new ArgumentNullException(nameof(levels));
        if (levels.Count == 0) throw new ArgumentOutOfRangeException(nameof(levels), "give at least one quality level");
        foreach (var level in levels)
        {
            if (double.IsNaN(level) || level <= 0 || level > 2)
                throw new ArgumentOutOfRangeException(nameof(levels), $"the quality level {level} is outside (0, 2]");
        }

        options = (options ?? new CalibratorOptions()).SharingWith(tasks);
        var result = new TaskHindsight[tasks.Count];
        InParallel(tasks.Count, options.CancellationToken, t => result[t] = HindsightTask(tasks[t], levels, options));
        return result;
    }

    private static TaskHindsight HindsightTask(TaskOutcomes data, IReadOnlyList<double> levels, CalibratorOptions options)
    {
        if (data.Queries.Count == 0) throw new ArgumentException($"task '{data.Task}' has no query answered by every model", "tasks");
        var best = data.BestModel();
        var bestCorrect = data.Correct.Sum(row => row[best]);
        var bestCost = data.MeanCost(best);
        var n = data.Queries.Count;
        var policies = Prepare(data, options).SelectMany(c => c.Uniform ??= UniformPolicies(c, data)).ToArray();
        var points = levels.Select(level =>
        {
            Policy? cheapest = null;
            foreach (var policy in policies)
            {
                if (policy.SumA < level * bestCorrect - 1e-9) continue;
                if (cheapest is null || policy.Cost < cheapest.Cost - 1e-15 || (Math.Abs(policy.Cost - cheapest.Cost) <= 1e-15 && policy.SumA > cheapest.SumA))
                    cheapest = policy;
            }

            return cheapest is null
                ? new HindsightPoint(level, double.PositiveInfinity, Array.Empty<string>())
                : new HindsightPoint(level, Evaluator.Relative(cheapest.Cost, bestCost), cheapest.Candidate.Chain.Select(i => data.Models[i]).ToArray());
        }).ToArray();

        double oracleCost = 0, oracleCorrect = 0;
        for (var q = 0; q < n; q++)
        {
            // Models are in cost order per call on average; per query the cheapest right answer is what counts.
            var pick = -1;
            var right = 0.0;
            for (var m = 0; m < data.Models.Count; m++)
            {
                var c = data.Correct[q][m];
                if (c > right || (c == right && c > 0 && pick >= 0 && data.Cost[q][m] < data.Cost[q][pick]))
                {
                    right = c;
                    pick = m;
                }
            }

            if (pick < 0)
            {
                pick = 0;
                for (var m = 1; m < data.Models.Count; m++)
                {
                    if (data.Cost[q][m] < data.Cost[q][pick]) pick = m;
                }
            }

            oracleCost += data.Cost[q][pick];
            oracleCorrect += right;
        }

        return new TaskHindsight(data.Task, n, data.Models[best], points, Evaluator.Relative(oracleCost / n, bestCost),
            bestCorrect > 0 ? oracleCorrect / bestCorrect : 1);
    }
}
