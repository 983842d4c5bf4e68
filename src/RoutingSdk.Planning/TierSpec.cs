using System;
using System.Globalization;

namespace RoutingSdk.Planning;

/// <summary>
/// One model tier: its place in the cost order and its prices. Prices are exact decimals in USD per
/// million tokens, so the cost of a call is exact to the micro-dollar.
/// </summary>
public sealed record TierSpec
{
    /// <summary>Creates a tier.</summary>
    public TierSpec(string name, int rank, decimal inputCostPerMillion, decimal outputCostPerMillion,
        decimal reasoningCostPerMillion = 0m, int typicalLatencyMs = 0, bool extendedThinking = false, string? modelId = null)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Rank = rank;
        InputCostPerMillion = inputCostPerMillion;
        OutputCostPerMillion = outputCostPerMillion;
        ReasoningCostPerMillion = reasoningCostPerMillion;
        TypicalLatencyMs = typicalLatencyMs;
        ExtendedThinking = extendedThinking;
        ModelId = modelId;
    }

    /// <summary>The tier's name; also the key of its <c>IChatClient</c> in the service collection.</summary>
    public string Name { get; }

    /// <summary>Position in the cost order; 0 is the cheapest.</summary>
    public int Rank { get; }

    /// <summary>USD per million input tokens.</summary>
    public decimal InputCostPerMillion { get; }

    /// <summary>USD per million output tokens.</summary>
    public decimal OutputCostPerMillion { get; }

    /// <summary>USD per million reasoning (thinking) tokens; 0 when reasoning is billed as output or not used.</summary>
    public decimal ReasoningCostPerMillion { get; }

    /// <summary>Typical end-to-end latency of one call, in milliseconds.</summary>
    public int TypicalLatencyMs { get; }

    /// <summary>Whether the tier thinks before it answers (extended thinking).</summary>
    public bool ExtendedThinking { get; }

    /// <summary>The provider's model id, for documentation and telemetry; optional.</summary>
    public string? ModelId { get; }

    /// <summary>
    /// Exact USD cost of one call with the given token counts. Reasoning tokens are priced at
    /// <see cref="ReasoningCostPerMillion"/>, or at <see cref="OutputCostPerMillion"/> when that is 0 (billed as output).
    /// </summary>
    public decimal Cost(long inputTokens, long outputTokens, long reasoningTokens = 0)
        => (inputTokens * InputCostPerMillion + outputTokens * OutputCostPerMillion + reasoningTokens * EffectiveReasoningCostPerMillion)
           / 1_000_000m;

    /// <summary>What a reasoning token costs per million: <see cref="ReasoningCostPerMillion"/>, or the output price when it is 0.</summary>
    public decimal EffectiveReasoningCostPerMillion => ReasoningCostPerMillion != 0m ? ReasoningCostPerMillion : OutputCostPerMillion;

    /// <inheritdoc />
    public override string ToString() => string.Format(CultureInfo.InvariantCulture,
        "{0} (rank {1}, ${2}/${3} per million in/out)", Name, Rank, InputCostPerMillion, OutputCostPerMillion);
}
