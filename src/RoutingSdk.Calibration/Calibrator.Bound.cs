using System.Linq;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration;

/// <summary>The calibrator: the margin chosen on a finite-sample quality bound, and the bound the file records.</summary>
internal static partial class Calibrator
{
    /// <summary>Offset of the seed of the order the bound takes the queries in (apart from the fold shuffles).</summary>
    private const int BoundOrderSeed = 104729;

    /// <summary>
    /// The margin chosen by the inner cross-validation, and with <see cref="CalibratorOptions.Confidence"/> the lower
    /// bound on quality relative to every single model at that confidence, from <paramref name="Queries"/> queries.
    /// <paramref name="BestAlone"/>: no margin's plans were bounded at the target, so the plan is the best single model.
    /// </summary>
    private readonly record struct MarginChoice(double Margin, double? Bound = null, int Queries = 0, bool BestAlone = false);

    /// <summary>
    /// The bounded margin (Learn then Test with fixed-sequence testing): the margins are tested from the largest (the
    /// plans that accept least early) down, each on its plans' held-out correctness per query (the mean over the inner
    /// runs, <paramref name="heldOut"/> / <paramref name="repeats"/>), and the search stops at the first margin whose lower
    /// bound at <paramref name="confidence"/> misses the target against some model; the chosen margin is the last that
    /// held. Testing in an order fixed before the data and stopping at the first failure keeps the chance of choosing a
    /// margin whose plans truly miss the target at 1 − confidence without a correction for the number of margins.
    /// </summary>
    private static MarginChoice BoundedMargin(TaskOutcomes data, CalibratorOptions options, double[] margins, double[][] heldOut, int repeats, double confidence)
    {
        var alpha = 1 - confidence;
        var order = QualityBound.Order(data.Queries.Count, options.Seed + BoundOrderSeed);
        var rows = order.Select(q => data.Correct[q]).ToArray();
        double[]? chosen = null;
        var margin = margins[margins.Length - 1];
        for (var i = margins.Length - 1; i >= 0; i--)
        {
            var plan = order.Select(q => heldOut[i][q] / repeats).ToArray();
            if (!QualityBound.Holds(plan, rows, options.Target, alpha, options.BoundMethod)) break;
            chosen = plan;
            margin = margins[i];
        }

        if (chosen is null) return BestAloneChoice(data, margins, alpha, order, options.BoundMethod);
        return new MarginChoice(margin, QualityBound.RelativeLowerBound(chosen, rows, alpha, options.BoundMethod), data.Queries.Count);
    }

    /// <summary>Too few queries for the inner cross-validation: nothing can be bounded but the best single model.</summary>
    private static MarginChoice TooFewToBound(TaskOutcomes data, double[] margins, double confidence, QualityBoundMethod method)
        => BestAloneChoice(data, margins, 1 - confidence, Enumerable.Range(0, data.Queries.Count).ToArray(), method);

    /// <summary>The best single model as the plan, with its own bound against every single model (chosen by its quality on these queries).</summary>
    private static MarginChoice BestAloneChoice(TaskOutcomes data, double[] margins, double alpha, int[] order, QualityBoundMethod method)
    {
        var best = data.BestModel();
        var rows = order.Select(q => data.Correct[q]).ToArray();
        var plan = rows.Select(r => r[best]).ToArray();
        return new MarginChoice(margins[margins.Length - 1], QualityBound.RelativeLowerBound(plan, rows, alpha, method), data.Queries.Count, BestAlone: true);
    }

    /// <summary>The plan of the best single model, as <see cref="Select"/> falls back to it.</summary>
    private static Policy BestAlone(System.Collections.Generic.List<Candidate> candidates, TaskOutcomes data)
    {
        var best = data.BestModel();
        return Simulate(candidates.First(c => c.Chain.Length == 1 && c.Chain[0] == best), data, System.Array.Empty<double>(), 0);
    }

    /// <summary><paramref name="calibration"/> with the bound of <paramref name="choice"/> when it has one.</summary>
    private static TaskCalibration WithBound(TaskCalibration calibration, MarginChoice choice, CalibratorOptions options)
    {
        if (choice.Bound is not { } bound || options.Confidence is not { } confidence) return calibration;
        var c = calibration;
        return new TaskCalibration(c.Task, c.Chain, c.Thresholds, c.Models, c.Acceptors, c.Reach, c.ExpectedQuality, c.ExpectedCostUsd, c.BestModel, c.Margin, c.Scale,
            new QualityBoundFigures(bound, confidence, choice.Queries));
    }
}
