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
    /// USD per million input tokens the provider served from its prompt cache (OpenAI's and Azure OpenAI's cached input,
    /// Anthropic's cache reads, Gemini's context cache); null when the tier has no cached price, and cached tokens are
    /// charged at <see cref="InputCostPerMillion"/> (never under-reported).
    /// </summary>
    public decimal? CachedInputCostPerMillion { get; init; }

    /// <summary>
    /// The input size (tokens of the request, cached ones included) above which the provider charges its long-context
    /// prices for the whole call; 0 when the tier has one price at every size.
    /// </summary>
    public int LongContextThresholdTokens { get; init; }

    /// <summary>USD per million input tokens of a call above <see cref="LongContextThresholdTokens"/>; null: <see cref="InputCostPerMillion"/>.</summary>
    public decimal? LongContextInputCostPerMillion { get; init; }

    /// <summary>USD per million output tokens of a call above <see cref="LongContextThresholdTokens"/>; null: <see cref="OutputCostPerMillion"/>.</summary>
    public decimal? LongContextOutputCostPerMillion { get; init; }

    /// <summary>
    /// USD per million cached input tokens of a call above <see cref="LongContextThresholdTokens"/>; null: the long-context
    /// input price when the tier has one, else the cached price (never under-reported).
    /// </summary>
    public decimal? LongContextCachedInputCostPerMillion { get; init; }

    /// <summary>
    /// Whether the tier costs nothing on purpose (a local model, a prepaid deployment). A tier with no price at all that
    /// does not say so is reported at build time (RSDK1004): a forgotten price books every call at $0.
    /// </summary>
    public bool Free { get; init; }

    /// <summary>Whether the tier has a price, or is <see cref="Free"/> on purpose.</summary>
    internal bool IsPriced => Free || InputCostPerMillion != 0m || OutputCostPerMillion != 0m || ReasoningCostPerMillion != 0m
        || CachedInputCostPerMillion is > 0m || LongContextInputCostPerMillion is > 0m || LongContextOutputCostPerMillion is > 0m;

    /// <summary>The most tokens one call may hold, input and output together; 0 when not declared.</summary>
    public int ContextWindowTokens { get; init; }

    /// <summary>What the tier can do beyond text, as declared; null when not declared (nothing is assumed either way).</summary>
    public TierCapabilities? Capabilities { get; init; }

    /// <summary>Whether the tier declares <paramref name="capability"/>; false when it declares its capabilities without it, null when it declares none.</summary>
    public bool? Supports(TierCapabilities capability) => Capabilities is { } declared ? (declared & capability) == capability : null;

    /// <summary>Whether a call with <paramref name="inputTokens"/> of input is charged at the long-context prices.</summary>
    public bool IsLongContext(long inputTokens) => LongContextThresholdTokens > 0 && inputTokens > LongContextThresholdTokens;

    /// <summary>
    /// Exact USD cost of one call with the given token counts. Reasoning tokens are priced at
    /// <see cref="ReasoningCostPerMillion"/>, or at <see cref="OutputCostPerMillion"/> when that is 0 (billed as output).
    /// A call above <see cref="LongContextThresholdTokens"/> is charged at the long-context prices.
    /// </summary>
    public decimal Cost(long inputTokens, long outputTokens, long reasoningTokens) => Cost(inputTokens, 0, outputTokens, reasoningTokens);

    /// <summary>Exact USD cost of one call without reasoning or cached tokens.</summary>
    public decimal Cost(long inputTokens, long outputTokens) => Cost(inputTokens, 0, outputTokens, 0);

    /// <summary>
    /// Exact USD cost of one call: <paramref name="cachedInputTokens"/> are the part of <paramref name="inputTokens"/> the
    /// provider served from its cache (as <c>UsageDetails.CachedInputTokenCount</c> reports them), charged at
    /// <see cref="CachedInputCostPerMillion"/>; the rest of the input at the input price. A call above
    /// <see cref="LongContextThresholdTokens"/> is charged at the long-context prices.
    /// </summary>
    public decimal Cost(long inputTokens, long cachedInputTokens, long outputTokens, long reasoningTokens)
        => Cost(IsLongContext(inputTokens), inputTokens, cachedInputTokens, outputTokens, reasoningTokens);

    /// <summary>
    /// Exact USD cost of token counts at one price level: the standard prices, or the long-context ones when
    /// <paramref name="longContext"/>. Sums of calls at one level can be priced at once (cost is linear in the counts).
    /// Cached tokens count at most as many as the input tokens.
    /// </summary>
    public decimal Cost(bool longContext, long inputTokens, long cachedInputTokens, long outputTokens, long reasoningTokens)
    {
        var cached = Math.Max(0, Math.Min(cachedInputTokens, inputTokens));
        var input = longContext ? LongContextInputCostPerMillion ?? InputCostPerMillion : InputCostPerMillion;
        var cachedPrice = longContext
            ? LongContextCachedInputCostPerMillion ?? LongContextInputCostPerMillion ?? CachedInputCostPerMillion ?? InputCostPerMillion
            : CachedInputCostPerMillion ?? InputCostPerMillion;
        var output = longContext ? LongContextOutputCostPerMillion ?? OutputCostPerMillion : OutputCostPerMillion;
        var reasoning = ReasoningCostPerMillion != 0m ? ReasoningCostPerMillion : output;
        return ((inputTokens - cached) * input + cached * cachedPrice + outputTokens * output + reasoningTokens * reasoning) / 1_000_000m;
    }

    /// <summary>What a reasoning token costs per million: <see cref="ReasoningCostPerMillion"/>, or the output price when it is 0.</summary>
    public decimal EffectiveReasoningCostPerMillion => ReasoningCostPerMillion != 0m ? ReasoningCostPerMillion : OutputCostPerMillion;

    /// <inheritdoc />
    public override string ToString() => string.Format(CultureInfo.InvariantCulture,
        "{0} (rank {1}, ${2}/${3} per million in/out)", Name, Rank, InputCostPerMillion, OutputCostPerMillion);
}
