using System;
using System.Collections.Generic;
using System.Linq;

namespace RoutingSdk.Planning;

/// <summary>What the Planner found wrong or risky about a task; each kind maps to one diagnostic ID.</summary>
internal enum FindingKind
{
    /// <summary>RSDK0005: a tier named in Tier or MaxTier is not in the catalog.</summary>
    UnknownTier,
    /// <summary>RSDK0006: a value is outside its range.</summary>
    InvalidValue,
    /// <summary>RSDK1001: the pinned tier costs more than the cheapest tier that meets the threshold.</summary>
    Overspend,
    /// <summary>RSDK1002: extended thinking on a task of Medium complexity or less.</summary>
    ThinkingOnSimpleTask,
    /// <summary>RSDK1003: projected cost per 1,000 calls exceeds MaxCostPerThousandCalls.</summary>
    OverBudget,
    /// <summary>RSDK2001: no allowed tier reaches the threshold.</summary>
    Unreachable,
    /// <summary>RSDK2002: the start tier's typical latency exceeds LatencyBudgetMs.</summary>
    TooSlow,
    /// <summary>RSDK2003: the pinned tier is below what the kind and complexity need.</summary>
    Underspend,
    /// <summary>RSDK0008: the calibration of the task does not fit the catalog (an unknown tier, tiers out of order, a wrong threshold count); the built-in figures apply.</summary>
    CalibrationMismatch,
    ContextWindow,
    StructuredOutput,
}

/// <summary>The part of the attribute a finding concerns, so a diagnostic can point at it.</summary>
internal enum FindingTarget
{
    /// <summary>The method itself (its name).</summary>
    Method,
    /// <summary>The <c>Tier</c> argument.</summary>
    Tier,
    /// <summary>The <c>MaxTier</c> argument.</summary>
    MaxTier,
    /// <summary>The <c>QualityThreshold</c> argument.</summary>
    QualityThreshold,
    /// <summary>The <c>LatencyBudgetMs</c> argument.</summary>
    LatencyBudgetMs,
    /// <summary>The <c>MaxCostPerThousandCalls</c> argument.</summary>
    MaxCostPerThousandCalls,
    /// <summary>The <c>ExpectedInputTokens</c> argument.</summary>
    ExpectedInputTokens,
    /// <summary>The <c>ExpectedOutputTokens</c> argument.</summary>
    ExpectedOutputTokens,
}

/// <summary>
/// One finding: what, where, which wording (<see cref="FindingFormats"/>) and its arguments, the names and figures the
/// Planner decided, each formatted with the invariant culture. <paramref name="SuggestedTier"/> is the tier the Planner
/// would put in the finding's argument instead (for RSDK1001/RSDK2003 the tier that meets the threshold, for RSDK1002
/// the cap below the extended-thinking tier), or null when the argument should go. Value-equatable, arguments included.
/// </summary>
/// <param name="Format">The wording: its text is <see cref="FindingFormats.Of"/>, which the diagnostic's descriptor shares.</param>
/// <param name="Target">The attribute argument it concerns.</param>
/// <param name="Arguments">The format's arguments, in placeholder order.</param>
/// <param name="SuggestedTier">The tier the Planner suggests for the argument, or null.</param>
internal sealed record Finding(FindingFormat Format, FindingTarget Target, IReadOnlyList<string> Arguments, string? SuggestedTier = null)
{
    /// <summary>What was found: the kind of <see cref="Format"/>.</summary>
    public FindingKind Kind => FindingFormats.KindOf(Format);

    /// <summary>The message: <see cref="Format"/>'s text with <see cref="Arguments"/>, as the diagnostic shows it.</summary>
    public string Message => FindingFormats.Render(Format, Arguments);

    /// <inheritdoc />
    public bool Equals(Finding? other) => other is not null
        && Format == other.Format && Target == other.Target && SuggestedTier == other.SuggestedTier
        && Arguments.SequenceEqual(other.Arguments, StringComparer.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => unchecked(((int)Format * 31 + (int)Target) * 31 + Arguments.Count);

    /// <inheritdoc />
    public override string ToString() => Message;
}
