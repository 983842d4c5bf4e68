using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using RoutingSdk.Planning;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk;

/// <summary>The general path of a routed call: the cascade loop over the chain walk, and what it books when a tier answers late.</summary>
public sealed partial class TaskRouter
{
    /// <summary>
    /// The general path: the walk along the chain from <paramref name="position"/> on — call the tier, evaluate its answer,
    /// let <see cref="Acceptance"/> decide it with the kernel's <see cref="ChainWalk"/>, book it, and go where the walk says
    /// (a failed tier hands the call to the next). For a streamed chat request <paramref name="stream"/> is given: the call
    /// that ends the chain is handed to it instead of being made here, and booked here when its stream ends.
    /// </summary>
    private async Task<T> RouteSlowAsync<T, TReader>(RouteCall route, TReader reader, Func<T, double>? validator, bool fresh, int position,
        Task<ChatResponse>? pending, long started, List<TierFailure>? failures, CancellationToken cancellationToken, StreamedTier? stream = null)
        where TReader : struct, IAnswerReader<T>
    {
        var state = route.State;
        var plan = route.Plan;
        var first = position;
        var end = plan.Escalation == Escalation.None ? 1 : state.Tiers.Length;
        TierSpec? substitute = null;
        using var activity = fresh ? RouteActivities.StartRoute(plan) : null;
        try
        {
            if (fresh)
            {
                if (plan.Escalation == Escalation.Classifier) first = await StartTierChoice.ChooseAsync(_classifier, this, route, cancellationToken).ConfigureAwait(false);
                if (state.Budgets.Length > 0) (first, end, substitute) = await BudgetGate.ApplyDowngradeAsync(plan, state, first, end).ConfigureAwait(false);
                activity?.SetTag("routingsdk.start_tier", substitute?.Name ?? state.Tiers[Math.Min(first, state.Tiers.Length - 1)].Name);
            }

            route.End = end;
            // A downgrade's substitute (a tier below the whole chain) is the call's one tier, at position -1.
            var stop = substitute is null ? end : 0;
            for (var i = substitute is null ? first : -1; i < stop;)
            {
                var tier = substitute ?? state.Tiers[i];
                var last = i == stop - 1;
                if (pending is null) cancellationToken.ThrowIfCancellationRequested();   // a call already made is booked below

                if (pending is null && !TierClients.Fits(tier, route.InputCharacters, out var estimatedTokens))
                {
                    // Passed over, not failed: nothing was called or spent, so nothing is booked but the skip's metric.
                    (failures ??= new List<TierFailure>(state.Tiers.Length)).Add(new TierFailure(tier.Name, string.Format(System.Globalization.CultureInfo.InvariantCulture,
                        "skipped: the request's about {0:N0} tokens do not fit its context window of {1:N0}", estimatedTokens, tier.ContextWindowTokens)));
                    RoutingTelemetry.RecordSkip(plan.TaskName, tier.Name, "context_window");
                    activity?.AddEvent(new ActivityEvent("routingsdk.skip", tags: new ActivityTagsCollection { [RoutingTelemetry.TierTag] = tier.Name, ["routingsdk.skip.reason"] = "context_window" }));
                    i++;
                    continue;
                }

                if (pending is null && _cooldowns.IsCoolingDown(tier.Name, out var coolsUntil))
                {
                    // A tier that answered "too many requests" (here or, with a shared store, on another replica) is skipped
                    // until its cooldown ends: a fallback like any fault, never called, nothing reserved.
                    (failures ??= new List<TierFailure>(state.Tiers.Length)).Add(new TierFailure(tier.Name,
                        string.Format(System.Globalization.CultureInfo.InvariantCulture, "rate-limited: skipped until {0:O} (a 429 started its cooldown)", coolsUntil)));
                    RoutingTelemetry.RecordFallback(plan.TaskName, tier.Name);
                    i++;
                    continue;
                }

                var reservations = await BudgetGate.ReserveAsync(route, tier).ConfigureAwait(false);
                var client = route.ClientFor(i, tier);
                if (client is null && pending is null)
                {
                    await BudgetGate.SettleAsync(state, reservations, 0m).ConfigureAwait(false);
                    (failures ??= new List<TierFailure>(state.Tiers.Length)).Add(new TierFailure(tier.Name,
                        $"no IChatClient is registered for tier '{tier.Name}' (services.AddKeyedChatClient(\"{tier.Name}\", client))"));
                    RoutingTelemetry.RecordFallback(plan.TaskName, tier.Name);
                    i++;
                    continue;
                }

                if (stream is not null && !last && state.HasDowngradeBudgets && substitute is null && await BudgetGate.EndsChainAsync(route, i, i + 1).ConfigureAwait(false))
                {
                    // Streaming: the budget's verdict is taken before the call, so that the tier ending the chain is the one streamed.
                    // It is about the next tier: whether the answer would skip to the last is not known before the call.
                    last = true;
                    stop = i + 1;
                }

                using var tierActivity = RouteActivities.StartTier(route, tier, _recordContent);
                ChatResponse response;
                try
                {
                    if (pending is null)
                    {
                        started = RoutingTelemetry.DurationHistogram.Enabled ? Stopwatch.GetTimestamp() : 0;
                        pending = stream is not null && last
                            ? stream.Begin(client!, route.Messages, route.OptionsFor(i, tier), tier.Name)
                            : TierClients.Invoke(client!, route.Messages, route.OptionsFor(i, tier), cancellationToken);
                    }

                    // The caller's cancellation ends the wait at once, even when the tier ignores the token (for the streamed
                    // call, when the caller's side gives up a stream whose tier holds its next update).
                    response = await (stream is not null && stream.Streams(pending) ? stream.Until(pending) : TierClients.Until(pending, cancellationToken)).ConfigureAwait(false)
                        ?? new ChatResponse();   // no response: an empty answer, rejected and booked as estimated
                }
                catch (Exception ex) when (stream?.Interrupted is { } received)
                {
                    // The streamed tier stopped after the caller had seen part of its answer: booked once with what it sent, never retried.
                    await BudgetGate.SettleAsync(state, reservations, _recorder.Book(ref route, i, tier, AnswerText.Of(received).Length, received, stream.InterruptedOutcome, started, tierActivity)).ConfigureAwait(false);
                    RouteActivities.Fail(tierActivity, ex);
                    throw;
                }
                catch (Exception ex) when (cancellationToken.IsCancellationRequested)
                {
                    // The caller cancelled: whatever the tier did about it, the call ends in an OperationCanceledException.
                    // The reservation is released now; an answer still on its way is booked (and charged) when it arrives.
                    await BudgetGate.SettleAsync(state, reservations, 0m).ConfigureAwait(false);
                    if (pending is { IsFaulted: false, IsCanceled: false } late) BookLate(route, i, tier, late, reservations);   // the race ended the wait, not the tier
                    RouteActivities.Fail(tierActivity, ex);
                    if (ex is OperationCanceledException) throw;
                    throw new OperationCanceledException("The caller cancelled the call.", ex, cancellationToken);
                }
                catch (Exception ex)
                {
                    await BudgetGate.SettleAsync(state, reservations, 0m).ConfigureAwait(false);
                    (failures ??= new List<TierFailure>(state.Tiers.Length)).Add(new TierFailure(tier.Name, Describe(ex), ex));
                    StartCooldownOnRateLimit(tier, ex);
                    RoutingTelemetry.RecordFallback(plan.TaskName, tier.Name);
                    RouteActivities.Fail(tierActivity, ex);
                    i++;
                    continue;
                }
                finally
                {
                    pending = null;
                }

                if (!last && state.HasDowngradeBudgets && substitute is null && await BudgetGate.EndsChainAsync(route, i, i + 1).ConfigureAwait(false))
                {
                    // A downgrade budget cannot pay for the next tier: this tier ends the chain and its parsable answer is accepted.
                    // (Asked before the answer is judged, as the streaming check above must be; an answer that would skip goes
                    // nowhere then either. When the next tier can be paid, Acceptance asks again for the last tier before a skip.)
                    last = true;
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    // Answered after the caller cancelled: booked (it was paid for), never returned.
                    await BudgetGate.SettleAsync(state, reservations, _recorder.Book(ref route, i, tier, AnswerText.Of(response).Length, response, CallOutcome.Rejected, started, tierActivity)).ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                }

                string text;
                bool parsed, accepted;
                double score;
                T value;
                decimal cost;
                Verdict verdict;
                try
                {
                    // Until the task's signals are known, a tier below the chain's last says which ones judged its answer.
                    var seen = i >= 0 && i < state.Tiers.Length - 1 && state.SignalsPending ? new SignalsSeen() : null;
                    text = _scoring.Evaluate(plan, route.CallerOptions, i, tier, response, reader, validator, out parsed, out score, out value, seen);
                    if (parsed && seen is not null) _signals.Observe(state, plan, tier, seen.Value);
                    // Whether a downgrade budget could pay for the chain's last tier, asked here (the store may be remote) for
                    // Acceptance, which needs it only when an acceptor sends the answer straight to the last tier.
                    route.SkipCapping = !last && i >= 0 && state.HasDowngradeBudgets && state.Acceptors is not null && substitute is null
                        ? await BudgetGate.CappingAsync(route, state.Tiers[route.End - 1]).ConfigureAwait(false)
                        : null;
                    accepted = Decide<T>(ref route, i, tier, last, response, text, parsed, score, started, tierActivity, ref failures, out cost, out verdict);
                }
                catch
                {
                    // Whatever went wrong after the tier answered, no reservation outlives the call.
                    await BudgetGate.SettleAsync(state, reservations, 0m).ConfigureAwait(false);
                    throw;
                }

                await BudgetGate.SettleAsync(state, reservations, cost).ConfigureAwait(false);
                if (!accepted)
                {
                    if (_shadow is not null && substitute is null && stream is null && _shadow.Probes(state, i, verdict, parsed, score))
                        _ = _shadow.Consider(route, i, tier, response, text, score, value, reader);   // a probe of a position the guardrail closed
                    // Skipped: the tiers between are neither called nor booked, and the chain's last tier is next. Should it
                    // fail, the call fails as after any last tier's failure, naming this answer's rejection too (never an
                    // answer below its acceptance level). A rejected last answer goes on to a later tier only when a budget,
                    // not the chain, made it the last.
                    if (verdict.Step.Skipped) activity?.SetTag("routingsdk.skipped_to_last", tier.Name);
                    i = verdict.Step.Next;
                    continue;
                }

                if (route.CallerOptions is not null && value is ChatResponse routed)
                {
                    // Chat requests: say which tier answered, on a copy of the properties (the response may be shared).
                    routed.AdditionalProperties = routed.AdditionalProperties is null ? new AdditionalPropertiesDictionary() : new AdditionalPropertiesDictionary(routed.AdditionalProperties);
                    routed.AdditionalProperties[TierProperty] = tier.Name;
                    routed.AdditionalProperties[CostProperty] = route.Spent;
                }

                if (_shadow is not null && substitute is null && stream is null)
                {
                    _ = _shadow.Consider(route, i, tier, response, text, score, value, reader);   // the guardrail's sample
                    _ = _sampler?.Consider<T, TReader>(route, reader);   // the calibration sample, whatever tier answered
                }
                activity?.SetTag("routingsdk.final_tier", tier.Name);
                activity?.SetTag("routingsdk.cost_usd", (double)route.Spent);
                return value;
            }

            throw new RoutingFailedException(plan.TaskName, failures ?? new List<TierFailure>());
        }
        catch (Exception ex) when (activity is not null)
        {
            RouteActivities.Fail(activity, ex);
            throw;
        }
        finally
        {
            if (route.History is { } history) state.Return(history);
        }
    }

    /// <summary>A tier that failed with a rate limit is skipped, by every router sharing the cooldowns, for its Retry-After (or <see cref="RoutingOptions.RateLimitCooldown"/>).</summary>
    private void StartCooldownOnRateLimit(TierSpec tier, Exception ex)
    {
        var now = _time.GetUtcNow();
        if (RateLimitDetection.IsRateLimit(ex, now, out var retryAfter)) _cooldowns.Start(tier.Name, now + (retryAfter ?? Options.RateLimitCooldown));
    }

    /// <summary>
    /// A failed tier call in words for the <see cref="RoutingFailedException"/> message: the exception's type, and its message
    /// only with <see cref="RoutingOptions.RecordContent"/> (a provider may echo the prompt in it); an HTTP failure names
    /// its status code. The exception itself stays on the <see cref="TierFailure"/>.
    /// </summary>
    private string Describe(Exception ex)
    {
        var type = ex.GetType().Name;
        if (_recordContent) return $"{type}: {ex.Message}";
#if NET
        if (ex is System.Net.Http.HttpRequestException { StatusCode: { } status })
            return string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0} (HTTP {1})", type, (int)status);
#endif
        return $"{type} (RoutingOptions.RecordContent shows its message)";
    }

    /// <summary>
    /// Books a tier's answer that arrives after the caller cancelled (its reservation already released): in the ledger as
    /// <see cref="CallOutcome.Rejected"/>, and charged to the budgets, when the tier's task completes (by <see cref="BookLate(Task{ChatResponse}, PlanState, BudgetReservation[], Func{ChatResponse, decimal})"/>).
    /// </summary>
    private void BookLate(RouteCall route, int position, TierSpec tier, Task<ChatResponse> late, BudgetReservation[]? reservations)
        => BookLate(late, route.State, reservations, response =>
        {
            var call = route;
            return _recorder.Book(ref call, position, tier, AnswerText.Of(response).Length, response, CallOutcome.Rejected, 0, null);
        });

    /// <summary>
    /// The rule for every model call the caller stopped waiting for (a tier's answer, a streamed tier's stream, a
    /// classifier's call), whose reservations were released when the call ended: when <paramref name="late"/> completes
    /// with a response, <paramref name="book"/> books it in the ledger and its cost is charged to the budgets the call had
    /// reserved in. A call that fails or never completes costs nothing; no failure is left unobserved. The booking and the
    /// charge are background work that disposing the router waits for (a call the caller gave up after the router's
    /// disposal began is still booked when it completes, unwaited).
    /// </summary>
    private void BookLate(Task<ChatResponse> late, PlanState state, BudgetReservation[]? reservations, Func<ChatResponse, decimal> book)
    {
        var background = _background.TryEnter() ? _background : null;
        _ = late.ContinueWith(t =>
        {
            var exit = background;
            try
            {
                if (t.Status != TaskStatus.RanToCompletion)
                {
                    _ = t.Exception;   // observed: a late failure is nobody's concern
                    return;
                }

                var charged = BudgetGate.ChargeAsync(state, reservations, book(t.Result ?? new ChatResponse()));
                if (!charged.IsCompletedSuccessfully)
                {
                    // The charge goes to a store that may be remote: the work ends when it does.
                    exit = null;
                    _ = charged.AsTask().ContinueWith(c =>
                    {
                        _ = c.Exception;
                        background?.Exit();
                    }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
            }
            catch (Exception)
            {
                // A ledger that refuses the record (disposed) or a store that throws at once: nothing more can be done here.
            }
            finally
            {
                exit?.Exit();
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Decides an evaluated answer, books the call and, when rejected, keeps why; true when the answer is accepted.</summary>
    private bool Decide<T>(ref RouteCall route, int position, TierSpec tier, bool last, ChatResponse response, string text, bool parsed, double score,
        long started, Activity? tierActivity, ref List<TierFailure>? failures, out decimal cost, out Verdict verdict)
    {
        verdict = _acceptance.Judge(ref route, position, last, response, text, parsed, score);
        var accepted = verdict.Step.Accepted;
        var outcome = accepted ? CallOutcome.Accepted : verdict.Last ? CallOutcome.Rejected : CallOutcome.Escalated;
        cost = _recorder.Book(ref route, position, tier, text.Length, response, outcome, started, tierActivity);
        if (accepted)
        {
            CallRecorder.RecordSaved(ref route, tier);
            return true;
        }

        (failures ??= new List<TierFailure>(route.State.Tiers.Length)).Add(_acceptance.Rejection<T>(route, tier, verdict, response, text, parsed, score));
        return false;
    }
}
