using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using RoutingSdk.Planning;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration;

/// <summary>Which signals the calibrator may use to accept an answer early.</summary>
internal enum CalibrationSignals
{
    /// <summary>Only the tier's own confidence: the plan is the chain and raw thresholds, as the runtime applies them.</summary>
    Confidence,
    /// <summary>The tier's confidence and the answers and confidences of the tiers already tried (acceptors).</summary>
    Combined,
}

/// <summary>Settings of <see cref="Calibrator"/>.</summary>
internal sealed class CalibratorOptions
{
    /// <summary>The share of the best single model's quality the plan must keep (0–1).</summary>
    public double Target { get; set; } = 0.95;

    /// <summary>
    /// The confidence (0–1) of the quality bound the plan must keep, or null for none. With one, the safety margin is
    /// the one of <see cref="Margins"/> whose plans' held-out replays (each query replayed, in every inner
    /// cross-validation run, by a plan fitted without it) have a finite-sample lower bound on quality relative to every
    /// single model of at least <see cref="Target"/> at this confidence (<see cref="QualityBound"/>), tested from the
    /// largest margin down and stopping at the first that fails, so that trying many margins costs no correction; when
    /// none holds, the plan is the best single model. The file records the bound (docs/calibration.md). Without one, the
    /// margin is the smallest whose pooled held-out quality reaches <see cref="Target"/> plus <see cref="InnerSlack"/>.
    /// </summary>
    public double? Confidence { get; set; } = 0.9;

    /// <summary>
    /// How the bound of <see cref="Confidence"/> is computed. The empirical-Bernstein bound (the default) is the looser
    /// and leaves the plans more headroom against traffic that differs from the calibration data; the betting bound is
    /// tighter on a few hundred queries and gives cheaper plans with less of it (docs/calibration.md).
    /// </summary>
    public QualityBoundMethod BoundMethod { get; set; } = QualityBoundMethod.EmpiricalBernstein;

    /// <summary>
    /// With <see cref="Confidence"/>: the share (0–1) of each task's queries set aside to bound the plan on, or null (the
    /// default) for the bound on the inner cross-validation's replays. With it, the plans of the margins are fitted on
    /// the rest and tested on the queries set aside, and the plan written is the one tested, as fitted: its recorded
    /// bound is exact for it (under traffic drawn like the calibration data), where the default's is a bound on plans
    /// fitted the same way on four fifths of the queries. The price is the queries the plan is not fitted on
    /// (docs/calibration.md).
    /// </summary>
    public double? Holdout { get; set; }

    /// <summary>Signals used to accept early.</summary>
    public CalibrationSignals Signals { get; set; } = CalibrationSignals.Combined;

    /// <summary>Folds of the inner cross-validation that picks the safety margin (2 or more).</summary>
    public int InnerFolds { get; set; } = 5;

    /// <summary>
    /// Candidate safety margins, in standard errors: on the fitting data, the plan's per-query correctness minus
    /// <see cref="Target"/> × the best model's must average at least this many standard errors above 0. The inner
    /// cross-validation picks the smallest that holds the target on its held-out queries. With folds stratified
    /// (<see cref="StratifyFolds"/>) that choice is steady enough to offer margins below 1; the grid and the variants
    /// measured against it are in docs/calibration.md.
    /// </summary>
    public IReadOnlyList<double> Margins { get; set; } = new[] { 0.75, 0.875, 1.0, 1.125, 1.25, 1.375, 1.5, 1.625, 1.75, 1.875, 2.0, 2.25, 2.5, 2.75, 3.0, 3.5, 4.0, 5.0 };

    /// <summary>
    /// What the inner cross-validation must show with a margin for it to be chosen: held-out relative quality of at
    /// least <see cref="Target"/> plus this.
    /// </summary>
    public double InnerSlack { get; set; } = 0.005;

    /// <summary>
    /// How many times the inner cross-validation is run, each with its own fold shuffle; the held-out replays of all
    /// runs are pooled, so the margin choice depends less on one split.
    /// </summary>
    public int InnerRepeats { get; set; } = 3;

    /// <summary>Seed of the query shuffles (fold assignment).</summary>
    public int Seed { get; set; } = 1;

    /// <summary>
    /// Whether every split of a task's queries into folds (the cross-validation, the inner one that picks the margin,
    /// and the cross-fitting of acceptance models) is stratified by which models got each query right, so that every
    /// fold holds the same share of, say, "the cheap model wrong, the best one right". Plain shuffled folds let one fold
    /// hold many more of the cheap model's mistakes than another, and a plan fitted on the rest then trusts the cheap
    /// model too much there (measured in docs/calibration.md).
    /// </summary>
    public bool StratifyFolds { get; set; } = true;

    /// <summary>
    /// Whether a <see cref="CalibrationSignals.Combined"/> plan of three or more tiers may send a query whose first answer
    /// it trusts very little straight to the chain's last tier (<see cref="Acceptor.SkipBelow"/> of the first position,
    /// searched with the acceptance level) instead of through every tier between (measured in docs/calibration.md).
    /// </summary>
    public bool SkipToLast { get; set; } = true;

    /// <summary>Longest chain considered.</summary>
    public int MaxChainLength { get; set; } = 5;

    /// <summary>
    /// Most models of a task that chains are built from (<see cref="Calibrator.ChainModels"/>): the chain search is
    /// exponential in them (every subset is a candidate), so a task with more keeps the models on its cost-quality
    /// frontier, then the cheapest of those and the best model. 8 models: 255 chains.
    /// </summary>
    public int MaxChainModels { get; set; } = 8;

    /// <summary>L2 penalty of the logistic acceptance models (on standardised features).</summary>
    public double Regularization { get; set; } = 3.0;

    /// <summary>
    /// Whether each position gets its own acceptance probability (coordinate descent after the best uniform one), or
    /// all positions share one. Per-position fits more closely and needs a larger margin.
    /// </summary>
    public bool PerPositionThresholds { get; set; }

    /// <summary>
    /// Folds of the cross-fitting of the acceptance models of <see cref="CalibrationSignals.Combined"/> plans: the
    /// acceptance levels are searched on probabilities each query got from a fit without it (0 or 1 to search on
    /// in-sample probabilities). Confidence-only fits are monotone, a level is a raw threshold, and they are fitted on
    /// every query.
    /// </summary>
    public int CrossFitFolds { get; set; } = 5;

    /// <summary>
    /// Whether the <see cref="CalibrationSignals.Combined"/> acceptance model of a chain position is fitted on the task's
    /// own outcomes together with those of the other tasks calibrated with it that ran the same models (by name) up to that
    /// position. Confidence means much the same for a tier across tasks, and a task has few outcomes of its own; the
    /// acceptance level is still searched on the task's own queries (measured in docs/calibration.md).
    /// </summary>
    public bool ShareAcrossTasks { get; set; } = true;

    /// <summary>
    /// Most rows of other tasks added to one acceptance fit when <see cref="ShareAcrossTasks"/> is set (evenly spaced
    /// when there are more), so that a file of many tasks keeps calibration time in bounds.
    /// </summary>
    public int MaxSharedRows { get; set; } = 2000;

    /// <summary>Cancels a long calibration.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>The other tasks whose outcomes the acceptance models may share (set by the calibrator), or null.</summary>
    internal SharedOutcomes? Shared { get; set; }

    /// <summary>A copy with other signals.</summary>
    internal CalibratorOptions With(CalibrationSignals signals) => new()
    {
        Target = Target, Confidence = Confidence, BoundMethod = BoundMethod, Holdout = Holdout, Signals = signals, InnerFolds = InnerFolds, Margins = Margins, InnerSlack = InnerSlack, InnerRepeats = InnerRepeats,
        Seed = Seed, StratifyFolds = StratifyFolds, SkipToLast = SkipToLast, MaxChainLength = MaxChainLength, MaxChainModels = MaxChainModels, Regularization = Regularization, PerPositionThresholds = PerPositionThresholds,
        CrossFitFolds = CrossFitFolds, ShareAcrossTasks = ShareAcrossTasks, MaxSharedRows = MaxSharedRows, CancellationToken = CancellationToken,
        Shared = Shared,
    };

    /// <summary>A copy that shares outcomes with <paramref name="tasks"/> when <see cref="ShareAcrossTasks"/> is set.</summary>
    internal CalibratorOptions SharingWith(IReadOnlyList<TaskOutcomes> tasks)
    {
        var copy = With(Signals);
        copy.Shared = ShareAcrossTasks && tasks.Count > 1 && MaxSharedRows > 0 ? new SharedOutcomes(tasks, MaxSharedRows) : null;
        return copy;
    }
}
