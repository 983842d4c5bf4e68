namespace RoutingSdk.Planning;

/// <summary>
/// What a <c>[RoutedTask]</c> attribute says about one task method, as plain values. Zero means
/// "not set" for the budgets and token counts, as in the attribute.
/// </summary>
internal sealed record TaskSpec
{
    /// <summary>The default <see cref="QualityThreshold"/> when the attribute does not set one.</summary>
    public const double DefaultQualityThreshold = 0.8;

    /// <summary>Creates a spec.</summary>
    public TaskSpec(string taskName, string methodName, TaskKind kind, Complexity complexity)
    {
        TaskName = taskName;
        MethodName = methodName;
        Kind = kind;
        Complexity = complexity;
    }

    /// <summary>The task's name in plans and the ledger: <c>ContainingType.Method</c>.</summary>
    public string TaskName { get; }

    /// <summary>The method's own name, for messages.</summary>
    public string MethodName { get; }

    /// <summary>The kind of work.</summary>
    public TaskKind Kind { get; }

    /// <summary>How hard one instance is.</summary>
    public Complexity Complexity { get; }

    /// <summary>The share of answers that must need no editing (0–1).</summary>
    public double QualityThreshold { get; init; } = DefaultQualityThreshold;

    /// <summary>A pinned tier, or null.</summary>
    public string? Tier { get; init; }

    /// <summary>The highest tier escalation may reach, or null.</summary>
    public string? MaxTier { get; init; }

    /// <summary>How the task escalates.</summary>
    public Escalation Escalation { get; init; } = Escalation.Cascade;

    /// <summary>Latency budget of the start tier in ms; 0 for none.</summary>
    public int LatencyBudgetMs { get; init; }

    /// <summary>Cost budget in USD per 1,000 calls; 0 for none.</summary>
    public double MaxCostPerThousandCalls { get; init; }

    /// <summary>Expected input tokens per call; 0 for the kind's default.</summary>
    public int ExpectedInputTokens { get; init; }

    /// <summary>Expected output tokens per call; 0 for the kind's default.</summary>
    public int ExpectedOutputTokens { get; init; }

    /// <summary>Whether the task's result is read from JSON (a record or class), so that tiers are asked for structured output.</summary>
    public bool StructuredResult { get; init; }

    /// <summary>The token profile used for projections: the spec's own figures where given, else the kind's.</summary>
    public TokenProfile Tokens
    {
        get
        {
            var defaults = TokenProfile.For(Kind);
            return new TokenProfile(
                ExpectedInputTokens > 0 ? ExpectedInputTokens : defaults.InputTokens,
                ExpectedOutputTokens > 0 ? ExpectedOutputTokens : defaults.OutputTokens);
        }
    }
}
