using System;
using RoutingSdk.Providers;

namespace Microsoft.Extensions.AI;

/// <summary>Token log-probabilities from OpenAI-library tier clients into the RoutingSdk router's answer score.</summary>
public static class OpenAILogProbabilitiesExtensions
{
    /// <summary>
    /// Makes the tier client ask for token log-probabilities on every request and report those of its answer in
    /// <c>ChatResponse.AdditionalProperties["logprobs"]</c>, where the router's default scorers read them: the answer's
    /// score is then at most the geometric mean of its token probabilities, and an answer below the tier's acceptance
    /// threshold escalates. For clients of the OpenAI library: OpenAI, Azure OpenAI (<c>AzureOpenAIClient</c>) and
    /// OpenAI-compatible endpoints (vLLM, llama.cpp, Ollama's <c>/v1</c>), through <c>AsIChatClient()</c>.
    /// </summary>
    /// <example><c>services.AddKeyedChatClient("small", openAI.GetChatClient("gpt-4.1-nano").AsIChatClient()).UseOpenAILogProbabilities();</c></example>
    public static ChatClientBuilder UseOpenAILogProbabilities(this ChatClientBuilder builder)
    {
        if (builder is null) throw new ArgumentNullException(nameof(builder));
        return builder.Use(inner => new OpenAILogProbabilitiesChatClient(inner));
    }

    /// <summary>
    /// The client, asking for token log-probabilities on every request and reporting those of its answer where the router's
    /// default scorers read them (see <see cref="UseOpenAILogProbabilities(ChatClientBuilder)"/>).
    /// </summary>
    public static IChatClient WithOpenAILogProbabilities(this IChatClient client)
    {
        if (client is null) throw new ArgumentNullException(nameof(client));
        return new OpenAILogProbabilitiesChatClient(client);
    }
}
