using System;
using System.Collections.Generic;
using System.Linq;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration;

/// <summary>
/// The shadow guardrail's baselines, measured when a plan is calibrated: per chain position but the last, the share of the
/// answers the plan accepts there that agree with the last tier's answer on the calibration data (as the guardrail compares
/// them: <see cref="OnlineReplay.Agree"/>). Recorded in the calibration file (<c>"agreement"</c>), they let the router and the
/// offline replay guard a position from its first comparisons, and never learn a baseline from traffic that has shifted.
/// </summary>
internal static class AgreementBaselines
{
    /// <summary>
    /// The agreement of each position but the last with the last tier on <paramref name="data"/> (NaN where the plan accepts
    /// nothing); <paramref name="byCorrectness"/>: compared as <see cref="OnlineReplay.Run"/> compares them.
    /// </summary>
    public static double[] Measure(TaskCalibration plan, TaskOutcomes data, bool byCorrectness = false)
    {
        if (plan is null) throw new ArgumentNullException(nameof(plan));
        if (data is null) throw new ArgumentNullException(nameof(data));
        var chain = Evaluator.ChainIndexes(plan, data);
        var last = chain.Length - 1;
        var accepted = new int[Math.Max(0, last)];
        var agreed = new int[accepted.Length];
        for (var q = 0; q < data.Queries.Count; q++)
        {
            var position = Evaluator.Replay(plan, data, q, chain).Position;
            if (position >= last) continue;
            accepted[position]++;
            if (OnlineReplay.Agree(data, q, chain[position], chain[last], byCorrectness)) agreed[position]++;
        }

        return accepted.Select((n, k) => n == 0 ? double.NaN : Math.Round((double)agreed[k] / n, 6)).ToArray();
    }

    /// <summary>The plan with its baselines measured on <paramref name="data"/>.</summary>
    public static TaskCalibration With(TaskCalibration c, TaskOutcomes data, bool byCorrectness = false)
        => new(c.Task, c.Chain, c.Thresholds, c.Models, c.Acceptors, c.Reach, c.ExpectedQuality, c.ExpectedCostUsd, c.BestModel, c.Margin, c.Scale, c.Bound,
            Measure(c, data, byCorrectness));

    /// <summary>Every task of <paramref name="calibration"/> found in <paramref name="outcomes"/> with its baselines measured there.</summary>
    public static RoutingCalibration With(RoutingCalibration calibration, IReadOnlyList<TaskOutcomes> outcomes, bool byCorrectness = false)
    {
        if (calibration is null) throw new ArgumentNullException(nameof(calibration));
        if (outcomes is null) throw new ArgumentNullException(nameof(outcomes));
        var tasks = calibration.Tasks.Select(t => outcomes.FirstOrDefault(o => string.Equals(o.Task, t.Task, StringComparison.Ordinal)) is { } data ? With(t, data, byCorrectness) : t).ToArray();
        return new RoutingCalibration(tasks, calibration.Target);
    }
}
