using System;

namespace RoutingSdk.Planning.Calibration;

/// <summary>What the <c>confidence</c> column of an outcome file, and so a calibration's thresholds, measure.</summary>
internal enum ConfidenceScale
{
    /// <summary>A log-probability of the answer (≤ 0; higher is more confident), as research data sets record it.</summary>
    LogProbability,

    /// <summary>A score from 0 to 1, as the router computes it and <c>routing try</c>/<c>TierTrial</c> record it.</summary>
    Probability,
}

/// <summary>Conversions between the two confidence scales; the calibrator works on log-probabilities inside.</summary>
internal static class ConfidenceScales
{
    /// <summary>
    /// The scale of a set of recorded confidences: <see cref="ConfidenceScale.Probability"/> when every one lies in 0–1
    /// and at least one is above 0 (log-probabilities never are), else <see cref="ConfidenceScale.LogProbability"/>.
    /// </summary>
    public static ConfidenceScale Detect(System.Collections.Generic.IEnumerable<double> confidences)
    {
        if (confidences is null) throw new ArgumentNullException(nameof(confidences));
        var anyPositive = false;
        foreach (var c in confidences)
        {
            if (double.IsNaN(c)) continue;
            if (c < 0 || c > 1) return ConfidenceScale.LogProbability;
            anyPositive |= c > 0;
        }

        return anyPositive ? ConfidenceScale.Probability : ConfidenceScale.LogProbability;
    }

    /// <summary>A confidence on <paramref name="scale"/> as a log-probability (a probability of 0 becomes -∞; NaN stays NaN).</summary>
    public static double ToLog(double confidence, ConfidenceScale scale)
        => scale == ConfidenceScale.Probability && !double.IsNaN(confidence) ? Math.Log(confidence) : confidence;

    /// <summary>
    /// A log-probability acceptance threshold on <paramref name="scale"/>. A log threshold above 0 means "never accept
    /// here"; on the probability scale that is written as 2 (above any score). Scores are rounded down to 6 decimals, so
    /// that a score at the threshold is still accepted.
    /// </summary>
    public static double FromLogThreshold(double threshold, ConfidenceScale scale)
        => scale == ConfidenceScale.LogProbability ? threshold : threshold > 0 ? NeverOnProbabilityScale : Math.Floor(Math.Exp(threshold) * 1e6 + 1e-6) / 1e6;

    /// <summary>A threshold written on <paramref name="scale"/> as a log-probability threshold.</summary>
    public static double ToLogThreshold(double threshold, ConfidenceScale scale)
        => scale == ConfidenceScale.LogProbability ? threshold : threshold > 1 ? 1.0 : threshold <= 0 ? double.NegativeInfinity : Math.Log(threshold);

    /// <summary>The probability-scale threshold that accepts nothing (scores never exceed 1).</summary>
    public const double NeverOnProbabilityScale = 2;
}
