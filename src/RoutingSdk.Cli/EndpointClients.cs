using System;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace RoutingSdk.Cli;

/// <summary>
/// The <see cref="IChatClient"/> of a <see cref="TierEndpoint"/>: the OpenAI client library on the tier's endpoint, model
/// and key. Rate limits and server errors (429, 5xx) are retried as the library does, after the server's
/// <c>Retry-After</c>; an endpoint that cannot be reached is not: its first transport failure ends every later call to it
/// at once, so that an unreachable tier fails the command in seconds instead of timing out once per input.
/// </summary>
internal static class EndpointClients
{
    /// <summary>
    /// Creates the tier's client; with <paramref name="logProbabilities"/> it asks for token log-probabilities and reports
    /// them as the router's clients do (<c>UseOpenAILogProbabilities()</c>), so that each answer's confidence is what the
    /// router's default scorers make of them.
    /// </summary>
    public static WatchedTierClient Create(TierEndpoint endpoint, string key, bool logProbabilities)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = endpoint.Endpoint,
            RetryPolicy = new ServerFailuresRetried(),
            NetworkTimeout = TimeSpan.FromSeconds(120),
        };
        IChatClient client = new ChatClient(endpoint.Model, new ApiKeyCredential(key), options).AsIChatClient();
        if (logProbabilities) client = client.WithOpenAILogProbabilities();
        return new WatchedTierClient(client, endpoint);
    }

    /// <summary>
    /// Whether <paramref name="exception"/> says the endpoint cannot be reached at all: its name does not resolve, or no
    /// connection (or no TLS session) could be made. A timeout or a dropped response is not: the next call may succeed.
    /// </summary>
    internal static bool IsTransportFailure(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError })
                return true;
        }

        return false;
    }

    /// <summary>The library's retries of 429 and 5xx responses (after Retry-After), without retrying a request that got no response.</summary>
    private sealed class ServerFailuresRetried : ClientRetryPolicy
    {
        public ServerFailuresRetried()
            : base(maxRetries: 3)
        {
        }

        protected override bool ShouldRetry(PipelineMessage message, Exception? exception)
            => exception is null && base.ShouldRetry(message, exception);

        protected override ValueTask<bool> ShouldRetryAsync(PipelineMessage message, Exception? exception)
            => exception is null ? base.ShouldRetryAsync(message, exception) : new ValueTask<bool>(false);
    }
}

/// <summary>
/// A tier's client that counts its failed calls and keeps the first; after a transport failure (the endpoint was not
/// reached), every later call fails at once with it, naming the tier and endpoint.
/// </summary>
internal sealed class WatchedTierClient : DelegatingChatClient
{
    private readonly TierEndpoint _endpoint;
    private Exception? _unreachable;

    public WatchedTierClient(IChatClient inner, TierEndpoint endpoint)
        : base(inner) => _endpoint = endpoint;

    /// <summary>How many calls failed.</summary>
    public int Failures { get; private set; }

    /// <summary>The first failure's message, or null.</summary>
    public string? FirstFailure { get; private set; }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (_unreachable is { } known)
        {
            Failures++;
            throw known;
        }

        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            Failures++;
            if (EndpointClients.IsTransportFailure(ex))
            {
                _unreachable = new HttpRequestException($"{_endpoint.Endpoint} cannot be reached: {ex.Message}", ex);
                FirstFailure ??= _unreachable.Message;
                throw _unreachable;
            }

            FirstFailure ??= ex.Message.Replace('\n', ' ');
            throw;
        }
    }
}
