using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using RoutingSdk.Planning;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration;

/// <summary>The calibrator: the search for the cheapest acceptance and skip levels that keep the quality requirement, and the entry it writes.</summary>
internal static partial class Calibrator
{
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
    /// accepted (inverting the fit instead loses the boundary answer to rounding); 1 (never) when it accepts none; -∞
    /// (every answer) when it accepts one at the floor.
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

        // An accepted answer at the floor means every confidence is accepted (the policy sees all of them as the floor):
        // that is -∞, written "any", so that a literal reading of the file accepts the answers below the floor too.
        return double.IsPositiveInfinity(lowest) ? 1.0 : lowest <= Acceptor.ConfidenceFloor ? double.NegativeInfinity : lowest;
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
