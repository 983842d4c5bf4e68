using System.Linq;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration;

/// <summary>
/// The calibrator: with <see cref="CalibratorOptions.Holdout"/>, the plan chosen on part of a task's queries and its
/// quality bound computed on the rest, so that the bound the file records is one of the plan written.
/// </summary>
internal static partial class Calibrator
{
    /// <summary>Offset of the seed of the split into fitting and held-out queries (apart from the fold shuffles).</summary>
    private const int HoldoutSeed = 15485863;

    /// <summary>Fewest held-out queries a bound is computed on.</summary>
    private const int MinHeldOutQueries = 10;

    /// <summary>
    /// Calibrates <paramref name="data"/> on a split: ⌊n · <paramref name="share"/>⌋ of its queries (stratified as the
    /// folds are) are set aside, and the plans of the margins, fitted on the rest, are tested on them from the largest
    /// margin down, stopping at the first whose lower bound at <paramref name="confidence"/> misses the target against
    /// some model (fixed-sequence testing, as with the inner cross-validation). The plan written is the last that held,
    /// as fitted, and its bound is on queries it never saw: exact for that plan, under exchangeable traffic. When no
    /// margin holds, the plan is the best single model on the fitting queries, with its own bound on the set-aside ones.
    /// Null when the task has too few queries to set any aside (fewer than <see cref="MinHeldOutQueries"/>, or too few
    /// left for the acceptance fits' folds).
    /// </summary>
    private static TaskCalibration? CalibrateWithHoldout(TaskOutcomes data, CalibratorOptions options, double share, double confidence)
    {
        if (!HoldoutSplitOf(data.Queries.Count, share, options).Enough) return null;
        var margins = options.Margins.OrderBy(m => m).ToArray();
        var (fitIndexes, heldIndexes) = Split(data.Queries.Count, share, options.Seed + HoldoutSeed, Strata(data, options));

        var fit = data.Subset(fitIndexes);
        var held = data.Subset(heldIndexes);
        var alpha = 1 - confidence;
        var order = QualityBound.Order(held.Queries.Count, options.Seed + BoundOrderSeed);
        var rows = order.Select(q => held.Correct[q]).ToArray();
        var prepared = Prepare(fit, options);

        Policy? chosen = null;
        double[]? chosenCorrect = null;
        var margin = margins[margins.Length - 1];
        for (var i = margins.Length - 1; i >= 0; i--)
        {
            options.CancellationToken.ThrowIfCancellationRequested();
            var policy = Select(prepared, fit, options.Target, margins[i], options);
            var replayed = HeldOutCorrectness(ToCalibration(policy, policy, fit, margins[i], options), held, order);
            if (!QualityBound.Holds(replayed, rows, options.Target, alpha, options.BoundMethod)) break;
            (chosen, chosenCorrect, margin) = (policy, replayed, margins[i]);
        }

        var bestAlone = chosen is null;
        if (chosen is null)
        {
            chosen = BestAlone(prepared, fit);
            var best = fit.BestModel();
            chosenCorrect = rows.Select(r => r[best]).ToArray();
        }

        var bound = QualityBound.RelativeLowerBound(chosenCorrect!, rows, alpha, options.BoundMethod);
        var calibration = ToCalibration(chosen, ThresholdPolicy(chosen, fit, options), fit, margin, options);
        return WithBound(calibration, new MarginChoice(margin, bound, held.Queries.Count, bestAlone), options);
    }

    /// <summary>
    /// How <see cref="CalibrateWithHoldout"/> splits a task of <paramref name="queries"/> queries at <paramref name="share"/>
    /// (⌊n · share⌋ set aside, as <see cref="Split"/> sets aside), and whether that is enough to set them aside: when it is
    /// not, the task's plan is the best single model, bounded on all its queries as without a hold-out.
    /// </summary>
    internal static HoldoutSplit HoldoutSplitOf(int queries, double share, CalibratorOptions options)
    {
        var heldOut = (int)System.Math.Floor(queries * share);
        return new HoldoutSplit(queries, heldOut, queries - heldOut, MinHeldOutQueries, 2 * options.InnerFolds);
    }

    /// <summary>Per query of <paramref name="held"/>, in <paramref name="order"/>: whether <paramref name="plan"/>, replayed as the router runs it, answers it right.</summary>
    private static double[] HeldOutCorrectness(TaskCalibration plan, TaskOutcomes held, int[] order)
    {
        var chain = Evaluator.ChainIndexes(plan, held);
        return order.Select(q => held.Correct[q][chain[Evaluator.Replay(plan, held, q, chain).Position]]).ToArray();
    }
}

/// <summary>
/// A task's split for <see cref="CalibratorOptions.Holdout"/>: <paramref name="HeldOut"/> of its <paramref name="Queries"/>
/// queries set aside and <paramref name="Fit"/> left to fit on, against the fewest of each the calibrator sets aside.
/// </summary>
internal readonly record struct HoldoutSplit(int Queries, int HeldOut, int Fit, int MinHeldOut, int MinFit)
{
    /// <summary>Whether the queries are set aside: enough to bound on, and enough left for the fits.</summary>
    public bool Enough => HeldOut >= MinHeldOut && Fit >= MinFit;
}
