namespace RoutingSdk.Calibration;

/// <summary>
/// How <see cref="QualityBound"/> bounds the mean of a plan's per-query advantage over a model. Both are valid
/// finite-sample lower confidence bounds for independent draws; they differ in how close to the mean they come on a few
/// hundred queries (docs/calibration.md, "The quality bound").
/// </summary>
internal enum QualityBoundMethod
{
    /// <summary>
    /// The predictable plug-in empirical-Bernstein bound (Waudby-Smith and Ramdas 2023, fixed sample size): a closed
    /// form, the looser of the two.
    /// </summary>
    EmpiricalBernstein,

    /// <summary>
    /// The betting bound of the same paper: the largest mean that a gambler betting the same predictable fractions
    /// against it would have refuted (their capital reaching 1/α, Ville's inequality). Tighter on a few hundred
    /// queries, found by bisection.
    /// </summary>
    Betting,
}
