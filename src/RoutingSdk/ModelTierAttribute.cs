using System;

namespace RoutingSdk;

/// <summary>
/// Declares one model tier of the assembly's catalog. Without any <c>[assembly: ModelTier]</c>, the built-in
/// catalog (small, mid, frontier, frontier-thinking) applies. Prices are USD per million tokens.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
public sealed class ModelTierAttribute : Attribute
{
    /// <summary>Declares a tier; <paramref name="name"/> is also the key of its <c>IChatClient</c>.</summary>
    public ModelTierAttribute(string name) => Name = name;

    /// <summary>The tier's name and service key.</summary>
    public string Name { get; }

    /// <summary>Position in the cost order; 0 is the cheapest. Ranks must be unique.</summary>
    public int Rank { get; set; }

    /// <summary>USD per million input tokens.</summary>
    public double InputCostPerMillion { get; set; }

    /// <summary>USD per million output tokens.</summary>
    public double OutputCostPerMillion { get; set; }

    /// <summary>USD per million reasoning (thinking) tokens.</summary>
    public double ReasoningCostPerMillion { get; set; }

    /// <summary>Typical latency of one call in milliseconds.</summary>
    public int TypicalLatencyMs { get; set; }

    /// <summary>Whether the tier uses extended thinking.</summary>
    public bool ExtendedThinking { get; set; }

    /// <summary>The provider's model id (sent as <c>ChatOptions.ModelId</c>).</summary>
    public string? ModelId { get; set; }

    /// <summary>
    /// USD per million input tokens served from the provider's prompt cache (<c>UsageDetails.CachedInputTokenCount</c>).
    /// When not set, cached tokens are charged at <see cref="InputCostPerMillion"/>.
    /// </summary>
    public double CachedInputCostPerMillion { get; set; }

    /// <summary>
    /// The input size in tokens above which the provider charges its long-context prices for the whole call; 0 (the
    /// default) when the tier has one price at every size.
    /// </summary>
    public int LongContextThresholdTokens { get; set; }

    /// <summary>USD per million input tokens of a call above <see cref="LongContextThresholdTokens"/>; when not set, <see cref="InputCostPerMillion"/>.</summary>
    public double LongContextInputCostPerMillion { get; set; }

    /// <summary>USD per million output tokens of a call above <see cref="LongContextThresholdTokens"/>; when not set, <see cref="OutputCostPerMillion"/>.</summary>
    public double LongContextOutputCostPerMillion { get; set; }

    /// <summary>
    /// USD per million cached input tokens of a call above <see cref="LongContextThresholdTokens"/>; when not set, the
    /// long-context input price (or, without one, the cached price).
    /// </summary>
    public double LongContextCachedInputCostPerMillion { get; set; }

    /// <summary>
    /// Says that the tier costs nothing on purpose (a local model, a prepaid deployment). A tier with no price that does
    /// not say so is RSDK1004: a forgotten price would book every call at $0.
    /// </summary>
    public bool Free { get; set; }

    /// <summary>
    /// The most tokens one call may hold, input and output together; 0 (the default) when not declared. A task whose
    /// expected call is larger is RSDK2004, and at run time a call that cannot fit skips the tier.
    /// </summary>
    public int ContextWindowTokens { get; set; }

    /// <summary>
    /// What the tier can do beyond text. When set, tasks with a structured result are answered with the tier's
    /// structured output where it has it (RSDK2005 where it does not); when not set, nothing is assumed.
    /// </summary>
    public TierCapabilities Capabilities { get; set; }
}
