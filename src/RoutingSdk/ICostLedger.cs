using System;
using System.Collections.Generic;
using RoutingSdk.Planning;

namespace RoutingSdk;

/// <summary>Books what every tier call cost. Registered as a singleton by <c>AddRoutingSdk()</c>.</summary>
public interface ICostLedger
{
    /// <summary>Books one tier call. Must be thread-safe and must never lose a record.</summary>
    void Record(in CostRecord record);

    /// <summary>A copy of the totals and of every (task, tier) entry so far; a call booked while the copy is taken may be partly included.</summary>
    CostSnapshot Snapshot();
}

/// <summary>How one tier call ended.</summary>
public enum CallOutcome
{
    /// <summary>The answer was accepted and returned to the caller.</summary>
    Accepted,
    /// <summary>The answer was rejected (did not parse, or scored below the threshold) and the call moved up the chain.</summary>
    Escalated,
    /// <summary>The tier answered, but the answer was unusable and no tier was left to escalate to.</summary>
    Rejected,
    /// <summary>A call made to choose the start tier (a classifier that asks a model); its answer is not the task's answer.</summary>
    Classification,

    /// <summary>
    /// A call of the shadow guardrail (<see cref="RoutingOptions.Shadow"/>): the chain's last tier asked in the background
    /// about a call already answered below it, to compare the answers; never returned to a caller.
    /// </summary>
    Shadow,

    /// <summary>
    /// A call of a calibration sample (<see cref="ShadowOptions.CalibrationRate"/>): a tier of the chain asked in the
    /// background about a call already answered, so that its answer can be written as an outcome; never returned to a
    /// caller. Counted with the shadow calls (<see cref="CostEntry.ShadowUsd"/>) and apart (<see cref="CostEntry.SampleUsd"/>).
    /// </summary>
    CalibrationSample,
}

/// <summary>One tier call that returned an answer, with the tokens it used.</summary>
public readonly struct CostRecord
{
    /// <summary>Creates a record.</summary>
    public CostRecord(string taskName, TierSpec tier, TierSpec reference, long inputTokens, long outputTokens, long reasoningTokens,
        CallOutcome outcome, bool usageEstimated = false, long cachedInputTokens = 0)
    {
        TaskName = taskName ?? throw new ArgumentNullException(nameof(taskName));
        Tier = tier ?? throw new ArgumentNullException(nameof(tier));
        Reference = reference ?? throw new ArgumentNullException(nameof(reference));
        InputTokens = inputTokens;
        OutputTokens = outputTokens;
        ReasoningTokens = reasoningTokens;
        Outcome = outcome;
        UsageEstimated = usageEstimated;
        CachedInputTokens = cachedInputTokens;
    }

    /// <summary>Creates a record of a call at a chain position the shadow guardrail had tightened by <paramref name="guardrailLevel"/>.</summary>
    public CostRecord(string taskName, TierSpec tier, TierSpec reference, long inputTokens, long outputTokens, long reasoningTokens,
        CallOutcome outcome, bool usageEstimated, long cachedInputTokens, int guardrailLevel)
        : this(taskName, tier, reference, inputTokens, outputTokens, reasoningTokens, outcome, usageEstimated, cachedInputTokens)
    {
        GuardrailLevel = guardrailLevel;
    }

    /// <summary>
    /// The level by which the shadow guardrail had tightened the acceptance at this tier's position in the task's chain
    /// when the call was made (0: as planned, or no guardrail; see <see cref="ShadowOptions"/>).
    /// </summary>
    public int GuardrailLevel { get; }

    /// <summary>The task's name.</summary>
    public string TaskName { get; }

    /// <summary>The tier that was called (its prices price the call).</summary>
    public TierSpec Tier { get; }

    /// <summary>The all-frontier reference tier: an accepted answer is also priced there, to measure savings.</summary>
    public TierSpec Reference { get; }

    /// <summary>Input tokens.</summary>
    public long InputTokens { get; }

    /// <summary>Output tokens.</summary>
    public long OutputTokens { get; }

    /// <summary>Reasoning (thinking) tokens.</summary>
    public long ReasoningTokens { get; }

    /// <summary>
    /// The part of <see cref="InputTokens"/> the provider served from its prompt cache, charged at the tier's cached price
    /// (<see cref="TierSpec.CachedInputCostPerMillion"/>).
    /// </summary>
    public long CachedInputTokens { get; }

    /// <summary>How the call ended.</summary>
    public CallOutcome Outcome { get; }

    /// <summary>True when the tier reported no usage and the tokens were estimated from the text (four characters a token).</summary>
    public bool UsageEstimated { get; }

    /// <summary>Exact USD of this call at the tier's prices.</summary>
    public decimal Usd => Tier.Cost(InputTokens, CachedInputTokens, OutputTokens, ReasoningTokens);
}

/// <summary>Totals and entries of a ledger at one moment.</summary>
public sealed class CostSnapshot
{
    /// <summary>Creates a snapshot from its entries.</summary>
    public CostSnapshot(IReadOnlyList<CostEntry> entries)
    {
        Entries = entries ?? throw new ArgumentNullException(nameof(entries));
        foreach (var entry in entries)
        {
            TotalUsd += entry.Usd;
            AllFrontierUsd += entry.AllFrontierUsd;
            ShadowUsd += entry.ShadowUsd;
            SampleUsd += entry.SampleUsd;
        }
    }

    /// <summary>Everything spent, in USD, exact.</summary>
    public decimal TotalUsd { get; }

    /// <summary>What the same accepted answers would have cost on the all-frontier reference tier.</summary>
    public decimal AllFrontierUsd { get; }

    /// <summary>
    /// The part of <see cref="TotalUsd"/> spent in the background: shadow calls (<see cref="CallOutcome.Shadow"/>) and
    /// calibration samples (<see cref="CallOutcome.CalibrationSample"/>).
    /// </summary>
    public decimal ShadowUsd { get; }

    /// <summary>The part of <see cref="ShadowUsd"/> spent on calibration samples.</summary>
    public decimal SampleUsd { get; }

    /// <summary><see cref="AllFrontierUsd"/> minus <see cref="TotalUsd"/>.</summary>
    public decimal SavedUsd => AllFrontierUsd - TotalUsd;

    /// <summary>One entry per (task, tier), ordered by task name, then tier rank.</summary>
    public IReadOnlyList<CostEntry> Entries { get; }
}

/// <summary>What one task spent on one tier.</summary>
public sealed class CostEntry
{
    /// <summary>Creates an entry.</summary>
    public CostEntry(string taskName, string tier, long calls, long escalations, long inputTokens, long outputTokens, long reasoningTokens,
        decimal usd, decimal allFrontierUsd, long estimatedCalls = 0, long cachedInputTokens = 0)
    {
        TaskName = taskName;
        Tier = tier;
        Calls = calls;
        Escalations = escalations;
        InputTokens = inputTokens;
        OutputTokens = outputTokens;
        ReasoningTokens = reasoningTokens;
        Usd = usd;
        AllFrontierUsd = allFrontierUsd;
        EstimatedCalls = estimatedCalls;
        CachedInputTokens = cachedInputTokens;
    }

    /// <summary>Creates an entry with shadow calls.</summary>
    public CostEntry(string taskName, string tier, long calls, long escalations, long inputTokens, long outputTokens, long reasoningTokens,
        decimal usd, decimal allFrontierUsd, long estimatedCalls, long cachedInputTokens, long shadowCalls, decimal shadowUsd)
        : this(taskName, tier, calls, escalations, inputTokens, outputTokens, reasoningTokens, usd, allFrontierUsd, estimatedCalls, cachedInputTokens)
    {
        ShadowCalls = shadowCalls;
        ShadowUsd = shadowUsd;
    }

    /// <summary>Creates an entry with shadow calls and the guardrail's level.</summary>
    public CostEntry(string taskName, string tier, long calls, long escalations, long inputTokens, long outputTokens, long reasoningTokens,
        decimal usd, decimal allFrontierUsd, long estimatedCalls, long cachedInputTokens, long shadowCalls, decimal shadowUsd, int guardrailLevel)
        : this(taskName, tier, calls, escalations, inputTokens, outputTokens, reasoningTokens, usd, allFrontierUsd, estimatedCalls, cachedInputTokens, shadowCalls, shadowUsd)
    {
        GuardrailLevel = guardrailLevel;
    }

    /// <summary>Creates an entry with shadow calls, the guardrail's level and calibration samples (part of the shadow calls).</summary>
    public CostEntry(string taskName, string tier, long calls, long escalations, long inputTokens, long outputTokens, long reasoningTokens,
        decimal usd, decimal allFrontierUsd, long estimatedCalls, long cachedInputTokens, long shadowCalls, decimal shadowUsd, int guardrailLevel,
        long sampleCalls, decimal sampleUsd)
        : this(taskName, tier, calls, escalations, inputTokens, outputTokens, reasoningTokens, usd, allFrontierUsd, estimatedCalls, cachedInputTokens, shadowCalls, shadowUsd, guardrailLevel)
    {
        SampleCalls = sampleCalls;
        SampleUsd = sampleUsd;
    }

    /// <summary>
    /// The level by which the shadow guardrail has tightened the task's acceptance at this tier, as of the latest call booked
    /// here (0: as planned, or no guardrail): each level halves the error share the tier's acceptance allows; at the top level
    /// the tier accepts nothing and its queries go a tier higher (<see cref="ShadowOptions"/>).
    /// </summary>
    public int GuardrailLevel { get; }

    /// <summary>
    /// The part of <see cref="Calls"/> made in the background: shadow calls of the quality guardrail
    /// (<see cref="CallOutcome.Shadow"/>) and calls of calibration samples (<see cref="CallOutcome.CalibrationSample"/>).
    /// </summary>
    public long ShadowCalls { get; }

    /// <summary>The part of <see cref="Usd"/> spent on the calls of <see cref="ShadowCalls"/>.</summary>
    public decimal ShadowUsd { get; }

    /// <summary>The part of <see cref="ShadowCalls"/> that were calls of calibration samples.</summary>
    public long SampleCalls { get; }

    /// <summary>The part of <see cref="ShadowUsd"/> spent on calibration samples.</summary>
    public decimal SampleUsd { get; }

    /// <summary>The task's name.</summary>
    public string TaskName { get; }

    /// <summary>The tier's name.</summary>
    public string Tier { get; }

    /// <summary>Calls that returned an answer (accepted, escalated or rejected).</summary>
    public long Calls { get; }

    /// <summary>Calls whose answer was rejected and that moved on to the next tier.</summary>
    public long Escalations { get; }

    /// <summary>Input tokens of all calls.</summary>
    public long InputTokens { get; }

    /// <summary>Output tokens of all calls.</summary>
    public long OutputTokens { get; }

    /// <summary>Reasoning tokens of all calls.</summary>
    public long ReasoningTokens { get; }

    /// <summary>USD spent, exact.</summary>
    public decimal Usd { get; }

    /// <summary>What this entry's accepted answers would have cost on the reference tier.</summary>
    public decimal AllFrontierUsd { get; }

    /// <summary>Calls whose usage the tier did not report and that were booked on estimated tokens.</summary>
    public long EstimatedCalls { get; }

    /// <summary>The part of <see cref="InputTokens"/> served from the provider's prompt cache, priced at the tier's cached price.</summary>
    public long CachedInputTokens { get; }
}
