using System;

namespace RoutingSdk.Planning.Guardrail;

/// <summary>
/// The figures of the shadow guardrail that the router and the offline replay both run: how many shadow comparisons a
/// chain position's agreement is estimated over, how many it needs before it may act, the confidence of its lower bound,
/// the agreement a task's target needs, and how far it may tighten.
/// </summary>
internal sealed class GuardSettings
{
    /// <summary>Creates the settings.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A figure is outside its range.</exception>
    public GuardSettings(double requiredAgreement = 0.95, int window = 500, int minSamples = 100, double z = 1.645, int maxLevel = 4)
    {
        if (!(requiredAgreement > 0 && requiredAgreement <= 1)) throw new ArgumentOutOfRangeException(nameof(requiredAgreement), requiredAgreement, "the required agreement is a share above 0 and at most 1");
        if (window < 1) throw new ArgumentOutOfRangeException(nameof(window), window, "the window holds at least one comparison");
        if (minSamples < 1 || minSamples > window) throw new ArgumentOutOfRangeException(nameof(minSamples), minSamples, "the guard needs at least one comparison and no more than its window holds");
        if (!(z > 0) || double.IsInfinity(z)) throw new ArgumentOutOfRangeException(nameof(z), z, "the bound's z is a positive number");
        if (maxLevel < 1 || maxLevel > 20) throw new ArgumentOutOfRangeException(nameof(maxLevel), maxLevel, "the guard tightens between 1 and 20 levels");
        RequiredAgreement = requiredAgreement;
        Window = window;
        MinSamples = minSamples;
        Z = z;
        MaxLevel = maxLevel;
    }

    /// <summary>
    /// The share of its baseline agreement a position must keep: the task's quality target. A position's baseline is the
    /// agreement its accepted answers had with the last tier on the calibration data when the calibration recorded it, else
    /// the agreement of its first full window of comparisons; the guard tightens when the upper bound of the current window
    /// falls below this share of it, and relaxes when the lower bound reaches it. Answers that keep this share of their agreement
    /// with the last tier lose at most 1 − this share of the quality they had relative to it (a disagreement counted as a loss).
    /// </summary>
    public double RequiredAgreement { get; }

    /// <summary>How many of a position's latest shadow comparisons its estimate is made of.</summary>
    public int Window { get; }

    /// <summary>How many comparisons since the position's last change of level the guard needs before it acts (with a baseline).</summary>
    public int MinSamples { get; }

    /// <summary>The normal quantile of the one-sided bounds (1.645: 95 %).</summary>
    public double Z { get; }

    /// <summary>The top level, where a position accepts nothing; each level below it halves the error share its acceptance allows.</summary>
    public int MaxLevel { get; }
}
