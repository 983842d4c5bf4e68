using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using RoutingSdk.Planning;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration;

/// <summary>The calibrator: the chains considered (pruned past the model limit) and the acceptance models fitted for each chain position.</summary>
internal static partial class Calibrator
{
    /// <summary>
    /// Every chain (subset of <see cref="ChainModels"/>, in cost order) with acceptance models fitted on
    /// <paramref name="data"/>.
    /// </summary>
    private static List<Candidate> Prepare(TaskOutcomes data, CalibratorOptions options)
    {
        var models = ChainModels(data, options, out _);
        var candidates = new List<Candidate>();
        var useConfidence = data.HasConfidence;
        // A position's acceptance model depends only on the chain up to it (its prefix), which many chains share.
        var byPrefix = new Dictionary<string, (double[] Weights, double[] Probability)>(StringComparer.Ordinal);
        for (var mask = 1; mask < 1 << models.Count; mask++)
        {
            var chain = Enumerable.Range(0, models.Count).Where(i => (mask & (1 << i)) != 0).Select(i => models[i]).ToArray();
            if (chain.Length > options.MaxChainLength) continue;
            if (chain.Length > 1 && !useConfidence) continue;
            candidates.Add(PrepareChain(data, chain, options, byPrefix));
        }

        return candidates;
    }

    /// <summary>
    /// The models chains are built from, as indexes in cost order: every model when the task has at most
    /// <see cref="CalibratorOptions.MaxChainModels"/>. Otherwise the search, exponential in the models, is pruned: first to
    /// the cost-quality frontier (a model that another matches or beats in quality at no more cost is dropped), then, if
    /// still too many, to the best model and the cheapest frontier models beside it. <paramref name="pruned"/> names the
    /// models left out, cheapest first (empty: none).
    /// </summary>
    internal static IReadOnlyList<int> ChainModels(TaskOutcomes data, CalibratorOptions options, out IReadOnlyList<string> pruned)
    {
        if (data is null) throw new ArgumentNullException(nameof(data));
        if (options is null) throw new ArgumentNullException(nameof(options));
        var m = data.Models.Count;
        var limit = Math.Max(1, Math.Min(options.MaxChainModels, 30));
        if (m <= limit)
        {
            pruned = Array.Empty<string>();
            return Enumerable.Range(0, m).ToArray();
        }

        var quality = new double[m];
        var cost = new double[m];
        for (var i = 0; i < m; i++)
        {
            quality[i] = data.Quality(i);
            cost[i] = data.MeanCost(i);
        }

        // Models are in cost order, so model i is dominated when a model before it (no dearer) is at least as good, or a
        // model after it at the same cost is better.
        var frontier = new List<int>();
        for (var i = 0; i < m; i++)
        {
            var dominated = false;
            for (var j = 0; j < m && !dominated; j++)
            {
                if (j == i) continue;
                dominated = cost[j] <= cost[i] && quality[j] >= quality[i] && (cost[j] < cost[i] || quality[j] > quality[i] || j < i);
            }

            if (!dominated) frontier.Add(i);
        }

        var best = data.BestModel();
        var kept = new SortedSet<int> { best };
        foreach (var i in frontier)
        {
            if (kept.Count >= limit) break;
            kept.Add(i);
        }

        pruned = Enumerable.Range(0, m).Where(i => !kept.Contains(i)).Select(i => data.Models[i]).ToArray();
        return kept.ToArray();
    }

    /// <summary>One chain with its acceptance models; fits of chain prefixes already in <paramref name="byPrefix"/> are reused.</summary>
    private static Candidate PrepareChain(TaskOutcomes data, int[] chain, CalibratorOptions options, Dictionary<string, (double[] Weights, double[] Probability)> byPrefix)
    {
        var n = data.Queries.Count;
        var weights = new double[chain.Length - 1][];
        var probability = new double[n][];
        for (var q = 0; q < n; q++) probability[q] = new double[chain.Length];
        var prefix = "";
        var seedMask = 0;   // the prefix as a bit set, which seeds its cross-fit folds
        for (var k = 0; k < chain.Length - 1; k++)
        {
            prefix += chain[k].ToString(System.Globalization.CultureInfo.InvariantCulture) + ",";
            seedMask |= 1 << chain[k];
            if (!byPrefix.TryGetValue(prefix, out var fitted))
            {
                fitted = FitPrefix(data, chain, k, options, seedMask);
                byPrefix[prefix] = fitted;
            }

            weights[k] = fitted.Weights;
            for (var q = 0; q < n; q++) probability[q][k] = fitted.Probability[q];
        }

        return new Candidate(chain, weights, probability, options.SkipToLast && options.Signals == CalibrationSignals.Combined);
    }

    /// <summary>
    /// The acceptance model of position <paramref name="k"/> fitted on every query, and each query's probability from a
    /// cross-fitted model that did not see it (so the threshold search does not trust the model more than new queries
    /// will); -1 where the tier has no confidence.
    /// </summary>
    private static (double[] Weights, double[] Probability) FitPrefix(TaskOutcomes data, int[] chain, int k, CalibratorOptions options, int prefix)
    {
        var n = data.Queries.Count;
        var features = new double[]?[n];
        for (var q = 0; q < n; q++) features[q] = data.AcceptorFeatures(q, chain, k);
        var weights = FitPosition(data, chain, k, options, features, null);
        var probability = new double[n];
        // On the confidence alone the fit is monotone: an acceptance probability is exactly a raw threshold, fitted on every
        // query, and the search replays precisely what a threshold does. Cross-fitting it only made the levels noisier
        // (held-out cost 0.48× against 0.39× on the cascades data, see docs/calibration.md).
        var crossFit = options.Signals == CalibrationSignals.Combined && options.CrossFitFolds >= 2 && n >= 4 * options.CrossFitFolds;
        var folds = crossFit
            ? Folds(n, options.CrossFitFolds, options.Seed + prefix, Strata(data, options))
            : new[] { (Enumerable.Range(0, n).ToArray(), Enumerable.Range(0, n).ToArray()) };
        foreach (var (fit, held) in folds)
        {
            var w = crossFit ? FitPosition(data, chain, k, options, features, fit) : weights;
            // A confidence-only fit that does not rise with the confidence never accepts (its raw threshold is "never").
            var never = options.Signals == CalibrationSignals.Confidence && w[1] <= 0;
            var acceptor = ToAcceptor(w, 0);
            foreach (var q in held) probability[q] = !never && features[q] is { } x ? acceptor.Probability(x) : -1;
        }

        return (weights, probability);
    }

    private static double[] FitPosition(TaskOutcomes data, int[] chain, int k, CalibratorOptions options, double[]?[] allFeatures, int[]? queries)
    {
        var x = new List<double[]>();
        var y = new List<double>();
        foreach (var q in queries ?? Enumerable.Range(0, data.Queries.Count))
        {
            var features = allFeatures[q];
            if (features is null) continue;
            x.Add(features);
            y.Add(data.Correct[q][chain[k]]);
        }

        if (options.Signals == CalibrationSignals.Combined && options.Shared is { } shared)
        {
            var (sharedX, sharedY) = shared.Rows(data, chain, k);
            x.AddRange(sharedX);
            y.AddRange(sharedY);
        }

        var use = Enumerable.Range(0, Acceptor.FeatureCount(k)).Select(i => i == 0 || options.Signals == CalibrationSignals.Combined).ToArray();
        return LogisticFit.Fit(x, y, use, options.Regularization);
    }

    private static Acceptor ToAcceptor(double[] w, double minProbability, double skipBelow = 0) => new(w[0], w.Skip(1).ToArray(), minProbability, skipBelow);
}
