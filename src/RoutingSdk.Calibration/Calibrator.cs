using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using RoutingSdk.Planning;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration;

/// <summary>
/// Learns, per task, the cheapest cascade whose quality stays at or above a target share of the best single model's,
/// on data it was not fitted on. See docs/calibration.md for the algorithm.
/// </summary>
/// <remarks>
/// Longer than most files here: the search over chains, acceptance levels, skip levels and margins is one algorithm
/// whose steps share their per-query tables; the floor it is measured against (hindsight) is in Calibrator.Hindsight.cs,
/// the fits in LogisticFit.cs, the walk each simulated query takes in the kernel's ChainWalk.
/// </remarks>
internal static partial class Calibrator
{
    /// <summary>Smallest safety margin (standard errors) offered to the raw thresholds' own margin search.</summary>
    private const double MinThresholdMargin = 1.0;

    /// <summary>Most acceptance probabilities tried per search.</summary>
    private const int MaxLevels = 48;

    /// <summary>Most skip levels tried per acceptance level (<see cref="CalibratorOptions.SkipToLast"/>).</summary>
    private const int MaxSkipLevels = 16;

    /// <summary>Calibrates every task.</summary>
    public static RoutingCalibration Calibrate(IReadOnlyList<TaskOutcomes> tasks, CalibratorOptions? options = null)
    {
        if (tasks is null) throw new ArgumentNullException(nameof(tasks));
        options ??= new CalibratorOptions();
        var shared = options.SharingWith(tasks);
        var calibrations = new TaskCalibration[tasks.Count];
        InParallel(tasks.Count, options.CancellationToken, i => calibrations[i] = CalibrateTask(tasks[i], shared));
        return new RoutingCalibration(calibrations, options.Target);
    }

    /// <summary>
    /// Runs <paramref name="body"/> for 0..<paramref name="count"/>-1 in parallel (tasks, or cross-validation runs, are
    /// calibrated independently, each from its own seeds, so the result does not depend on the order). A failure surfaces as the exception of the
    /// lowest-numbered item that failed, as a sequential loop would throw it, not wrapped in an <see cref="AggregateException"/>.
    /// </summary>
    private static void InParallel(int count, CancellationToken cancellationToken, Action<int> body)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var failures = new Exception?[count];
        System.Threading.Tasks.Parallel.For(0, count, i =>
        {
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                body(i);
            }
            catch (Exception ex)
            {
                failures[i] = ex;
            }
        });

        cancellationToken.ThrowIfCancellationRequested();
        foreach (var failure in failures)
        {
            if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    /// <summary>Calibrates one task: picks the safety margin by inner cross-validation, then fits on all its queries.</summary>
    public static TaskCalibration CalibrateTask(TaskOutcomes data, CalibratorOptions? options = null)
    {
        if (data is null) throw new ArgumentNullException(nameof(data));
        options ??= new CalibratorOptions();
        Check(options);
        if (data.Queries.Count == 0) throw new ArgumentException($"task '{data.Task}' has no query answered by every model");
        var margin = ChooseMargin(data, options);
        var policy = Select(Prepare(data, options), data, options.Target, margin, options);
        return ToCalibration(policy, ThresholdPolicy(policy, data, options), data, margin, options);
    }

    /// <summary>
    /// The plan on one confidence per tier (the file's <c>thresholds</c>, for a consumer without acceptors): the chosen
    /// chain with acceptance on each tier's own confidence alone, searched against the same requirement with a safety
    /// margin of its own (chosen by inner cross-validation as the plan's is). The acceptors of
    /// a combined plan lean on agreement and answer length, which a raw threshold cannot reproduce; deriving the thresholds
    /// from them would give a plan of another quality than the one measured. When no raw threshold keeps the requirement
    /// the chain's positions never accept early (its last tier answers everything).
    /// </summary>
    private static Policy ThresholdPolicy(Policy policy, TaskOutcomes data, CalibratorOptions options)
    {
        if (options.Signals == CalibrationSignals.Confidence || policy.Candidate.Chain.Length == 1) return policy;
        var single = options.With(CalibrationSignals.Confidence);
        // Raw thresholds fit less closely than acceptors and need their own margin: picked, as the plan's is, by the inner
        // cross-validation, here of the thresholds alone on this chain, and from MinThresholdMargin up (with the acceptors'
        // margin, or from 0.5, single held-out runs left a task at 0.937× on the cascades data; docs/calibration.md).
        if (single.Margins.Any(m => m >= MinThresholdMargin)) single.Margins = single.Margins.Where(m => m >= MinThresholdMargin).ToArray();
        var chain = policy.Candidate.Chain;
        var margin = ChooseMargin(data, single, train =>
        {
            var candidate = ThresholdCandidate(train, chain, single);
            return m =>
            {
                var thresholds = ThresholdSearch(candidate, train, m, single);
                return ToCalibration(thresholds, thresholds, train, m, single);
            };
        });
        return ThresholdSearch(ThresholdCandidate(data, chain, single), data, margin, single);
    }

    private static Candidate ThresholdCandidate(TaskOutcomes data, int[] chain, CalibratorOptions single)
        => PrepareChain(data, chain, single, new Dictionary<string, (double[] Weights, double[] Probability)>(StringComparer.Ordinal));

    /// <summary>The cheapest raw thresholds on the candidate's chain that keep the requirement; "never accept early" when none does.</summary>
    private static Policy ThresholdSearch(Candidate candidate, TaskOutcomes data, double margin, CalibratorOptions single)
        => Search(candidate, data, new Requirement(data, single.Target, margin), single.PerPositionThresholds)
            ?? (candidate.Uniform ??= UniformPolicies(candidate, data))[0];

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

        // Stratified: the shuffled order sorted by stratum (stable, so still shuffled within a stratum); dealing position i
        // to fold i mod k then gives every fold the same share of each stratum.
        if (strata is not null) order = order.OrderBy(i => strata[i]).ToArray();
        var k = Math.Min(folds, Math.Max(n, 1));
        for (var f = 0; f < k; f++)
        {
            var held = order.Where((_, i) => i % k == f).OrderBy(i => i).ToArray();
            var fit = order.Where((_, i) => i % k != f).OrderBy(i => i).ToArray();
            yield return (fit, held);
        }
    }

    /// <summary>The strata of stratified folds (<see cref="TaskOutcomes.RightPatterns"/>), or null when folds are not stratified.</summary>
    private static int[]? Strata(TaskOutcomes data, CalibratorOptions options) => options.StratifyFolds ? data.RightPatterns : null;

    private static void Check(CalibratorOptions options)
    {
        if (double.IsNaN(options.Target) || options.Target <= 0 || options.Target > 1)
            throw new ArgumentOutOfRangeException(nameof(options), $"the target {options.Target} is outside (0, 1]");
        if (options.InnerFolds < 2) throw new ArgumentOutOfRangeException(nameof(options), "the inner cross-validation needs at least 2 folds");
        if (options.InnerRepeats < 1) throw new ArgumentOutOfRangeException(nameof(options), "the inner cross-validation must run at least once");
        if (options.MaxSharedRows < 0) throw new ArgumentOutOfRangeException(nameof(options), "MaxSharedRows cannot be negative");
        if (options.Margins.Count == 0 || options.Margins.Any(m => m < 0 || double.IsNaN(m)))
            throw new ArgumentOutOfRangeException(nameof(options), "the margins must be one or more values ≥ 0");
    }

    /// <summary>
    /// The smallest margin whose plans, fitted on inner folds, keep the target (plus <see cref="CalibratorOptions.InnerSlack"/>)
    /// on the inner held-out queries, pooled; the largest margin when none does. <paramref name="plans"/> prepares the plans
    /// of one inner fold's fitting queries and gives the plan of each margin.
    /// </summary>
    private static double ChooseMargin(TaskOutcomes data, CalibratorOptions options, Func<TaskOutcomes, Func<double, TaskCalibration>> plans)
    {
        var margins = options.Margins.OrderBy(m => m).ToArray();
        if (margins.Length == 1 || data.Queries.Count < 2 * options.InnerFolds) return margins[margins.Length - 1];
        var repeats = options.InnerRepeats;
        var correct = new double[margins.Length];
        for (var repeat = 0; repeat < repeats; repeat++)
        {
            foreach (var (fit, held) in Folds(data.Queries.Count, options.InnerFolds, options.Seed + 7919 * (repeat + 1), Strata(data, options)))
            {
                options.CancellationToken.ThrowIfCancellationRequested();
                var train = data.Subset(fit);
                var test = data.Subset(held);
                var planFor = plans(train);
                for (var i = 0; i < margins.Length; i++)
                {
                    var plan = planFor(margins[i]);
                    var chain = Evaluator.ChainIndexes(plan, test);
                    for (var q = 0; q < test.Queries.Count; q++)
                    {
                        var (position, _) = Evaluator.Replay(plan, test, q, chain);
                        correct[i] += test.Correct[q][chain[position]];
                    }
                }
            }
        }

        var best = data.BestModel();
        var bestCorrect = data.Correct.Sum(row => row[best]);
        var required = (options.Target + options.InnerSlack) * bestCorrect;
        for (var i = 0; i < margins.Length; i++)
        {
            if (bestCorrect <= 0 || correct[i] >= repeats * required) return margins[i];
        }

        // No margin held the target: take the one that came closest (the largest among equals).
        var closest = 0;
        for (var i = 1; i < margins.Length; i++)
        {
            if (correct[i] >= correct[closest]) closest = i;
        }

        return margins[closest];
    }

    /// <summary>The calibration's margin: the plans of every chain (<see cref="Select"/>), as the router runs them.</summary>
    private static double ChooseMargin(TaskOutcomes data, CalibratorOptions options) => ChooseMargin(data, options, train =>
    {
        var prepared = Prepare(train, options);
        return margin =>
        {
            var chosen = Select(prepared, train, options.Target, margin, options);
            return ToCalibration(chosen, chosen, train, margin, options);
        };
    });

    /// <summary>A chain with its fitted acceptance models and every query's acceptance probability per position.</summary>
    private sealed class Candidate
    {
        public Candidate(int[] chain, double[][] weights, double[][] probability, bool skips)
        {
            Chain = chain;
            Weights = weights;
            Probability = probability;
            Skips = skips && chain.Length >= 3;
        }

        /// <summary>Whether the search also tries skip levels (a chain of three or more tiers, and skipping allowed).</summary>
        public bool Skips { get; }

        /// <summary>
        /// The positions a skip level applies to: the first, when the chain has three tiers or more (from the last but one,
        /// skipping is escalating). A level shared by later positions too was cheaper but missed the target more often.
        /// </summary>
        public int SkipPositions => Skips ? 1 : 0;

        public int[] Chain { get; }

        /// <summary>Per position but the last: [bias, confidence, probability, agreement, agreeing, disagreeing].</summary>
        public double[][] Weights { get; }

        /// <summary>[query][position]: probability of being right, or -1 when the position can never accept.</summary>
        public double[][] Probability { get; }

        /// <summary>Replays with one acceptance probability shared by all positions (see <see cref="UniformPolicies"/>), once computed.</summary>
        public Policy[]? Uniform { get; set; }
    }

    private sealed class Policy
    {
        public Policy(Candidate candidate, double[] minProbability, double skipBelow, double quality, double cost, double[] reach, double sumA, double sumA2, double[] sumAB)
        {
            Candidate = candidate;
            MinProbability = minProbability;
            SkipBelow = skipBelow;
            Quality = quality;
            Cost = cost;
            Reach = reach;
            SumA = sumA;
            SumA2 = sumA2;
            SumAB = sumAB;
        }

        /// <summary>Σ a, Σ a², and per model m Σ a·b[m] over queries: a = the plan's correctness, b[m] = model m's.</summary>
        public double SumA { get; }
        public double SumA2 { get; }
        public double[] SumAB { get; }

        public Candidate Candidate { get; }
        public double[] MinProbability { get; }

        /// <summary>The skip level of the first position (<see cref="Candidate.SkipPositions"/>; 0: none).</summary>
        public double SkipBelow { get; }

        public double Quality { get; }
        public double Cost { get; }
        public double[] Reach { get; }
    }

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

    /// <summary>
    /// The cheapest candidate policy that meets the <see cref="Requirement"/> on <paramref name="data"/> (<paramref name="target"/>, <paramref name="safety"/>)
    /// standard errors); the best single model itself when none does.
    /// </summary>
    private static Policy Select(List<Candidate> candidates, TaskOutcomes data, double target, double safety, CalibratorOptions options)
    {
        var best = data.BestModel();
        var requirement = new Requirement(data, target, safety);
        Policy? chosen = null;
        foreach (var candidate in candidates)
        {
            var policy = Search(candidate, data, requirement, options.PerPositionThresholds);
            if (policy is null) continue;
            if (chosen is null || policy.Cost < chosen.Cost - 1e-15 || (Math.Abs(policy.Cost - chosen.Cost) <= 1e-15 && policy.Quality > chosen.Quality))
                chosen = policy;
        }

        return chosen ?? Simulate(candidates.First(c => c.Chain.Length == 1 && c.Chain[0] == best), data, Array.Empty<double>(), 0);
    }

    /// <summary>
    /// The cheapest acceptance probabilities for one chain that keep the quality at <paramref name="required"/>: the best
    /// uniform probability, then coordinate descent position by position. Null when even "never accept early" falls short.
    /// </summary>
    private static Policy? Search(Candidate candidate, TaskOutcomes data, Requirement required, bool perPosition)
    {
        var positions = candidate.Chain.Length - 1;
        // The replays do not depend on the requirement: simulated once per candidate, reused for every margin tried.
        var uniform = candidate.Uniform ??= UniformPolicies(candidate, data);
        var current = uniform[0];
        if (!required.IsMetBy(current)) return null;
        if (positions == 0) return current;

        for (var i = 1; i < uniform.Length; i++)
        {
            var trial = uniform[i];
            if (trial.Cost < current.Cost && required.IsMetBy(trial)) current = trial;
        }

        for (var sweep = 0; perPosition && sweep < 2; sweep++)
        {
            var improved = false;
            for (var k = 0; k < positions; k++)
            {
                foreach (var p in Levels(candidate, new[] { k }))
                {
                    if (p == current.MinProbability[k]) continue;
                    var tau = (double[])current.MinProbability.Clone();
                    tau[k] = p;
                    var trial = Simulate(candidate, data, tau, current.SkipBelow);
                    if (trial.Cost < current.Cost - 1e-15 && required.IsMetBy(trial))
                    {
                        current = trial;
                        improved = true;
                    }
                }
            }

            if (!improved) break;
        }

        return current;
    }

    /// <summary>
    /// The candidate replayed with "never accept early", then with each shared acceptance probability of <see cref="Levels"/>;
    /// when the candidate <see cref="Candidate.Skips"/>, each of those also with every skip level of <see cref="SkipLevels"/>.
    /// </summary>
    private static Policy[] UniformPolicies(Candidate candidate, TaskOutcomes data)
    {
        var positions = candidate.Chain.Length - 1;
        var policies = new List<Policy> { Simulate(candidate, data, Enumerable.Repeat(2.0, positions).ToArray(), 0) };
        if (positions > 0)
        {
            var skips = candidate.Skips ? SkipLevels(candidate) : Array.Empty<double>();
            // The queries a skip level can move, least trusted first: a level moves exactly those below it.
            var byTrust = skips.Length == 0 ? Array.Empty<int>()
                : Enumerable.Range(0, data.Queries.Count).Where(q => candidate.Probability[q][0] >= 0).OrderBy(q => candidate.Probability[q][0]).ToArray();
            foreach (var p in Levels(candidate, Enumerable.Range(0, positions).ToArray()))
            {
                var tau = Enumerable.Repeat(p, positions).ToArray();
                var walk = Simulate(candidate, data, tau, 0);
                policies.Add(walk);
                if (skips.Length > 0) AddSkipping(policies, walk, data, byTrust, skips);
            }
        }

        return policies.ToArray();
    }

    /// <summary>
    /// Adds <paramref name="walk"/> with each skip level below its acceptance level, in the order of <paramref name="skips"/>
    /// (ascending), as <see cref="Simulate"/> would give them: the figures are additive over queries, so each level adds to
    /// the walk the change of the queries it sends straight to the last tier — those whose first answer is not accepted
    /// and is trusted below it — swept once along <paramref name="byTrust"/> (the queries by first-position probability).
    /// </summary>
    private static void AddSkipping(List<Policy> policies, Policy walk, TaskOutcomes data, int[] byTrust, double[] skips)
    {
        var candidate = walk.Candidate;
        var chain = candidate.Chain;
        var last = chain.Length - 1;
        var accept = walk.MinProbability[0];
        var n = Math.Max(1, data.Queries.Count);
        double quality = walk.SumA, cost = walk.Cost * n, sumA2 = walk.SumA2;
        var sumAB = (double[])walk.SumAB.Clone();
        var reach = walk.Reach.Select(r => Math.Round(r * n)).ToArray();
        var next = 0;
        foreach (var skip in skips)
        {
            if (skip >= accept) break;
            for (; next < byTrust.Length && candidate.Probability[byTrust[next]][0] < skip; next++)
            {
                var q = byTrust[next];
                // Where the walk answers this query, and what it pays on the way.
                var answered = Answer(candidate.Probability[q], walk.MinProbability, skipBelow: double.NegativeInfinity, skipPositions: 0, chain.Length, out _);
                var paid = 0.0;
                for (var k = 0; k <= answered; k++) paid += data.Cost[q][chain[k]];

                for (var k = 1; k <= answered; k++) reach[k]--;
                reach[last]++;
                cost += data.Cost[q][chain[0]] + data.Cost[q][chain[last]] - paid;
                var before = data.Correct[q][chain[answered]];
                var after = data.Correct[q][chain[last]];
                quality += after - before;
                sumA2 += after * after - before * before;
                var row = data.Correct[q];
                for (var m = 0; m < sumAB.Length; m++) sumAB[m] += (after - before) * row[m];
            }

            policies.Add(new Policy(candidate, walk.MinProbability, skip, quality / n, cost / n, reach.Select(r => r / n).ToArray(), quality, sumA2, (double[])sumAB.Clone()));
        }
    }

    /// <summary>
    /// Candidate skip levels: just above evenly spaced quantiles of the probabilities the skipping positions give on the
    /// fitting queries (the lowest first), so that each level sends a few more of the least trusted answers to the last tier.
    /// </summary>
    private static double[] SkipLevels(Candidate candidate)
    {
        var values = new List<double>();
        foreach (var row in candidate.Probability)
        {
            for (var k = 0; k < candidate.SkipPositions; k++)
            {
                if (row[k] >= 0) values.Add(row[k]);
            }
        }

        var distinct = values.Distinct().OrderBy(v => v).ToArray();
        if (distinct.Length == 0) return Array.Empty<double>();
        // Skipping concerns the least trusted answers: quantiles of the lower half, each level just above a probability seen.
        var lower = distinct.Take(Math.Max(1, distinct.Length / 2)).ToArray();
        var count = Math.Min(MaxSkipLevels, lower.Length);
        var levels = new double[count];
        for (var i = 0; i < count; i++) levels[i] = Math.Min(1, NextUp(lower[(int)((long)i * (lower.Length - 1) / Math.Max(1, count - 1))]));
        return levels.Distinct().ToArray();
    }

    /// <summary>The smallest double above <paramref name="value"/> (for a level that a probability equal to a seen one falls below).</summary>
    private static double NextUp(double value)
    {
        var bits = BitConverter.DoubleToInt64Bits(value);
        return BitConverter.Int64BitsToDouble(value >= 0 ? bits + 1 : bits - 1);
    }

    /// <summary>
    /// Where the walk answers one query of these per-position probabilities (-1: none, which escalates), decided by the
    /// kernel's <see cref="ChainWalk"/> as the router decides it: accepted at <paramref name="minProbability"/>, sent
    /// straight to the last tier below <paramref name="skipBelow"/> from the first <paramref name="skipPositions"/>
    /// positions, the last tier's answer standing. <paramref name="skippedAt"/> is the position that skipped, or -1.
    /// </summary>
    internal static int Answer(double[] probability, double[] minProbability, double skipBelow, int skipPositions, int length, out int skippedAt)
    {
        skippedAt = -1;
        for (var k = 0; ;)
        {
            var last = k == length - 1;
            var step = ChainWalk.Step(k, length, last, !last && probability[k] >= 0 ? probability[k] : double.NaN,
                last ? double.NegativeInfinity : minProbability[k], k < skipPositions ? skipBelow : double.NegativeInfinity);
            if (step.Accepted) return k;
            if (step.Skipped) skippedAt = k;
            k = step.Next;
        }
    }

    private static Policy Simulate(Candidate candidate, TaskOutcomes data, double[] minProbability, double skipBelow)
    {
        var chain = candidate.Chain;
        double quality = 0, cost = 0, sumA2 = 0;
        var sumAB = new double[data.Models.Count];
        var reach = new double[chain.Length];
        for (var q = 0; q < data.Queries.Count; q++)
        {
            var costs = data.Cost[q];
            var answered = Answer(candidate.Probability[q], minProbability, skipBelow, candidate.SkipPositions, chain.Length, out var skippedAt);
            for (var k = 0; k <= answered; k++)
            {
                // A skip level sends a scored answer trusted below it straight to the last tier: the ones between are not called.
                if (skippedAt >= 0 && k > skippedAt && k < answered) continue;
                reach[k]++;
                cost += costs[chain[k]];
            }

            var a = data.Correct[q][chain[answered]];
            quality += a;
            sumA2 += a * a;
            if (a != 0)
            {
                var row = data.Correct[q];
                for (var m = 0; m < sumAB.Length; m++) sumAB[m] += a * row[m];
            }
        }

        var n = Math.Max(1, data.Queries.Count);
        return new Policy(candidate, minProbability, skipBelow, quality / n, cost / n, reach.Select(r => r / n).ToArray(), quality, sumA2, sumAB);
    }

    /// <summary>
    /// The quality constraint on fitting data, against every single model (whichever is best on new queries): with
    /// a = the plan's correctness and b = the model's per query, the mean of d = a − target·b must be at least
    /// <c>safety</c> standard errors above 0. A plan that changes few answers has a small standard error and needs
    /// little room; one that changes many needs more; a model close to the best but right on other queries counts too.
    /// </summary>
    private sealed class Requirement
    {
        private readonly double _target, _safety, _n;
        private readonly double[] _sumB, _sumB2;

        public Requirement(TaskOutcomes data, double target, double safety)
        {
            _target = target;
            _safety = safety;
            _n = data.Queries.Count;
            _sumB = new double[data.Models.Count];
            _sumB2 = new double[data.Models.Count];
            foreach (var row in data.Correct)
            {
                for (var m = 0; m < row.Length; m++)
                {
                    _sumB[m] += row[m];
                    _sumB2[m] += row[m] * row[m];
                }
            }
        }

        public bool IsMetBy(Policy policy)
        {
            if (_n == 0) return true;
            for (var m = 0; m < _sumB.Length; m++)
            {
                var sumD = policy.SumA - _target * _sumB[m];
                if (sumD < -1e-9) return false;
                if (_safety <= 0) continue;
                var sumD2 = policy.SumA2 - 2 * _target * policy.SumAB[m] + _target * _target * _sumB2[m];
                var variance = Math.Max(0, sumD2 / _n - (sumD / _n) * (sumD / _n));
                if (sumD < _safety * Math.Sqrt(variance * _n) - 1e-9) return false;
            }

            return true;
        }
    }

    /// <summary>
    /// The calibration file's entry: <paramref name="policy"/>'s chain and acceptors, and the raw thresholds of
    /// <paramref name="single"/> (the same chain on each tier's own confidence, for a consumer without acceptors); reach
    /// and expected figures are those of the entry replayed as the router runs it (with its acceptors when it has them).
    /// The margin search passes the combined policy as its own <paramref name="single"/>: its replays use the acceptors.
    /// </summary>
    private static TaskCalibration ToCalibration(Policy policy, Policy single, TaskOutcomes data, double margin, CalibratorOptions options)
    {
        var candidate = policy.Candidate;
        var acceptors = candidate.Weights.Select((w, k) => ToAcceptor(w, policy.MinProbability[k], k < candidate.SkipPositions ? policy.SkipBelow : 0)).ToArray();
        // Found on log-probabilities; written on the scale the outcome file recorded (0–1 scores for the router's own).
        var thresholds = Enumerable.Range(0, single.Candidate.Chain.Length - 1)
            .Select(k => ConfidenceScales.FromLogThreshold(LowestAccepted(single, k, data), data.Scale)).ToArray();
        var models = data.Models.Select((m, i) => new ModelFigures(m, Math.Round(data.Quality(i), 6), data.MeanCost(i))).ToArray();
        var chain = candidate.Chain.Select(i => data.Models[i]).ToArray();
        var kept = acceptors.Length == 0 || options.Signals == CalibrationSignals.Confidence ? null : acceptors;
        // The figures the planner projects from are those of the entry as written, replayed on the fitting queries.
        var (reach, quality, cost) = Evaluator.ReplayFigures(new TaskCalibration(data.Task, chain, thresholds, models, kept, scale: data.Scale), data, thresholdsOnly: false);
        return new TaskCalibration(data.Task, chain, thresholds, models, kept, reach.Select(r => Math.Round(r, 6)).ToArray(), Math.Round(quality, 6),
            cost, data.Models[data.BestModel()], margin, data.Scale);
    }

    /// <summary>
    /// The raw threshold of position <paramref name="k"/> of a confidence-only policy: the lowest (floored) confidence
    /// it accepts on the fitting queries, so that "confidence ≥ threshold" accepts exactly the answers the search
    /// accepted (inverting the fit instead loses the boundary answer to rounding); 1 (never) when it accepts none.
    /// </summary>
    private static double LowestAccepted(Policy policy, int k, TaskOutcomes data)
    {
        var model = policy.Candidate.Chain[k];
        var lowest = double.PositiveInfinity;
        for (var q = 0; q < data.Queries.Count; q++)
        {
            var p = policy.Candidate.Probability[q][k];
            if (p >= 0 && p >= policy.MinProbability[k]) lowest = Math.Min(lowest, Math.Max(data.Confidence[q][model], Acceptor.ConfidenceFloor));
        }

        return double.IsPositiveInfinity(lowest) ? 1.0 : lowest;
    }

    /// <summary>
    /// Candidate acceptance probabilities: the distinct probabilities the positions give on the fitting queries (every
    /// one when few, else evenly spaced quantiles), so that every cut the data allows can be tried, plus "never".
    /// </summary>
    private static double[] Levels(Candidate candidate, int[] positions)
    {
        var values = new List<double>();
        foreach (var row in candidate.Probability)
        {
            foreach (var k in positions)
            {
                if (row[k] >= 0) values.Add(row[k]);
            }
        }

        var distinct = values.Distinct().OrderBy(v => v).ToArray();
        var levels = new List<double>();
        if (distinct.Length <= MaxLevels)
        {
            levels.AddRange(distinct);
        }
        else
        {
            for (var i = 0; i < MaxLevels; i++) levels.Add(distinct[(int)((long)i * (distinct.Length - 1) / (MaxLevels - 1))]);
        }

        levels.Add(2.0);
        return levels.ToArray();
    }
}

