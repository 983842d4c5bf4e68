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
}
