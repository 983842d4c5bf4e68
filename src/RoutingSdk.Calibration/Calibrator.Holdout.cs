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
        var margins = options.Margins.OrderBy(m => m).ToArray();
        var (fitIndexes, heldIndexes) = Split(data.Queries.Count, share, options.Seed + HoldoutSeed, Strata(data, options));
        if (heldIndexes.Length < MinHeldOutQueries || fitIndexes.Length < 2 * options.InnerFolds) return null;

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

    /// <summary>Per query of <paramref name="held"/>, in <paramref name="order"/>: whether <paramref name="plan"/>, replayed as the router runs it, answers it right.</summary>
    private static double[] HeldOutCorrectness(TaskCalibration plan, TaskOutcomes held, int[] order)
    {
        var chain = Evaluator.ChainIndexes(plan, held);
        return order.Select(q => held.Correct[q][chain[Evaluator.Replay(plan, held, q, chain).Position]]).ToArray();
    }
}
