using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using RoutingSdk.Planning;
using RoutingSdk.Planning.Calibration;
using RoutingSdk.Planning.Guardrail;

namespace RoutingSdk;

/// <summary>
/// The router's shadow guardrail (<see cref="ShadowOptions"/>): picks the accepted calls to shadow, sends them to the
/// chain's last tier in the background within the budgets and the spending cap, books them, compares the answers, applies
/// the kernel's rule (<see cref="GuardRule.Step"/>) to the statistics in <see cref="IAgreementStatistics"/> (this
/// process's, or shared by replicas), and says when a task tightens or relaxes.
/// </summary>
internal sealed class ShadowGuard
{
    private readonly ShadowOptions _options;
    private readonly CallRecorder _recorder;
    private readonly AnswerScoring _scoring;
    private readonly OutcomeWriter? _outcomes;
    private readonly SpendingCap _cap;
    private readonly BackgroundWork _background;
    private readonly GuardSettings _settings;
    private readonly int _maxLevel;
    private readonly ConcurrentDictionary<string, StrongBox<long>> _eligible = new();
    private long _failures;
    private long _inFlight;

    /// <summary>
    /// Creates the guardrail; <paramref name="outcomes"/> (null: none) receives the shadowed calls' rows, and
    /// <paramref name="background"/> (the router's) counts its calls in flight.
    /// </summary>
    public ShadowGuard(ShadowOptions options, ICostLedger ledger, CallRecorder recorder, AnswerScoring scoring, OutcomeWriter? outcomes, BackgroundWork background)
    {
        _background = background;
        _options = options;
        _recorder = recorder;
        _scoring = scoring;
        _settings = new GuardSettings(options.RequiredAgreement, options.Window, Math.Min(options.MinSamples, options.Window));
        _maxLevel = _settings.MaxLevel;
        Statistics = options.Statistics ?? new InProcessAgreementStatistics();
        Logger = options.Logger;
        _outcomes = outcomes;
        // The shadow calls' own spend: the ledger's background spend without the calibration samples'.
        _cap = new SpendingCap(ledger, snapshot => snapshot.ShadowUsd - snapshot.SampleUsd, options.MaxShareOfCost);
    }

    /// <summary>The statistics the guardrail reads and writes.</summary>
    public IAgreementStatistics Statistics { get; }

    /// <summary>Where tightening is logged (null: nowhere).</summary>
    public ILogger? Logger { get; set; }

    /// <summary>Shadow calls that failed (the tier threw, or the comparer did); swallowed, counted here and on the meter.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Shadow calls not finished yet (tests wait for them).</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>The acceptance minimum of <paramref name="position"/> of a task: <paramref name="minimum"/> tightened by its level.</summary>
    public double Minimum(string task, int position, double minimum) => GuardRule.Minimum(minimum, Statistics.GetLevel(task, position), _maxLevel, logScale: false);

    /// <summary>
    /// Whether an answer rejected at <paramref name="position"/> is a probe of a position at the top level: it would have
    /// been accepted one level below (<see cref="GuardRule.Probes"/>); such answers are shadowed like accepted ones.
    /// </summary>
    public bool Probes(PlanState state, int position, in Verdict verdict, bool parsed, double score)
    {
        if (!parsed || position < 0 || position >= state.Tiers.Length - 1 || verdict.Last) return false;
        var level = Statistics.GetLevel(state.TaskName, position);
        if (level < _maxLevel) return false;
        return verdict.Acceptor is { } acceptor
            ? GuardRule.Probes(verdict.Probability, acceptor.MinProbability, level, _maxLevel, logScale: false)
            : GuardRule.Probes(score, state.Thresholds[position], level, _maxLevel, logScale: false);
    }

    /// <summary>
    /// After an answer at <paramref name="position"/> (below the chain's last tier) was accepted: when the call is sampled,
    /// starts its shadow call to the last tier in the background and returns its task (else null). The spending cap and the
    /// budgets are asked there, not on the caller's path (the ledger may be remote). Never throws.
    /// </summary>
    public Task? Consider<T, TReader>(RouteCall route, int position, TierSpec tier, ChatResponse acceptedResponse, string acceptedText, double acceptedScore, T acceptedValue, TReader reader)
        where TReader : struct, IAnswerReader<T>
    {
        var state = route.State;
        var last = state.Tiers.Length - 1;
        if (position < 0 || position >= last || _options.Stopping.IsCancellationRequested || !ShadowCall.MayRepeat(route)) return null;
        var task = state.TaskName;
        if (!NextIsShadowed(task)) return null;
        var lastTier = state.Tiers[last];
        if (ShadowCall.ClientFor(route, last, lastTier, out var failed) is not { } client)
        {
            if (failed) Interlocked.Increment(ref _failures);
            QualityTelemetry.RecordShadow(task, lastTier.Name, failed ? "failed" : "no_client");
            return null;
        }

        // The router is being disposed: no new shadow call (one started now might outlive the ledger).
        if (!_background.TryEnter()) return null;
        Interlocked.Increment(ref _inFlight);
        var call = new RouteCall(route.Plan, state, route.Messages, route.InputCharacters, route.CallerOptions, route.LastTierClient);
        var accepted = new OutcomeAnswer(tier, position, acceptedResponse, acceptedText, acceptedScore, ShadowCall.Cost(route, tier, acceptedResponse, acceptedText));
        // Not in the caller's context: the shadow call joins neither its CostScope nor its span; its budgets are the caller's tenant's.
        var context = RoutingContext.Current;
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(() =>
            {
                RoutingContext.Enter(context);
                return RunAsync(call, accepted, acceptedValue, reader, client, lastTier);
            });
        }
    }

    private async Task RunAsync<T, TReader>(RouteCall call, OutcomeAnswer accepted, T acceptedValue, TReader reader, IChatClient client, TierSpec lastTier)
        where TReader : struct, IAnswerReader<T>
    {
        var task = call.State.TaskName;
        var last = call.State.Tiers.Length - 1;
        var position = accepted.Position;
        var tier = accepted.Tier;
        try
        {
            var expected = ShadowCall.ExpectedCost(call, lastTier);
            if (!_cap.TryEnter(expected))
            {
                QualityTelemetry.RecordShadow(task, lastTier.Name, "skipped_cap");
                return;
            }

            (bool Paid, OutcomeAnswer Answer, bool Parsed, T Value) made;
            try
            {
                made = await ShadowCall.MakeAsync<T, TReader>(call, last, lastTier, client, reader, _scoring, _recorder, CallOutcome.Shadow, _options.Stopping).ConfigureAwait(false);
            }
            finally
            {
                _cap.Release(expected);   // booked by now, or never to be
            }

            var (paid, shadow, parsed, shadowValue) = made;
            if (!paid)
            {
                QualityTelemetry.RecordShadow(task, lastTier.Name, "skipped_budget");
                return;
            }

            // The last tier's answer is the reference: without one (empty, unreadable, or a scorer that threw on it) the
            // call says nothing about the accepted answer, as for the calibration samples. Booked, counted as failed.
            if (!parsed) throw new InvalidOperationException("the last tier's answer did not parse");
            var agreed = _options.Comparer is { } comparer
                ? await comparer(new ShadowAnswers(task, tier.Name, accepted.Text, lastTier.Name, shadow.Text), _options.Stopping).ConfigureAwait(false)
                : DefaultAgreement.Agree(accepted.Text, acceptedValue, shadow.Text, shadowValue);
            // The outcome first: it is kept even when a shared store of the statistics does not answer. A writer that
            // throws (full, or disposed at shutdown) loses the row, not the comparison: the guardrail still counts it.
            var written = true;
            try
            {
                _outcomes?.Write(task, _outcomes.QueryKey(call, shadowed: true), accepted, shadow, agreed);
            }
            catch (Exception)
            {
                written = false;
            }

            var change = await RecordAsync(task, position, agreed, Baseline(call.Plan, position)).ConfigureAwait(false);
            if (!written) Interlocked.Increment(ref _failures);
            QualityTelemetry.RecordShadow(task, lastTier.Name, !written ? "failed" : agreed ? "agreed" : "disagreed");
            QualityTelemetry.RecordAgreement(task, tier.Name, change.Agreement, change.To);
            if (change.From != change.To) Report(task, tier.Name, change);
        }
        catch (Exception)
        {
            // A shadow call never fails anybody: counted (its reservation is released by ShadowCall).
            Interlocked.Increment(ref _failures);
            QualityTelemetry.RecordShadow(task, lastTier.Name, "failed");
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            _background.Exit();
        }
    }

    /// <summary>
    /// Counts a call of <paramref name="task"/> accepted below its last tier and says whether it is shadowed
    /// (<see cref="GuardRule.Sampled"/>: evenly spaced over this process's eligible calls of the task, so that every replica
    /// shadows its share).
    /// </summary>
    private bool NextIsShadowed(string task)
    {
        var count = _eligible.GetOrAdd(task, _ => new StrongBox<long>());
        return GuardRule.Sampled(Interlocked.Increment(ref count.Value) - 1, _options.Rate);
    }

    /// <summary>
    /// Adds a comparison to the statistics and applies the kernel's step to the state it returns, with the position's
    /// <paramref name="known"/> baseline from the calibration (NaN: the store's, learned from its first full window); a change
    /// (a level, or the position's first baseline) is written back only if no other decision changed the position meanwhile.
    /// Returns the change this call made (none when the level stayed, or another decision came first).
    /// </summary>
    private async ValueTask<GuardChange> RecordAsync(string task, int position, bool agreed, double known)
    {
        var observed = await Statistics.AddAsync(task, position, agreed, _settings.Window, _options.Stopping).ConfigureAwait(false);
        var step = GuardRule.Step(observed.Level, double.IsNaN(known) ? observed.Baseline : known, observed.Samples, observed.Agreements, _settings);
        var change = step.Change.At(position);
        var learned = double.IsNaN(observed.Baseline) && !double.IsNaN(step.Baseline);
        if (!step.Restart && !learned) return change;
        if (await Statistics.TryApplyAsync(task, position, observed, change.To, step.Baseline, _options.Stopping).ConfigureAwait(false)) return change;
        return new GuardChange(position, observed.Level, observed.Level, change.Samples, change.Agreement, change.LowerBound, change.Required, change.UpperBound);
    }

    /// <summary>The baseline the plan's calibration recorded for <paramref name="position"/> (<see cref="RoutePlan.AgreementBaselines"/>), or NaN.</summary>
    private static double Baseline(RoutePlan plan, int position)
        => plan.AgreementBaselines is { } baselines && position >= 0 && position < baselines.Count ? baselines[position] : double.NaN;

    private void Report(string task, string tier, GuardChange change)
    {
        QualityTelemetry.RecordLevelChange(task, tier, change.To - change.From);
        if (Logger is not { } logger) return;
        var message = string.Format(CultureInfo.InvariantCulture,
            "{0}: answers accepted at '{1}' agreed with the last tier in {2:0.###} of the last {3} shadow comparisons ({4} bound {5:0.###}, needed {6:0.###}); acceptance there {7} to level {8}.",
            task, tier, change.Agreement, change.Samples, change.Tightened ? "upper" : "lower", change.Tightened ? change.UpperBound : change.LowerBound, change.Required,
            change.Tightened ? "tightened" : "relaxed", change.To);
        if (change.Tightened) logger.LogWarning("{Message}", message);
        else logger.LogInformation("{Message}", message);
    }
}
