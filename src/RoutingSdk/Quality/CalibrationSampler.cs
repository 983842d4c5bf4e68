using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using RoutingSdk.Planning;
using RoutingSdk.Planning.Guardrail;

namespace RoutingSdk;

/// <summary>
/// The calibration sample (<see cref="ShadowOptions.CalibrationRate"/>): a share of a task's answered calls, evenly spaced
/// whatever tier answered them, is sent again in the background to every tier of its chain, and every tier's answer is
/// written to <see cref="ShadowOptions.Outcomes"/> as one query, each tier's <c>correct</c> its agreement with the last
/// tier. Unlike the shadowed calls (the queries a cheap tier answered), the sample is drawn from all the traffic, so
/// <c>routing calibrate</c> can fit plans on it that loosen as well as tighten. Within the budgets and its own spending cap,
/// booked as <see cref="CallOutcome.CalibrationSample"/> (part of the shadow spend); it never delays or fails the caller.
/// </summary>
internal sealed class CalibrationSampler
{
    private readonly ShadowOptions _options;
    private readonly CallRecorder _recorder;
    private readonly AnswerScoring _scoring;
    private readonly OutcomeWriter _outcomes;
    private readonly SpendingCap _cap;
    private readonly BackgroundWork _background;
    private readonly ConcurrentDictionary<string, StrongBox<long>> _answered = new();
    private long _inFlight;

    /// <summary>Creates the sample; <paramref name="background"/> (the router's) counts the samples in flight.</summary>
    public CalibrationSampler(ShadowOptions options, ICostLedger ledger, CallRecorder recorder, AnswerScoring scoring, OutcomeWriter outcomes, BackgroundWork background)
    {
        _background = background;
        _options = options;
        _recorder = recorder;
        _scoring = scoring;
        _outcomes = outcomes;
        _cap = new SpendingCap(ledger, snapshot => snapshot.SampleUsd, options.MaxCalibrationShareOfCost);
    }

    /// <summary>Samples not finished yet (tests wait for them).</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>
    /// After a call of <paramref name="route"/>'s task was answered (at any tier): when its chain has two tiers or more, it
    /// is sampled and every tier has a client, starts the sample in the background and returns its task (else null). The
    /// spending cap (for the whole chain) and the budgets are asked there, not on the caller's path. Never throws.
    /// </summary>
    public Task? Consider<T, TReader>(RouteCall route, TReader reader)
        where TReader : struct, IAnswerReader<T>
    {
        // A chain of one tier has no cheaper tier to compare with the last: nothing to sample.
        if (_options.Stopping.IsCancellationRequested || route.State.Tiers.Length < 2 || !ShadowCall.MayRepeat(route)) return null;
        var state = route.State;
        var task = state.TaskName;
        var count = _answered.GetOrAdd(task, _ => new StrongBox<long>());
        if (!GuardRule.Sampled(Interlocked.Increment(ref count.Value) - 1, _options.CalibrationRate)) return null;
        var tiers = state.Tiers;
        var clients = new IChatClient[tiers.Length];
        for (var i = 0; i < tiers.Length; i++)
        {
            if (ShadowCall.ClientFor(route, i, tiers[i], out var failed) is not { } client)
            {
                // A query without every tier's answer is one routing calibrate leaves out: not worth paying for.
                QualityTelemetry.RecordSample(task, tiers[i].Name, failed ? "failed" : "no_client");
                return null;
            }

            clients[i] = client;
        }

        // The router is being disposed: no new sample (one started now might outlive the ledger and the writer).
        if (!_background.TryEnter()) return null;
        Interlocked.Increment(ref _inFlight);
        var call = new RouteCall(route.Plan, state, route.Messages, route.InputCharacters, route.CallerOptions, route.LastTierClient);
        // Not in the caller's context: the sample joins neither its CostScope nor its span; its budgets are the caller's tenant's.
        var context = RoutingContext.Current;
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(() =>
            {
                RoutingContext.Enter(context);
                return RunAsync<T, TReader>(call, clients, reader);
            });
        }
    }

    private async Task RunAsync<T, TReader>(RouteCall call, IChatClient[] clients, TReader reader)
        where TReader : struct, IAnswerReader<T>
    {
        var state = call.State;
        var task = state.TaskName;
        var tiers = state.Tiers;
        var last = tiers.Length - 1;
        var answers = new OutcomeAnswer[tiers.Length];
        var values = new T[tiers.Length];
        var parsed = new bool[tiers.Length];
        var expected = new decimal[tiers.Length];
        var inFlight = 0m;
        try
        {
            for (var i = 0; i < tiers.Length; i++) expected[i] = ShadowCall.ExpectedCost(call, tiers[i]);
            var whole = expected.Sum();
            if (!_cap.TryEnter(whole))
            {
                QualityTelemetry.RecordSample(task, tiers[last].Name, "skipped_cap");
                return;
            }

            inFlight = whole;
            for (var i = 0; i < tiers.Length; i++)
            {
                // A sample a budget cannot pay for in full is given up (the calls it made are booked).
                bool paid;
                try
                {
                    (paid, answers[i], parsed[i], values[i]) = await ShadowCall.MakeAsync<T, TReader>(call, i, tiers[i], clients[i], reader, _scoring, _recorder, CallOutcome.CalibrationSample, _options.Stopping).ConfigureAwait(false);
                }
                finally
                {
                    // Booked by now, or never to be.
                    _cap.Release(expected[i]);
                    inFlight -= expected[i];
                }

                if (!paid)
                {
                    QualityTelemetry.RecordSample(task, tiers[i].Name, "skipped_budget");
                    return;
                }
            }

            // The last tier's answer is the reference every other is compared with: without it the sample says nothing.
            if (!parsed[last]) throw new InvalidOperationException("the last tier's answer did not parse");
            var agreed = new bool[tiers.Length];
            agreed[last] = true;
            for (var i = 0; i < last; i++)
            {
                agreed[i] = _options.Comparer is { } comparer
                    ? await comparer(new ShadowAnswers(task, tiers[i].Name, answers[i].Text, tiers[last].Name, answers[last].Text), _options.Stopping).ConfigureAwait(false)
                    : parsed[i] && DefaultAgreement.Agree(answers[i].Text, values[i], answers[last].Text, values[last]);
            }

            _outcomes.WriteSample(task, _outcomes.QueryKey(call, shadowed: false), answers, agreed);
            QualityTelemetry.RecordSample(task, tiers[last].Name, "written");
        }
        catch (Exception)
        {
            // A sample never fails anybody: counted on the meter; the calls it made are booked, and their reservations settled by ShadowCall.
            QualityTelemetry.RecordSample(task, tiers[last].Name, "failed");
        }
        finally
        {
            // The tiers a sample given up never called are in flight no more.
            if (inFlight != 0m) _cap.Release(inFlight);
            Interlocked.Decrement(ref _inFlight);
            _background.Exit();
        }
    }
}
