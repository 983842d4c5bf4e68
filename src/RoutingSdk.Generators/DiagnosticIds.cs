namespace RoutingSdk.Generators;

/// <summary>
/// Every RoutingSdk diagnostic ID, in one place. An ID keeps its meaning for good and is never reused; each has its page,
/// docs/diagnostics/&lt;ID&gt;.md, and its row in AnalyzerReleases.Unshipped.md.
/// </summary>
internal static class DiagnosticIds
{
    /// <summary>A [RoutedTask] method is not partial, has a body, is generic, or a containing type is not partial.</summary>
    public const string NotPartial = "RSDK0001";

    /// <summary>No TaskRouter field, property or primary-constructor parameter is reachable from the method.</summary>
    public const string NoRouter = "RSDK0002";

    /// <summary>The return type is not Task&lt;T&gt;/ValueTask&lt;T&gt;, or a parameter is ref/out.</summary>
    public const string UnsupportedSignature = "RSDK0003";

    /// <summary>A {placeholder} of Prompt names no parameter, or the Prompt is malformed.</summary>
    public const string UnknownPlaceholder = "RSDK0004";

    /// <summary>A tier named in Tier or MaxTier is not in the catalog.</summary>
    public const string UnknownTier = "RSDK0005";

    /// <summary>A setting is out of range (QualityThreshold outside 0–1, negative budgets or token counts).</summary>
    public const string InvalidValue = "RSDK0006";

    /// <summary>The tier catalog is invalid.</summary>
    public const string InvalidCatalog = "RSDK0007";

    /// <summary>A calibration file is malformed or does not fit a task.</summary>
    public const string BadCalibration = "RSDK0008";

    /// <summary>The Validator names no suitable method.</summary>
    public const string InvalidValidator = "RSDK0009";

    /// <summary>Two or more tasks of the compilation would have the same task name (Type.Method).</summary>
    public const string DuplicateTaskName = "RSDK0010";

    /// <summary>
    /// The routed tasks of a referenced assembly cannot join this one's as they are: a task name is declared in two
    /// assemblies, or a library with routed tasks was built with a RoutingSdk version that does not publish them.
    /// </summary>
    public const string ReferencedTasks = "RSDK0020";

    /// <summary>The pinned tier costs more than the task needs.</summary>
    public const string Overspend = "RSDK1001";

    /// <summary>Extended thinking on a task of Medium complexity or less.</summary>
    public const string ThinkingOnSimpleTask = "RSDK1002";

    /// <summary>The projected cost per 1,000 calls exceeds MaxCostPerThousandCalls.</summary>
    public const string OverBudget = "RSDK1003";

    /// <summary>A declared tier has no price and does not say it is free.</summary>
    public const string UnpricedTier = "RSDK1004";

    /// <summary>No allowed tier reaches QualityThreshold.</summary>
    public const string Unreachable = "RSDK2001";

    /// <summary>The start tier's typical latency exceeds LatencyBudgetMs.</summary>
    public const string TooSlow = "RSDK2002";

    /// <summary>The pinned tier is below what the kind and complexity need.</summary>
    public const string Underspend = "RSDK2003";

    /// <summary>A tier of the chain has a context window below the task's expected call.</summary>
    public const string ContextWindowTooSmall = "RSDK2004";

    /// <summary>A task with a structured result has a tier in its chain that declares no structured output.</summary>
    public const string NoStructuredOutput = "RSDK2005";
}
