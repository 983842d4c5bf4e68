using System;

namespace RoutingSdk.Planning;

/// <summary>Expected tokens of one call of a task, used for cost projections when the task does not say.</summary>
internal readonly struct TokenProfile : IEquatable<TokenProfile>
{
    /// <summary>Creates a profile.</summary>
    public TokenProfile(int inputTokens, int outputTokens)
    {
        InputTokens = inputTokens;
        OutputTokens = outputTokens;
    }

    /// <summary>Prompt tokens (instructions included).</summary>
    public int InputTokens { get; }

    /// <summary>Answer tokens.</summary>
    public int OutputTokens { get; }

    /// <summary>
    /// Thinking tokens a tier with extended thinking spends before this answer: four per answer token, at least 1,000.
    /// A <see cref="long"/>: four times an <see cref="int"/> answer (<c>ExpectedOutputTokens = int.MaxValue</c>) does not fit
    /// an <see cref="int"/>, and would wrap to a negative count that the floor then hid as 1,000.
    /// </summary>
    public long ReasoningTokens => Math.Max(1000L, 4L * OutputTokens);

    /// <summary>The built-in expectation for a kind of task (docs/planning.md).</summary>
    public static TokenProfile For(TaskKind kind) => kind switch
    {
        TaskKind.Classification => new(400, 10),
        TaskKind.Extraction => new(800, 150),
        TaskKind.Formatting => new(500, 400),
        TaskKind.Summarization => new(2000, 250),
        TaskKind.Translation => new(600, 600),
        TaskKind.TemplateGeneration => new(300, 500),
        TaskKind.CodeGeneration => new(1500, 800),
        TaskKind.Debugging => new(3000, 600),
        TaskKind.Analysis => new(3000, 800),
        TaskKind.Synthesis => new(4000, 1000),
        TaskKind.CreativeWriting => new(500, 1500),
        TaskKind.Reasoning => new(1000, 600),
        _ => new(800, 400),
    };

    /// <summary>Tokens estimated from text where no count is known: four characters a token, rounded up.</summary>
    public static long EstimateTokens(long characters) => (Math.Max(0, characters) + 3) / 4;

    /// <summary>Exact expected USD of one call on a tier (thinking tokens only on tiers with extended thinking).</summary>
    public decimal CostOn(TierSpec tier) => tier.Cost(InputTokens, OutputTokens, tier.ExtendedThinking ? ReasoningTokens : 0);

    /// <inheritdoc />
    public bool Equals(TokenProfile other) => InputTokens == other.InputTokens && OutputTokens == other.OutputTokens;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is TokenProfile other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => unchecked(InputTokens * 397 ^ OutputTokens);
}
