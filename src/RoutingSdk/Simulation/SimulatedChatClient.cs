using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using RoutingSdk.Planning;

namespace RoutingSdk.Simulation;

/// <summary>
/// <b>A simulation, not a model.</b> An <see cref="IChatClient"/> that stands in for one tier in offline runs, demos
/// and tests, with no API key and no network. It looks the prompt up in an answer book and returns the book's right
/// answer as often as <see cref="CapabilityModel.ExpectedQuality"/> says the tier would, and its wrong answer otherwise.
/// </summary>
/// <remarks>
/// <para>Deterministic: whether a tier answers a prompt right is decided by a stable hash of (seed, tier name, prompt),
/// not by a random generator, so a run can be repeated exactly on any machine. Different tiers draw independently.</para>
/// <para>Confidence, in <c>ChatResponse.AdditionalProperties[</c><see cref="TaskRouter.ConfidenceProperty"/><c>]</c>,
/// follows the Planner's projection model: a right answer reports 0.95–1.0; a wrong answer is caught with probability
/// <see cref="Planner.DetectionRate"/> and then reports 0.1–0.5 (the router escalates), else it reports 0.95–1.0 like a
/// right one (a fluent wrong answer that slips through). Thresholds above 0.95 will escalate some right answers.</para>
/// <para>The task's kind and complexity come from <c>ChatOptions.AdditionalProperties</c>
/// (<see cref="TaskRouter.KindProperty"/>, <see cref="TaskRouter.ComplexityProperty"/>), which <see cref="TaskRouter"/>
/// sets; when absent, <see cref="TaskKind.General"/> and <see cref="Complexity.Medium"/> are assumed.</para>
/// <para>Usage: input tokens are a quarter of the characters of all messages, output tokens a quarter of the answer's
/// (at least 1); a tier with extended thinking adds <see cref="TokenProfile.ReasoningTokens"/> of the kind as
/// <c>ReasoningTokenCount</c>, included in <c>OutputTokenCount</c> as providers report them.</para>
/// </remarks>
public sealed class SimulatedChatClient : IChatClient
{
    /// <summary>The provider name in <see cref="ChatClientMetadata"/>: it says plainly that this is a simulation.</summary>
    public const string ProviderName = "RoutingSdk.Simulation";

    private readonly Func<SimulatedRequest, SimulatedAnswer> _answerBook;
    private readonly ChatClientMetadata _metadata;

    /// <summary>Creates a simulated client for one tier.</summary>
    /// <param name="tier">The tier simulated: its name, prices and whether it thinks.</param>
    /// <param name="answerBook">Gives the right and a plausible wrong answer for a request.</param>
    /// <param name="seed">Changes which prompts each tier gets wrong, keeping the rates.</param>
    public SimulatedChatClient(TierSpec tier, Func<SimulatedRequest, SimulatedAnswer> answerBook, int seed = 0)
    {
        Tier = tier ?? throw new ArgumentNullException(nameof(tier));
        _answerBook = answerBook ?? throw new ArgumentNullException(nameof(answerBook));
        Seed = seed;
        _metadata = new ChatClientMetadata(ProviderName, null, "simulated-" + tier.Name);
    }

    /// <summary>The tier simulated.</summary>
    public TierSpec Tier { get; }

    /// <summary>The seed of the hash that decides right and wrong answers.</summary>
    public int Seed { get; }

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (messages is null) throw new ArgumentNullException(nameof(messages));
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Answer(messages.ToList(), options));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        if (serviceType is null) throw new ArgumentNullException(nameof(serviceType));
        if (serviceKey is not null) return null;
        if (serviceType == typeof(ChatClientMetadata)) return _metadata;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private ChatResponse Answer(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        var props = options?.AdditionalProperties;
        var kind = Read(props, TaskRouter.KindProperty, TaskKind.General);
        var complexity = Read(props, TaskRouter.ComplexityProperty, Complexity.Medium);
        var taskName = props is not null && props.TryGetValue(TaskRouter.TaskNameProperty, out var name) ? name?.ToString() : null;
        var prompt = Join(messages.Where(m => m.Role == ChatRole.User));
        var system = messages.Any(m => m.Role == ChatRole.System) ? Join(messages.Where(m => m.Role == ChatRole.System)) : null;

        var book = _answerBook(new SimulatedRequest(taskName, kind, complexity, prompt, system, Tier))
            ?? throw new InvalidOperationException($"The answer book returned no answer for tier '{Tier.Name}'.");

        var quality = CapabilityModel.ExpectedQuality(kind, complexity, Tier);
        var right = StableHash.Unit(Seed, "right", Tier.Name, prompt) < quality;
        var caught = !right && StableHash.Unit(Seed, "caught", Tier.Name, prompt) < Planner.DetectionRate;
        var jitter = StableHash.Unit(Seed, "confidence", Tier.Name, prompt);
        var confidence = caught ? 0.1 + 0.4 * jitter : 0.95 + 0.05 * jitter;
        var text = right ? book.Right : book.Wrong;

        long input = TokenProfile.EstimateTokens(messages.Sum(m => (long)(m.Text?.Length ?? 0)));
        long output = Math.Max(1, TokenProfile.EstimateTokens(text.Length));
        long reasoning = Tier.ExtendedThinking ? TokenProfile.For(kind).ReasoningTokens : 0;

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = _metadata.DefaultModelId,
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails
            {
                InputTokenCount = input,
                OutputTokenCount = output + reasoning,
                ReasoningTokenCount = Tier.ExtendedThinking ? reasoning : null,
                TotalTokenCount = input + output + reasoning,
            },
            AdditionalProperties = new AdditionalPropertiesDictionary { [TaskRouter.ConfidenceProperty] = confidence },
        };
    }

    private static string Join(IEnumerable<ChatMessage> messages)
    {
        var builder = new StringBuilder();
        foreach (var message in messages)
        {
            if (builder.Length > 0) builder.Append('\n');
            builder.Append(message.Text);
        }

        return builder.ToString();
    }

    private static TEnum Read<TEnum>(AdditionalPropertiesDictionary? props, string key, TEnum fallback) where TEnum : struct, Enum
    {
        if (props is null || !props.TryGetValue(key, out var raw) || raw is null) return fallback;
        if (raw is TEnum value) return value;
        return Enum.TryParse<TEnum>(raw.ToString(), ignoreCase: true, out var parsed) ? parsed : fallback;
    }
}
