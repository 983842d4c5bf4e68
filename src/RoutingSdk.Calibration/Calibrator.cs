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
/// This file: the entry points, the margin choice and the per-chain tables the parts share. The parts:
/// Calibrator.Fits.cs (chains and acceptance fits), Calibrator.Search.cs (levels and the quality requirement),
/// Calibrator.CrossValidation.cs (held-out figures), Calibrator.Hindsight.cs (the floor); the walk each simulated query
/// takes is the kernel's ChainWalk.
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

    /// <summary>
    /// Calibrates one task: picks the safety margin by inner cross-validation, then fits on all its queries; or, with
    /// <see cref="CalibratorOptions.Holdout"/>, picks and bounds the plan on a split (<see cref="CalibrateWithHoldout"/>).
    /// </summary>
    public static TaskCalibration CalibrateTask(TaskOutcomes data, CalibratorOptions? options = null)
    {
        if (data is null) throw new ArgumentNullException(nameof(data));
        options ??= new CalibratorOptions();
        Check(options);
        if (data.Queries.Count == 0) throw new ArgumentException($"task '{data.Task}' has no query answered by every model");
        if (options.Holdout is { } share && options.Confidence is { } confidence)
        {
            return CalibrateWithHoldout(data, options, share, confidence)
                ?? Fitted(data, options, TooFewToBound(data, options.Margins.OrderBy(m => m).ToArray(), confidence, options.BoundMethod));
        }

        return Fitted(data, options, ChooseMargin(data, options));
    }

    /// <summary>The plan fitted on all of <paramref name="data"/> with the margin of <paramref name="choice"/> (the best single model when it says so), with its bound.</summary>
    private static TaskCalibration Fitted(TaskOutcomes data, CalibratorOptions options, MarginChoice choice)
    {
        var prepared = Prepare(data, options);
        var policy = choice.BestAlone ? BestAlone(prepared, data) : Select(prepared, data, options.Target, choice.Margin, options);
        return WithBound(ToCalibration(policy, ThresholdPolicy(policy, data, options), data, choice.Margin, options), choice, options);
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
        var choice = ChooseMargin(data, single, train =>
        {
            var candidate = ThresholdCandidate(train, chain, single);
            return m =>
            {
                var thresholds = ThresholdSearch(candidate, train, m, single);
                return ToCalibration(thresholds, thresholds, train, m, single);
            };
        });
        var thresholdCandidate = ThresholdCandidate(data, chain, single);
        // No margin bounded: the chain's last tier answers everything (as when no raw threshold keeps the requirement).
        return choice.BestAlone ? (thresholdCandidate.Uniform ??= UniformPolicies(thresholdCandidate, data))[0]
            : ThresholdSearch(thresholdCandidate, data, choice.Margin, single);
    }

    private static Candidate ThresholdCandidate(TaskOutcomes data, int[] chain, CalibratorOptions single)
        => PrepareChain(data, chain, single, new Dictionary<string, (double[] Weights, double[] Probability)>(StringComparer.Ordinal));

    /// <summary>The cheapest raw thresholds on the candidate's chain that keep the requirement; "never accept early" when none does.</summary>
    private static Policy ThresholdSearch(Candidate candidate, TaskOutcomes data, double margin, CalibratorOptions single)
        => Search(candidate, data, new Requirement(data, single.Target, margin), single.PerPositionThresholds)
            ?? (candidate.Uniform ??= UniformPolicies(candidate, data))[0];

    private static void Check(CalibratorOptions options)
    {
        if (double.IsNaN(options.Target) || options.Target <= 0 || options.Target > 1)
            throw new ArgumentOutOfRangeException(nameof(options), $"the target {options.Target} is outside (0, 1]");
        if (options.InnerFolds < 2) throw new ArgumentOutOfRangeException(nameof(options), "the inner cross-validation needs at least 2 folds");
        if (options.InnerRepeats < 1) throw new ArgumentOutOfRangeException(nameof(options), "the inner cross-validation must run at least once");
        if (options.Confidence is { } confidence && !(confidence > 0 && confidence < 1))
            throw new ArgumentOutOfRangeException(nameof(options), $"the confidence {confidence} is outside (0, 1); null calibrates without a bound");
        if (options.Holdout is { } share && !(share > 0 && share < 1))
            throw new ArgumentOutOfRangeException(nameof(options), $"the hold-out share {share} is outside (0, 1)");
        if (options.Holdout is not null && options.Confidence is null)
            throw new ArgumentException("a hold-out share bounds the plan's quality, so it needs a confidence", nameof(options));
        if (options.MaxSharedRows < 0) throw new ArgumentOutOfRangeException(nameof(options), "MaxSharedRows cannot be negative");
        if (options.Margins.Count == 0 || options.Margins.Any(m => m < 0 || double.IsNaN(m)))
            throw new ArgumentOutOfRangeException(nameof(options), "the margins must be one or more values ≥ 0");
    }

    /// <summary>
    /// The margin from the plans' replays on the inner held-out queries: with <see cref="CalibratorOptions.Confidence"/>,
    /// the bounded choice of <see cref="BoundedMargin"/>; without, the smallest margin whose plans, fitted on inner folds,
    /// keep the target (plus <see cref="CalibratorOptions.InnerSlack"/>) on the inner held-out queries, pooled, and the
    /// largest margin when none does. <paramref name="plans"/> prepares the plans of one inner fold's fitting queries and
    /// gives the plan of each margin.
    /// </summary>
    private static MarginChoice ChooseMargin(TaskOutcomes data, CalibratorOptions options, Func<TaskOutcomes, Func<double, TaskCalibration>> plans)
    {
        var margins = options.Margins.OrderBy(m => m).ToArray();
        if (data.Queries.Count < 2 * options.InnerFolds) return options.Confidence is { } c ? TooFewToBound(data, margins, c, options.BoundMethod) : new MarginChoice(margins[margins.Length - 1]);
        if (margins.Length == 1 && options.Confidence is null) return new MarginChoice(margins[0]);
        var repeats = options.InnerRepeats;
        var correct = new double[margins.Length];
        // [margin][query]: the query's held-out correctness summed over the runs.
        var heldOut = margins.Select(_ => new double[data.Queries.Count]).ToArray();
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
                        heldOut[i][held[q]] += test.Correct[q][chain[position]];
                    }
                }
            }
        }

        if (options.Confidence is { } confidence) return BoundedMargin(data, options, margins, heldOut, repeats, confidence);
        var best = data.BestModel();
        var bestCorrect = data.Correct.Sum(row => row[best]);
        var required = (options.Target + options.InnerSlack) * bestCorrect;
        for (var i = 0; i < margins.Length; i++)
        {
            if (bestCorrect <= 0 || correct[i] >= repeats * required) return new MarginChoice(margins[i]);
        }

        // No margin held the target: take the one that came closest (the largest among equals).
        var closest = 0;
        for (var i = 1; i < margins.Length; i++)
        {
            if (correct[i] >= correct[closest]) closest = i;
        }

        return new MarginChoice(margins[closest]);
    }

    /// <summary>The calibration's margin: the plans of every chain (<see cref="Select"/>), as the router runs them.</summary>
    private static MarginChoice ChooseMargin(TaskOutcomes data, CalibratorOptions options) => ChooseMargin(data, options, train =>
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
}
