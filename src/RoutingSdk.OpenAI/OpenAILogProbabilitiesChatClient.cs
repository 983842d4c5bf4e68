using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace RoutingSdk.Providers;

/// <summary>
/// Asks an OpenAI-library tier client for token log-probabilities and puts those of its answer in
/// <c>ChatResponse.AdditionalProperties["logprobs"]</c> (<see cref="AnswerScorers.LogProbabilitiesProperty"/>), a
/// <c>double[]</c> in token order, where the router's default <see cref="AnswerScorers.LogProbabilities"/> scorer reads them.
/// </summary>
/// <remarks>
/// The request's own <see cref="ChatOptions.RawRepresentationFactory"/> is kept: its <see cref="ChatCompletionOptions"/>
/// (or a new one) gets <see cref="ChatCompletionOptions.IncludeLogProbabilities"/> set. A response that carries no
/// log-probabilities (a provider that ignores the request) is returned unchanged, and the router has no log-probability
/// opinion on it. Streaming requests are passed through with the request only.
/// </remarks>
internal sealed class OpenAILogProbabilitiesChatClient : DelegatingChatClient
{
    private static readonly Func<IChatClient, object?> Asking = _ => new ChatCompletionOptions { IncludeLogProbabilities = true };

    public OpenAILogProbabilitiesChatClient(IChatClient inner)
        : base(inner)
    {
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, Ask(options), cancellationToken).ConfigureAwait(false);
        if (response.RawRepresentation is ChatCompletion { ContentTokenLogProbabilities: { Count: > 0 } tokens })
        {
            var values = new double[tokens.Count];
            for (var i = 0; i < values.Length; i++) values[i] = tokens[i].LogProbability;
            (response.AdditionalProperties ??= new AdditionalPropertiesDictionary())[AnswerScorers.LogProbabilitiesProperty] = values;
        }

        return response;
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => base.GetStreamingResponseAsync(messages, Ask(options), cancellationToken);

    /// <summary>
    /// The request's options with log-probabilities asked for, on a copy: the router shares one <see cref="ChatOptions"/>
    /// per task and tier between calls, which must not be changed.
    /// </summary>
    internal static ChatOptions Ask(ChatOptions? options)
    {
        if (options?.RawRepresentationFactory is not { } factory)
        {
            var asking = options?.Clone() ?? new ChatOptions();
            asking.RawRepresentationFactory = Asking;
            return asking;
        }

        var composed = options.Clone();
        composed.RawRepresentationFactory = client =>
        {
            var raw = factory(client) as ChatCompletionOptions ?? new ChatCompletionOptions();
            raw.IncludeLogProbabilities = true;
            return raw;
        };
        return composed;
    }
}
