using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace RoutingSdk;

/// <summary>
/// The shadow guardrail (<see cref="RoutingOptions.Shadow"/>): a sampled share of the calls whose answer was accepted
/// below the chain's last tier is also sent to the last tier in the background, and the two answers are compared. Per
/// task and chain position the router keeps the agreement of the latest comparisons with its confidence bounds. The
/// position's baseline is the agreement its calibration recorded (<see cref="RoutePlan.AgreementBaselines"/>), else its
/// first full <see cref="Window"/>. When even the upper bound falls below <see cref="RequiredAgreement"/> of that baseline,
/// the position accepts nothing (its queries go a tier higher) and its answers become probes; it relaxes one level at a
/// time (each level below the top halves the error share its threshold or acceptor allows) while the lower bound reaches it.
/// </summary>
/// <remarks>
/// A shadow call never delays or fails the caller: it starts after the answer is decided, its failures are counted and
/// swallowed, and it is cancelled by <see cref="Stopping"/> (the application's), never by the caller's token. It is
/// booked in the ledger as <see cref="CallOutcome.Shadow"/> (<see cref="CostEntry.ShadowUsd"/>) and on the meter; a shadow
/// call that a <see cref="RoutingBudget"/> or <see cref="MaxShareOfCost"/> cannot pay is not made.
/// </remarks>
public sealed class ShadowOptions
{
    private double _rate = 0.02;
    private double _requiredAgreement = 0.95;
    private double _maxShareOfCost = 0.05;
    private int _window = 500;
    private int _minSamples = 100;
    private double _calibrationRate;
    private double _maxCalibrationShareOfCost = 0.05;

    /// <summary>
    /// The share of eligible calls shadowed, evenly spaced (0.02: every 50th; 0: none, the guardrail idle, for example to
    /// record <see cref="CalibrationRate"/> samples only). Default 0.02.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, NaN or above 1.</exception>
    public double Rate
    {
        get => _rate;
        set => _rate = value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Rate), value, "ShadowOptions.Rate is a share from 0 to 1 (0.02: 2 % of the calls accepted below the last tier; 0: none).");
    }

    /// <summary>
    /// The share of its baseline agreement with the last tier (recorded by the calibration, else its first full
    /// <see cref="Window"/> of comparisons) that a position below the last must keep: the task's quality target. Default 0.95.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not above 0 and at most 1.</exception>
    public double RequiredAgreement
    {
        get => _requiredAgreement;
        set => _requiredAgreement = value is > 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(RequiredAgreement), value, "ShadowOptions.RequiredAgreement is a share above 0 and at most 1.");
    }

    /// <summary>
    /// The spending cap: shadow calls are not made while their spend is above this share of what the routed calls spent
    /// (0.05: at most 5 %; calibration samples have their own, <see cref="MaxCalibrationShareOfCost"/>). Default 0.05.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, NaN or above 1.</exception>
    public double MaxShareOfCost
    {
        get => _maxShareOfCost;
        set => _maxShareOfCost = value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxShareOfCost), value, "ShadowOptions.MaxShareOfCost is a share from 0 to 1.");
    }

    /// <summary>
    /// The calibration samples' own spending cap (<see cref="CalibrationRate"/>): samples are not made while their spend is
    /// above this share of what the routed calls spent (0.05: at most 5 %). Kept apart from <see cref="MaxShareOfCost"/>, so
    /// that samples never take the guardrail's shadow calls' share. Default 0.05.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, NaN or above 1.</exception>
    public double MaxCalibrationShareOfCost
    {
        get => _maxCalibrationShareOfCost;
        set => _maxCalibrationShareOfCost = value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxCalibrationShareOfCost), value, "ShadowOptions.MaxCalibrationShareOfCost is a share from 0 to 1.");
    }

    /// <summary>How many of a position's latest comparisons its agreement is estimated over. Default 500.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Below 1.</exception>
    public int Window
    {
        get => _window;
        set => _window = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Window), value, "ShadowOptions.Window is at least 1.");
    }

    /// <summary>How many comparisons since its last change a position needs before the guardrail acts on it. Default 100.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Below 1.</exception>
    public int MinSamples
    {
        get => _minSamples;
        set => _minSamples = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MinSamples), value, "ShadowOptions.MinSamples is at least 1.");
    }

    /// <summary>
    /// Judges whether the accepted answer agrees with the last tier's (null, the default: text answers are equal once
    /// trimmed and lower-cased; numbers and enums are equal; a record or class holds the same values, compared through its
    /// JSON, so that 12.5 and 12.50 agree and a class without value equality is not compared by reference). Supply your own
    /// for free text, for example one that asks a judge tier. An exception counts as a failed shadow call, not as a
    /// disagreement.
    /// </summary>
    public Func<ShadowAnswers, CancellationToken, ValueTask<bool>>? Comparer { get; set; }

    /// <summary>
    /// A token that cancels the shadow calls and samples in flight (the caller's token never does); a call it cancels is not
    /// booked, whatever the tier had spent. Unset (the default), disposing the router waits for them instead, within
    /// <see cref="RoutingOptions.ShutdownTimeout"/>, so that their spend is booked; set it to cut them at once.
    /// </summary>
    public CancellationToken Stopping { get; set; }

    /// <summary>
    /// Where outcomes are written, in the outcome CSV format <c>routing calibrate</c> reads (null, the default: nowhere).
    /// Without a <see cref="CalibrationRate"/>: per shadowed call the accepted tier's row, with <c>correct</c> 1 when it
    /// agreed with the last tier, and the last tier's row (the queries a cheap tier answered: a check of agreement, not a
    /// sample of the traffic). With one: the calibration samples only, a row per tier of the chain. Queries and answers
    /// are written as keys unless <see cref="RoutingOptions.RecordContent"/> is on. The router writes the header before the
    /// first row (unless the writer is a <see cref="System.IO.StreamWriter"/> appending to a file that has content: a file
    /// appended to across restarts reads as one) and flushes after each call; the caller disposes the writer, after the
    /// router (disposing the router waits for the background calls in flight, within <see cref="RoutingOptions.ShutdownTimeout"/>;
    /// rows of background calls that end after the writer is disposed are lost, and the calls counted as failed).
    /// </summary>
    public System.IO.TextWriter? Outcomes { get; set; }

    /// <summary>
    /// The share of each task's answered calls (evenly spaced, whatever tier answered them; 0.01: every 100th) that is
    /// sent again, in the background, to every tier of the task's chain, with every tier's answer written to
    /// <see cref="Outcomes"/> (<c>correct</c>: agreement with the last tier's answer, compared as the shadow calls are): a
    /// sample of all the traffic, on which <c>routing calibrate</c> fits plans without the bias of the shadowed calls. Each
    /// sample costs about a whole chain's calls; it is made only within the budgets and <see cref="MaxCalibrationShareOfCost"/>,
    /// and booked as shadow cost. Default 0 (none); a rate above 0 needs <see cref="Outcomes"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, NaN or above 1.</exception>
    public double CalibrationRate
    {
        get => _calibrationRate;
        set => _calibrationRate = value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(CalibrationRate), value, "ShadowOptions.CalibrationRate is a share from 0 to 1 (0.01: 1 % of the answered calls).");
    }

    /// <summary>
    /// Where the comparisons, baselines and levels are kept (null, the default: the <see cref="IAgreementStatistics"/>
    /// service when the router has services, else this router's own <see cref="InProcessAgreementStatistics"/>). RoutingSdk.Redis
    /// shares them across replicas.
    /// </summary>
    public IAgreementStatistics? Statistics { get; set; }

    /// <summary>Where a tightened or relaxed task is logged (a warning); null: the router's <c>ILoggerFactory</c> when it has services, else none.</summary>
    public ILogger? Logger { get; set; }
}
