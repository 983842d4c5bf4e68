using System;

namespace RoutingSdk;

/// <summary>
/// Marks a <c>partial</c> method as a routed task: the RoutingSdk generator plans it onto a model tier and
/// writes its body, which builds the prompt and calls <see cref="TaskRouter"/> with the task's static plan.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class RoutedTaskAttribute : Attribute
{
    /// <summary>Declares a routed task.</summary>
    /// <param name="kind">What the task does.</param>
    /// <param name="complexity">How hard one instance is.</param>
    public RoutedTaskAttribute(TaskKind kind, Complexity complexity = Complexity.Medium)
    {
        Kind = kind;
        Complexity = complexity;
    }

    /// <summary>What the task does.</summary>
    public TaskKind Kind { get; }

    /// <summary>How hard one instance is.</summary>
    public Complexity Complexity { get; }

    /// <summary>The share of answers (0–1) that must need no editing; the plan starts on the cheapest tier expected to reach it. Default 0.8.</summary>
    public double QualityThreshold { get; set; } = Planning.TaskSpec.DefaultQualityThreshold;

    /// <summary>The user message; <c>{name}</c> is replaced by the parameter of that name, <c>{{</c>/<c>}}</c> are literal braces.</summary>
    public string? Prompt { get; set; }

    /// <summary>The system message sent before the prompt.</summary>
    public string? Instructions { get; set; }

    /// <summary>Pins one tier by name: the task always runs there, without escalation.</summary>
    public string? Tier { get; set; }

    /// <summary>Caps escalation at this tier.</summary>
    public string? MaxTier { get; set; }

    /// <summary>How the task escalates; <see cref="RoutingSdk.Escalation.Cascade"/> by default.</summary>
    public Escalation Escalation { get; set; } = Escalation.Cascade;

    /// <summary>Latency budget in milliseconds that the start tier's typical latency must meet; 0 for none.</summary>
    public int LatencyBudgetMs { get; set; }

    /// <summary>Cost budget in USD per 1,000 calls that the projected cost must meet; 0 for none.</summary>
    public double MaxCostPerThousandCalls { get; set; }

    /// <summary>Expected input tokens per call, for projections; 0 for the kind's default.</summary>
    public int ExpectedInputTokens { get; set; }

    /// <summary>Expected output tokens per call, for projections; 0 for the kind's default.</summary>
    public int ExpectedOutputTokens { get; set; }

    /// <summary>
    /// Why the tier choice is deliberate. When not empty, the diagnostics about the choice of tier are not reported
    /// for this task: RSDK1001 (the pinned tier costs more than the task needs), RSDK2003 (the pinned tier is below what
    /// it needs) and RSDK1002 (extended thinking on a task of Medium complexity or less). Budget, latency and quality
    /// findings stay. The text is for reviewers; it is not sent to any model.
    /// </summary>
    /// <example><c>[RoutedTask(TaskKind.Classification, Complexity.Low, Tier = "frontier", Justification = "Legal asked for the frontier model on every ruling")]</c></example>
    public string? Justification { get; set; }

    /// <summary>
    /// The name of a method of the containing type that checks a parsed answer: <c>Validator = nameof(IsValid)</c>. It
    /// takes the task's result type (or a base type or interface of it) and returns <see cref="bool"/> (true scores 1,
    /// false scores 0) or <see cref="double"/> (a score from 0 to 1). It may be static, or an instance method when the
    /// task method is one. Its score is one more opinion next to the router's scorers: the lowest opinion decides whether
    /// the answer reaches the tier's acceptance threshold, so a false from the validator escalates the call. A validator
    /// that throws rejects the answer like one that does not parse. RSDK0009 reports a name that does not fit.
    /// </summary>
    public string? Validator { get; set; }
}
