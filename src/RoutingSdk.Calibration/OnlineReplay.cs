using System;
using System.Collections.Generic;
using RoutingSdk.Planning.Calibration;
using RoutingSdk.Planning.Guardrail;

namespace RoutingSdk.Calibration;

/// <summary>How a calibrated plan did on one task's queries replayed in order with the shadow guardrail.</summary>
internal sealed class OnlineTaskEvaluation
{
    internal OnlineTaskEvaluation(TaskEvaluation staticPlan, double quality, double costUsd, double shadowCostUsd, int shadowCalls, long tightenings,
        IReadOnlyList<int> tightenedAt, double[] correct, double[] cost, int samples = 0)
    {
        Samples = samples;
        Static = staticPlan;
        Quality = quality;
        CostUsd = costUsd;
        ShadowCostUsd = shadowCostUsd;
        ShadowCalls = shadowCalls;
        Tightenings = tightenings;
        TightenedAt = tightenedAt;
        Correct = correct;
        Cost = cost;
    }

    /// <summary>The same plan replayed without the guardrail (<see cref="Evaluator.EvaluateTask"/>).</summary>
    public TaskEvaluation Static { get; }

    /// <summary>Mean correctness of the answers returned.</summary>
    public double Quality { get; }

    /// <summary>Mean USD per query, shadow calls included.</summary>
    public double CostUsd { get; }

    /// <summary>Mean USD per query of the shadow calls and the calibration samples.</summary>
    public double ShadowCostUsd { get; }

    /// <summary>Shadow calls made.</summary>
    public int ShadowCalls { get; }

    /// <summary>Calibration samples made (every tier of the chain; their cost is in <see cref="ShadowCostUsd"/>).</summary>
    public int Samples { get; }

    /// <summary>How often a position of the task tightened.</summary>
    public long Tightenings { get; }

    /// <summary>The query indexes at which a position tightened, in order.</summary>
    public IReadOnlyList<int> TightenedAt { get; }

    /// <summary>Per query, the correctness of the answer returned.</summary>
    public double[] Correct { get; }

    /// <summary>Per query, what it cost (its shadow call included).</summary>
    public double[] Cost { get; }

    /// <summary><see cref="Quality"/> / the best model's quality.</summary>
    public double RelativeQuality => Evaluator.Relative(Quality, Static.BestQuality);

    /// <summary><see cref="CostUsd"/> / the best model's cost.</summary>
    public double RelativeCost => Evaluator.Relative(CostUsd, Static.BestCostUsd);

    /// <summary>The share of the cost spent on shadow calls.</summary>
    public double ShadowShare => CostUsd > 0 ? ShadowCostUsd / CostUsd : 0;
}

/// <summary>
/// Replays outcome data in row order through a calibrated plan with the shadow guardrail, running the kernel's code the
/// router runs: <see cref="ChainWalk"/> decides each answer at the acceptance minimum <see cref="TaskGuard"/> holds for its
/// position, <see cref="GuardRule.Sampled"/> picks the accepted answers to shadow, <see cref="GuardRule.WithinCap"/>
/// keeps the spending cap, and each shadow comparison (the recorded answers of the accepted tier and the last tier; their
/// correctness where answers are not recorded) feeds <see cref="TaskGuard.Record"/>.
/// </summary>
internal static class OnlineReplay
{
    /// <summary>Replays one task's queries, in order.</summary>
    /// <param name="plan">The task's calibrated plan.</param>
    /// <param name="data">Its outcomes, in the order the queries arrive.</param>
    /// <param name="settings">The guardrail's figures.</param>
    /// <param name="rate">The share of answers accepted below the last tier that are shadowed.</param>
    /// <param name="maxShareOfCost">The spending cap: shadow spend at most this share of the routed spend.</param>
    /// <param name="thresholdsOnly">Replay the raw thresholds only, acceptors ignored.</param>
    /// <param name="byCorrectness">
    /// Compare as a judge would: two answers agree when both are right or both wrong (for free text, whose recorded answers
    /// are never equal word for word); otherwise the recorded answers (<see cref="Agree"/>).
    /// </param>
    /// <param name="calibrationRate">
    /// The share of the queries, evenly spaced, sent again to every tier of the chain for the calibration sample, as the
    /// router does with <c>ShadowOptions.CalibrationRate</c>; their cost counts as shadow cost. 0: none.
    /// </param>
    /// <param name="maxCalibrationShareOfCost">The samples' own spending cap (<c>ShadowOptions.MaxCalibrationShareOfCost</c>).</param>
    public static OnlineTaskEvaluation Run(TaskCalibration plan, TaskOutcomes data, GuardSettings settings, double rate, double maxShareOfCost = 0.05, bool thresholdsOnly = false,
        bool byCorrectness = false, double calibrationRate = 0, double maxCalibrationShareOfCost = 0.05)
    {
        if (plan is null) throw new ArgumentNullException(nameof(plan));
        if (data is null) throw new ArgumentNullException(nameof(data));
        var chain = Evaluator.ChainIndexes(plan, data);
        var last = chain.Length - 1;
        // The baselines the calibration recorded, if any: a position without one learns it from its first full window.
        var guard = new TaskGuard(chain.Length, settings, plan.Agreement);
        var n = data.Queries.Count;
        var correct = new double[n];
        var cost = new double[n];
        var tightenedAt = new List<int>();
        double shadowCost = 0, sampleCost = 0, routedCost = 0;
        var shadowCalls = 0;
        var samples = 0;
        for (var q = 0; q < n; q++)
        {
            var (position, spent, probe) = Walk(plan, data, q, chain, guard, thresholdsOnly);
            correct[q] = data.Correct[q][chain[position]];
            cost[q] = spent;
            routedCost += spent;
            // The answer accepted below the last tier, or else a probe of a position that accepts nothing, is shadowed.
            var compared = position < last ? position : probe;
            if (compared >= 0 && guard.NextIsShadowed(rate) && GuardRule.WithinCap((decimal)shadowCost, (decimal)data.Cost[q][chain[last]], (decimal)routedCost, maxShareOfCost))
            {
                var shadow = data.Cost[q][chain[last]];
                shadowCost += shadow;
                cost[q] += shadow;
                shadowCalls++;
                if (guard.Record(compared, Agree(data, q, chain[compared], chain[last], byCorrectness)).Tightened) tightenedAt.Add(q);
            }

            // The calibration sample: every tier of a chain of two or more, whichever answered the query.
            if (last > 0 && GuardRule.Sampled(q, calibrationRate))
            {
                double whole = 0;
                foreach (var model in chain) whole += data.Cost[q][model];
                if (GuardRule.WithinCap((decimal)sampleCost, (decimal)whole, (decimal)routedCost, maxCalibrationShareOfCost))
                {
                    sampleCost += whole;
                    cost[q] += whole;
                    samples++;
                }
            }
        }

        double quality = 0, total = 0;
        for (var q = 0; q < n; q++)
        {
            quality += correct[q];
            total += cost[q];
        }

        var count = Math.Max(1, n);
        return new OnlineTaskEvaluation(Evaluator.EvaluateTask(plan, data, thresholdsOnly), quality / count, total / count, (shadowCost + sampleCost) / count, shadowCalls,
            guard.Tightenings, tightenedAt, correct, cost, samples);
    }

    /// <summary>
    /// Whether the answers of two models on a query agree: their recorded answers when both have one (unless
    /// <paramref name="byCorrectness"/>), else their correctness (both right or both wrong).
    /// </summary>
    internal static bool Agree(TaskOutcomes data, int query, int model, int reference, bool byCorrectness = false)
        => !byCorrectness && data.Answers[query][model] is { } a && data.Answers[query][reference] is { } b
            ? string.Equals(a, b, StringComparison.Ordinal)
            : data.Correct[query][model] >= 0.5 == data.Correct[query][reference] >= 0.5;

    /// <summary>
    /// Where a query is answered and what it cost, each position deciding at the minimum the guard holds for it now; and the
    /// first position whose rejected answer was a probe (<see cref="TaskGuard.Probes"/>), or -1.
    /// </summary>
    private static (int Position, double CostUsd, int Probe) Walk(TaskCalibration plan, TaskOutcomes data, int query, int[] chain, TaskGuard guard, bool thresholdsOnly)
    {
        double spent = 0;
        var probe = -1;
        for (var i = 0; ;)
        {
            spent += data.Cost[query][chain[i]];
            if (i == chain.Length - 1) return (i, spent, probe);   // the last tier's recorded answer stands
            ChainStep step;
            var features = data.AcceptorFeatures(query, chain, i);
            if (!thresholdsOnly && plan.Acceptors is { } acceptors && i < acceptors.Count)
            {
                var acceptor = acceptors[i];
                var probability = features is null ? double.NaN : acceptor.Probability(features);
                step = ChainWalk.Step(i, chain.Length, isLast: false, probability, guard.Minimum(i, acceptor.MinProbability, logScale: false), acceptor.SkipBelow);
                if (probe < 0 && !step.Accepted && guard.Probes(i, probability, acceptor.MinProbability, logScale: false)) probe = i;
            }
            else
            {
                var confidence = features is null ? double.NaN : data.Confidence[query][chain[i]];
                var raw = i < plan.Thresholds.Count ? plan.LogThreshold(i) : double.PositiveInfinity;
                step = ChainWalk.Step(i, chain.Length, isLast: false, confidence, guard.Minimum(i, raw, logScale: true), skipBelow: double.NegativeInfinity);
                if (probe < 0 && !step.Accepted && guard.Probes(i, confidence, raw, logScale: true)) probe = i;
            }

            if (step.Accepted) return (i, spent, probe);
            i = step.Next;
        }
    }
}
