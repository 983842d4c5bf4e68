using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using RoutingSdk.Calibration;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Cli;

/// <summary>The routing tool: what it says on stderr about the outcomes it was given, before it calibrates on them.</summary>
public static partial class CliApp
{
    /// <summary>Says on stderr, per task with more models than chains are built from, which models the chain search leaves out.</summary>
    internal static void ReportPruning(TextWriter error, IReadOnlyList<TaskOutcomes> tasks, CalibratorOptions options)
    {
        foreach (var task in tasks)
        {
            var kept = Calibrator.ChainModels(task, options, out var pruned);
            if (pruned.Count == 0) continue;
            error.WriteLine($"routing: task '{task.Task}' has {task.Models.Count} models; chains are built from {kept.Count} " +
                $"(the cost-quality frontier, cheapest first, and the best model: {string.Join(", ", kept.Select(i => task.Models[i]))}); " +
                $"left out: {string.Join(", ", pruned)}");
        }
    }

    /// <summary>
    /// Says on stderr, per task too small for <c>--holdout</c> to set queries aside, what it gets instead: the best single
    /// model, bounded on all its queries. With <paramref name="folds"/> (cross-validation) the queries are those of the
    /// smallest part a fold fits on.
    /// </summary>
    internal static void ReportHoldout(TextWriter error, IReadOnlyList<TaskOutcomes> tasks, CalibratorOptions options, int folds = 0)
    {
        if (options.Holdout is not { } share || options.Confidence is null) return;
        foreach (var task in tasks)
        {
            var n = task.Queries.Count;
            var fitted = folds > 1 ? n - (n + Math.Min(folds, n) - 1) / Math.Min(folds, n) : n;
            var split = Calibrator.HoldoutSplitOf(fitted, share, options);
            if (split.Enough) continue;
            var need = $", and a bound needs {split.MinHeldOut} set aside with {split.MinFit} left to fit on: nothing is set aside";
            error.WriteLine($"routing: warning: task '{task.Task}': --holdout {F(share, "0.###")} would set aside {split.HeldOut} of " + (folds > 1
                ? $"the {split.Queries} queries a cross-validation fold fits on{need} there, and those folds' plans are the best single model"
                : $"its {split.Queries} queries{need}, and its plan is the best single model, bounded on all {split.Queries} queries as without --holdout"));
        }
    }

    /// <summary>
    /// Says on stderr, per task on which no model got any query right, that its relative figures say nothing: quality
    /// relative to a best model that scored 0 is 0/0, printed as 1×, and the "best" model is the dearest (a tie goes to the
    /// dearer), so a grading that failed (every <c>correct</c> 0) would pass for a task the plans keep at full quality.
    /// </summary>
    internal static void ReportNothingRight(TextWriter error, IReadOnlyList<TaskOutcomes> tasks)
    {
        foreach (var task in tasks.Where(t => t.Queries.Count > 0 && t.Correct.All(row => row.All(c => c <= 0))))
        {
            error.WriteLine($"routing: warning: no model got any of the {task.Queries.Count} queries of task '{task.Task}' right (every 'correct' is 0): " +
                "its quality relative to the best model is 0/0, printed as 1×, and its best model is the dearest; check how the answers were graded");
        }
    }

    /// <summary>
    /// Says on stderr, per task whose best single model cost nothing in the outcomes while its plan spent, that costs relative
    /// to that model are not defined: the tables print "-" (<see cref="Times"/>), not infinity.
    /// </summary>
    internal static void ReportFreeBestModels(TextWriter error, IEnumerable<(TaskEvaluation Task, double RelativeCost)> figures)
    {
        foreach (var task in figures.Where(f => f.Task.BestCostUsd <= 0 && !double.IsFinite(f.RelativeCost)).Select(f => f.Task).GroupBy(t => t.Task).Select(g => g.First()))
            ReportFreeBestModel(error, task.Task, task.BestModel);
    }

    /// <summary>The same for <c>routing limits</c>: per task of <paramref name="bounds"/> whose best model cost nothing in <paramref name="tasks"/>.</summary>
    internal static void ReportFreeBestModelLimits(TextWriter error, IReadOnlyList<TaskOutcomes> tasks, IEnumerable<TaskHindsight> bounds)
    {
        foreach (var bound in bounds)
        {
            if (tasks.FirstOrDefault(t => t.Task == bound.Task) is not { } data) continue;
            var model = Enumerable.Range(0, data.Models.Count).FirstOrDefault(m => data.Models[m] == bound.BestModel, -1);
            if (model >= 0 && data.Cost.All(row => row[model] <= 0)) ReportFreeBestModel(error, bound.Task, bound.BestModel);
        }
    }

    private static void ReportFreeBestModel(TextWriter error, string task, string bestModel)
        => error.WriteLine($"routing: task '{task}': its best model, {bestModel}, costs nothing in the outcomes (cost_usd 0), " +
            "so costs relative to it are not defined and are printed as '-'");

    /// <summary>
    /// Says on stderr, per task whose outcomes are all shadowed calls written by the router, that they are the queries a
    /// cheap tier was trusted with: a plan fitted on them alone trusts that tier on the rest of the traffic too.
    /// </summary>
    internal static void ReportShadowedCalls(TextWriter error, IReadOnlyList<TaskOutcomes> tasks)
    {
        foreach (var task in tasks.Where(t => t.Queries.Count > 0 && t.Queries.All(OutcomeQueries.IsShadowed)))
        {
            error.WriteLine($"routing: warning: the outcomes of task '{task.Task}' are shadowed calls only, the queries a cheaper tier was trusted with; " +
                "a plan fitted on them trusts that tier on the queries it was not trusted with too. Calibrate on calibration samples instead (ShadowOptions.CalibrationRate).");
        }
    }
}
