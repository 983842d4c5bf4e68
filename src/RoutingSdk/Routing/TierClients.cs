using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using RoutingSdk.Planning;

namespace RoutingSdk;

/// <summary>A router's tier clients, resolved once per tier name (a tier without a client is remembered as such too).</summary>
internal sealed class TierClients
{
    private static readonly IChatClient NoClient = new MissingClient();

    private readonly Func<string, IChatClient?> _clientForTier;
    private readonly ConcurrentDictionary<string, IChatClient> _clients = new(StringComparer.Ordinal);
    private readonly Func<string, IChatClient> _resolve;

    public TierClients(Func<string, IChatClient?> clientForTier)
    {
        _clientForTier = clientForTier;
        _resolve = name => _clientForTier(name) ?? NoClient;
    }

    /// <summary>The client registered for <paramref name="tier"/>, or null.</summary>
    public IChatClient? Find(string tier)
    {
        var client = _clients.GetOrAdd(tier, _resolve);
        return ReferenceEquals(client, NoClient) ? null : client;
    }

    /// <summary>Calls a tier client; a client that throws or returns no task gives a faulted task instead.</summary>
    public static Task<ChatResponse> Invoke(IChatClient client, IReadOnlyList<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return client.GetResponseAsync(messages, options, cancellationToken) ?? Task.FromException<ChatResponse>(new InvalidOperationException("The tier client returned no task."));
        }
        catch (Exception ex)
        {
            return Task.FromException<ChatResponse>(ex);
        }
    }

    /// <summary>
    /// The tier's task (a whole answer, or the next update of a stream), or — when the caller's token is cancelled first —
    /// a task cancelled at once, so that a tier that ignores the token cannot hold the call. The tier's own task goes on;
    /// the router books a late answer when it arrives.
    /// </summary>
    public static Task<T> Until<T>(Task<T> pending, CancellationToken cancellationToken)
    {
        if (pending.IsCompleted || !cancellationToken.CanBeCanceled) return pending;
#if NET
        return pending.WaitAsync(cancellationToken);
#else
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<T>(cancellationToken);
        var raced = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = cancellationToken.Register(() => raced.TrySetCanceled(cancellationToken));
        pending.ContinueWith(t =>
        {
            registration.Dispose();
            if (t.IsFaulted) raced.TrySetException(t.Exception!.InnerExceptions);
            else if (t.IsCanceled) raced.TrySetCanceled();
            else raced.TrySetResult(t.Result);
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return raced.Task;
#endif
    }

    private sealed class MissingClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => throw new InvalidOperationException("No client.");

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => throw new InvalidOperationException("No client.");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    /// <summary>
    /// Whether a request of <paramref name="inputCharacters"/> fits the tier's declared context window, by the
    /// four-characters-a-token estimate (always, when the tier declares no window).
    /// </summary>
    public static bool Fits(TierSpec tier, int inputCharacters, out long estimatedTokens)
    {
        estimatedTokens = 0;
        if (tier.ContextWindowTokens <= 0) return true;
        estimatedTokens = TokenProfile.EstimateTokens(inputCharacters);
        return estimatedTokens <= tier.ContextWindowTokens;
    }
}
