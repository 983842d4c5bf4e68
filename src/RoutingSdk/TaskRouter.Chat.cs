using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace RoutingSdk;

/// <summary>Chat requests (<see cref="TieredRoutingChatClient"/>): routed whole, or with the call that ends the chain streamed.</summary>
public sealed partial class TaskRouter
{
    /// <summary>Routes an arbitrary chat request over a plan's tiers (<see cref="TieredRoutingChatClient"/>).</summary>
    internal Task<ChatResponse> RouteChatAsync(RoutePlan plan, IReadOnlyList<ChatMessage> messages, ChatOptions? options, IChatClient? lastTierClient, CancellationToken cancellationToken)
    {
        var route = new RouteCall(plan, _states.For(plan), messages, -1, options, lastTierClient);
        return RouteSlowAsync<ChatResponse, ResponseReader>(route, default, null, fresh: true, position: 0, pending: null, started: 0, failures: null, cancellationToken);
    }

    /// <summary>
    /// Routes a chat request over a plan's tiers and streams the answer (<see cref="TieredRoutingChatClient"/>). The cascade is
    /// the one of <see cref="RouteChatAsync"/>: a tier whose answer may still be rejected is called whole, scored, and
    /// escalated or accepted (an accepted one is replayed as updates). The call that ends the chain — its answer is accepted
    /// whatever it says — is made with <see cref="IChatClient.GetStreamingResponseAsync"/> and its updates are yielded as they
    /// arrive; it is booked once, when its stream ends, from the usage in the updates or on an estimate.
    /// </summary>
    /// <remarks>
    /// With <see cref="RoutingOptions.LastTierMinimumScore"/> above 0 even the last tier's answer can be rejected for its score:
    /// then every tier is called whole and the accepted answer replayed.
    /// </remarks>
    internal async IAsyncEnumerable<ChatResponseUpdate> RouteChatStreamingAsync(RoutePlan plan, IReadOnlyList<ChatMessage> messages, ChatOptions options,
        IChatClient? lastTierClient, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (_lastTierMinimumScore > 0)
        {
            var whole = await RouteChatAsync(plan, messages, options, lastTierClient, cancellationToken).ConfigureAwait(false);
            foreach (var update in whole.ToChatResponseUpdates()) yield return update;
            yield break;
        }

        var streamed = new StreamedTier(cancellationToken);
        var routed = RouteSlowAsync<ChatResponse, ResponseReader>(new RouteCall(plan, _states.For(plan), messages, -1, options, lastTierClient), default, null,
            fresh: true, position: 0, pending: null, started: 0, failures: null, cancellationToken, streamed);
        if (await streamed.HandedOverAsync(routed).ConfigureAwait(false))
        {
            var ended = false;
            try
            {
                while (await streamed.MoveNextAsync().ConfigureAwait(false)) yield return streamed.Current;
                ended = true;
            }
            finally
            {
                // The caller stopped enumerating: the call is booked with what was received before the enumerator is disposed.
                if (!ended) await streamed.StopAsync(routed).ConfigureAwait(false);
            }
        }

        // The accepted answer of a buffered tier, the booked end of the streamed one, or how the call failed.
        var response = await routed.ConfigureAwait(false);
        if (streamed.HandedOver) yield break;
        foreach (var update in response.ToChatResponseUpdates()) yield return update;
    }

    /// <summary>
    /// The hand-over of a chat request's last tier call from the routing loop (<see cref="RouteSlowAsync"/>), which reserves,
    /// traces, books and settles it, to the streaming caller, which reads the tier's updates and passes them on. The loop's
    /// side is <see cref="Begin"/>: a task that completes when the stream ends, with everything it sent.
    /// </summary>
    private sealed class StreamedTier
    {
        private readonly CancellationToken _cancellationToken;
        private readonly TaskCompletionSource<bool> _handedOver = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<ChatResponse> _abandoned = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<ChatResponseUpdate> _received = new();
        private TaskCompletionSource<ChatResponse>? _result;
        private IChatClient? _client;
        private IReadOnlyList<ChatMessage>? _messages;
        private ChatOptions? _options;
        private string? _tier;
        private ExecutionContext? _context;
        private IAsyncEnumerator<ChatResponseUpdate>? _updates;

        public StreamedTier(CancellationToken cancellationToken) => _cancellationToken = cancellationToken;

        /// <summary>Whether the routing loop handed a tier call over (else every answer was buffered).</summary>
        public bool HandedOver => _handedOver.Task.IsCompleted;

        /// <summary>The update just received.</summary>
        public ChatResponseUpdate Current { get; private set; } = null!;

        /// <summary>When the stream failed after the caller had seen part of it: what it sent, to be booked with <see cref="InterruptedOutcome"/>.</summary>
        public ChatResponse? Interrupted { get; private set; }

        /// <summary>Rejected when the tier failed; accepted when the caller cancelled (the answer was its to read).</summary>
        public CallOutcome InterruptedOutcome { get; private set; }

        /// <summary>The routing loop's side: the call that ends the chain is streamed by the caller; the task ends with the stream.</summary>
        public Task<ChatResponse> Begin(IChatClient client, IReadOnlyList<ChatMessage> messages, ChatOptions options, string tier)
        {
            _client = client;
            _messages = messages;
            _options = options;
            _tier = tier;
            // The tier's code runs in the loop's context, so that its own spans are children of the router's tier span.
            _context = ExecutionContext.Capture();
            _result = new TaskCompletionSource<ChatResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
            _handedOver.SetResult(true);
            return _result.Task;
        }

        /// <summary>Whether <paramref name="pending"/> is the streamed call (<see cref="Begin"/>'s task).</summary>
        public bool Streams(Task<ChatResponse> pending) => ReferenceEquals(pending, _result?.Task);

        /// <summary>
        /// The loop's wait for the streamed call: <paramref name="pending"/>, or — when the caller cancelled while the tier,
        /// ignoring the token, held its next update — a task cancelled at once with the caller's token. The stream then goes
        /// on without the caller, and <paramref name="pending"/> completes with what it sent when it ends: a late answer.
        /// </summary>
        public async Task<ChatResponse> Until(Task<ChatResponse> pending)
        {
            var first = await Task.WhenAny(pending, _abandoned.Task).ConfigureAwait(false);
            return await first.ConfigureAwait(false);
        }

        /// <summary>Waits until the routing loop hands a tier call over (true) or ends without one (false).</summary>
        public async Task<bool> HandedOverAsync(Task routed)
        {
            // The loop cannot end while a handed-over call is open: it awaits the call's task, which only this side completes.
            if (!_handedOver.Task.IsCompleted && !routed.IsCompleted) await Task.WhenAny(_handedOver.Task, routed).ConfigureAwait(false);
            return _handedOver.Task.IsCompleted;
        }

        /// <summary>The next update of the tier's stream; false when the stream ended, either way (the loop has its outcome then).</summary>
        public async ValueTask<bool> MoveNextAsync()
        {
            bool more;
            try
            {
                _updates ??= InContext(static s => (s._client!.GetStreamingResponseAsync(s._messages!, s._options, s._cancellationToken)
                    ?? throw new InvalidOperationException("The tier client returned no stream.")).GetAsyncEnumerator(s._cancellationToken));
                var next = InContext(static s => s._updates!.MoveNextAsync());
                if (!next.IsCompleted && _cancellationToken.CanBeCanceled)
                {
                    // The caller's cancellation ends the wait at once, even when the tier ignores the token.
                    var step = next.AsTask();
                    try
                    {
                        await TierClients.Until(step, _cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception) when (!step.IsCompleted)
                    {
                        Abandon(step);
                        return false;
                    }
                    catch (Exception)
                    {
                        // The tier's own outcome, read below.
                    }

                    next = new ValueTask<bool>(step);
                }

                more = await next.ConfigureAwait(false);
                if (more)
                {
                    Receive(_updates.Current);
                    // Only the caller's token ends the stream early: checked here too, for tier clients that do not watch it.
                    _cancellationToken.ThrowIfCancellationRequested();
                }
            }
            catch (Exception ex)
            {
                await EndAsync(ex).ConfigureAwait(false);
                return false;
            }

            if (!more) await EndAsync(null).ConfigureAwait(false);
            return more;
        }

        /// <summary>The caller stopped enumerating: ends the call with what was received and waits until it is booked.</summary>
        public async ValueTask StopAsync(Task routed)
        {
            await EndAsync(null).ConfigureAwait(false);
            try
            {
                await routed.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Nobody is left to tell: the loop has booked the call and ended its spans.
            }
        }

        /// <summary>
        /// The caller cancelled while the tier, ignoring the token, held its next update (<paramref name="step"/>): the loop
        /// stops waiting at once (it releases the call's reservations and books the stream as a late answer), and the stream
        /// is read to its end without the caller, so that the usage a tier reports on its final update is known; then it is
        /// disposed and the call's task completes with everything it sent — as an answer whenever it sent anything (even if
        /// it failed after), so that what was paid for is booked.
        /// </summary>
        private void Abandon(Task<bool> step)
        {
            _abandoned.TrySetCanceled(_cancellationToken);
            _ = FinishAbandonedAsync(step);
        }

        private async Task FinishAbandonedAsync(Task<bool> step)
        {
            Exception? failure = null;
            try
            {
                var more = await step.ConfigureAwait(false);
                while (more)
                {
                    Receive(_updates!.Current);
                    more = await InContext(static s => s._updates!.MoveNextAsync()).ConfigureAwait(false);
                }
            }
            catch (Exception ex)
            {
                failure = ex;
            }

            await EndAsync(failure, abandoned: true).ConfigureAwait(false);
        }

        /// <summary>Disposes the tier's stream and gives the loop its outcome, once.</summary>
        private async ValueTask EndAsync(Exception? failure, bool abandoned = false)
        {
            var result = _result;
            if (result is null || result.Task.IsCompleted) return;
            if (_updates is not null)
            {
                try
                {
                    await InContext(static s => s._updates!.DisposeAsync()).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    failure ??= ex;
                }
            }

            if (failure is null || (abandoned && _received.Count > 0))
            {
                result.SetResult(_received.ToChatResponse());
                return;
            }

            if (_received.Count > 0)
            {
                InterruptedOutcome = failure is OperationCanceledException && _cancellationToken.IsCancellationRequested ? CallOutcome.Accepted : CallOutcome.Rejected;
                Interrupted = _received.ToChatResponse();
            }

            // Nothing received: the loop treats the failure as any tier call's (the caller's cancellation, or a failed last tier).
            result.SetException(failure);
        }

        private void Receive(ChatResponseUpdate update)
        {
            if (_received.Count == 0)
            {
                // Say which tier answers, on a copy of the properties (the update may be shared).
                var properties = update.AdditionalProperties is null ? new AdditionalPropertiesDictionary() : new AdditionalPropertiesDictionary(update.AdditionalProperties);
                properties[TierProperty] = _tier;
                update.AdditionalProperties = properties;
            }

            _received.Add(update);
            Current = update;
        }

        /// <summary>Runs one step of the tier's stream in the routing loop's execution context.</summary>
        private T InContext<T>(Func<StreamedTier, T> step)
        {
            if (_context is null) return step(this);
            var result = default(T)!;
            ExecutionContext.Run(_context.CreateCopy(), _ => result = step(this), null);
            return result;
        }
    }
}
