using System;

namespace RoutingSdk.Planning.Guardrail;

/// <summary>
/// The one rule of the shadow guardrail, run by the router on live shadow comparisons and by the offline replay on
/// recorded ones: which calls are shadowed, the confidence bounds of a position's agreement, when a position tightens
/// or relaxes, and the acceptance minimum a tightened position applies. Static functions of numbers: nothing is allocated.
/// </summary>
internal static class GuardRule
{
    /// <summary>
    /// Whether the eligible call numbered <paramref name="index"/> (0, 1, 2, … among the calls accepted below the chain's
    /// last tier) is shadowed at <paramref name="rate"/>: evenly spaced, exactly ⌊n × rate⌋ of the first n calls, so the
    /// share never drifts and the replay shadows the calls the router would.
    /// </summary>
    public static bool Sampled(long index, double rate)
    {
        if (!(rate > 0) || index < 0) return false;
        if (rate >= 1) return true;
        return Math.Floor((index + 1) * rate) > Math.Floor(index * rate);
    }

    /// <summary>
    /// The spending cap: whether a shadow call expected to cost <paramref name="next"/> may be made when shadow calls have
    /// cost <paramref name="shadowSpent"/> and the routed calls <paramref name="routedSpent"/> — when the shadow spend with
    /// it stays at most <paramref name="maxShare"/> of the routed spend (a share of 1 or more: always; 0 or less: never).
    /// </summary>
    public static bool WithinCap(decimal shadowSpent, decimal next, decimal routedSpent, double maxShare)
    {
        if (maxShare >= 1) return true;
        if (!(maxShare > 0)) return false;
        return shadowSpent + next <= routedSpent * (decimal)maxShare;
    }

    /// <summary>
    /// The Wilson score lower bound of a share of <paramref name="agreements"/> in <paramref name="samples"/> at normal
    /// quantile <paramref name="z"/>; 0 for no samples.
    /// </summary>
    public static double LowerBound(int agreements, int samples, double z) => Wilson(agreements, samples, z, -1);

    /// <summary>
    /// The Wilson score upper bound of a share of <paramref name="agreements"/> in <paramref name="samples"/> at normal
    /// quantile <paramref name="z"/>; 1 for no samples.
    /// </summary>
    public static double UpperBound(int agreements, int samples, double z) => samples <= 0 ? 1 : Wilson(agreements, samples, z, +1);

    private static double Wilson(int agreements, int samples, double z, int side)
    {
        if (samples <= 0) return 0;
        var n = (double)samples;
        var p = Math.Min(1.0, Math.Max(0.0, agreements / n));
        var z2 = z * z;
        var centre = p + z2 / (2 * n);
        var spread = z * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return Math.Min(1.0, Math.Max(0.0, (centre + side * spread) / (1 + z2 / n)));
    }

    /// <summary>
    /// The level a position goes to from <paramref name="level"/>, given the comparisons gathered since its last change.
    /// With fewer than <see cref="GuardSettings.MinSamples"/> it stays. When even the upper bound of their agreement is below
    /// <paramref name="required"/> (the evidence says the position misses its need) it goes to the top level
    /// (<see cref="GuardSettings.MaxLevel"/>: its queries go a tier higher, its answers become probes); when the lower bound
    /// reaches it (the evidence says it keeps its need) it relaxes one level (down to 0); between the two it stays.
    /// <paramref name="lowerBound"/> and <paramref name="upperBound"/> are the bounds (NaN with too few comparisons).
    /// </summary>
    public static int Decide(int level, int samples, int agreements, double required, GuardSettings settings, out double lowerBound, out double upperBound)
    {
        if (settings is null) throw new ArgumentNullException(nameof(settings));
        if (samples < settings.MinSamples)
        {
            lowerBound = upperBound = double.NaN;
            return level;
        }

        lowerBound = LowerBound(agreements, samples, settings.Z);
        upperBound = UpperBound(agreements, samples, settings.Z);
        if (upperBound < required) return settings.MaxLevel;
        if (lowerBound >= required) return Math.Max(0, level - 1);
        return level;
    }

    /// <summary>
    /// One step of a position after a comparison was added to its window: the rule both the in-process state
    /// (<see cref="TaskGuard"/>) and a shared store apply. Without a baseline (NaN) the position only waits for its first full
    /// window, whose agreement becomes the baseline, and never changes level; with one (learned so, or recorded by the
    /// calibration) it applies <see cref="Decide"/> against <see cref="Required"/>. A change of level starts a new window
    /// (<see cref="GuardStep.Restart"/>).
    /// </summary>
    public static GuardStep Step(int level, double baseline, int samples, int agreements, GuardSettings settings)
    {
        if (settings is null) throw new ArgumentNullException(nameof(settings));
        var agreement = samples == 0 ? double.NaN : (double)agreements / samples;
        if (double.IsNaN(baseline))
        {
            // No decision before the position's baseline: its first full window, on the traffic it was calibrated for.
            var learned = samples >= settings.Window ? agreement : double.NaN;
            return new GuardStep(new GuardChange(0, level, level, samples, agreement, double.NaN), learned);
        }

        var required = Required(baseline, settings);
        var to = Decide(level, samples, agreements, required, settings, out var lower, out var upper);
        return new GuardStep(new GuardChange(0, level, to, samples, agreement, lower, required, upper), baseline);
    }

    /// <summary>
    /// The agreement a position needs: <see cref="GuardSettings.RequiredAgreement"/> of its <paramref name="baseline"/>
    /// (NaN while it has none: the guard does not act).
    /// </summary>
    public static double Required(double baseline, GuardSettings settings) => baseline * settings.RequiredAgreement;

    /// <summary>
    /// The acceptance minimum of a position tightened by <paramref name="level"/> of at most <paramref name="maxLevel"/>:
    /// below the top level, the error share its minimum allows, 1 − p, halved per level; at the top level
    /// (<see cref="GuardSettings.MaxLevel"/>) the position accepts nothing (+∞): its queries start a tier higher in effect,
    /// while its answers still probe whether it may relax (<see cref="Probes"/>). <paramref name="logScale"/>: the minimum
    /// is a log-probability (−∞ accepts anything and becomes ln(1 − 2^−level)); otherwise a probability or 0–1 score
    /// (below 0 counts as 0). Below the top level a minimum that accepts only certainty (≥ 1, or ≥ 0 on the log scale) or
    /// nothing is kept; level 0 keeps every minimum.
    /// </summary>
    public static double Minimum(double minimum, int level, int maxLevel, bool logScale)
    {
        if (level <= 0 || double.IsNaN(minimum)) return minimum;
        if (level >= maxLevel) return double.PositiveInfinity;
        var p = logScale ? (minimum >= 0 ? 1.0 : Math.Exp(minimum)) : minimum >= 1 ? 1.0 : Math.Max(0.0, minimum);
        if (p >= 1) return minimum;
        var tightened = 1 - (1 - p) / Math.Pow(2, level);
        return logScale ? Math.Log(tightened) : tightened;
    }

    /// <summary>
    /// Whether an answer of value <paramref name="value"/> at a position at the top level is a probe: it would have been
    /// accepted one level below. Probes are shadowed like accepted answers, so that a position that accepts nothing can
    /// still show that its answers agree again and relax.
    /// </summary>
    public static bool Probes(double value, double minimum, int level, int maxLevel, bool logScale)
        => level >= maxLevel && value >= Minimum(minimum, maxLevel - 1, maxLevel, logScale);
}
