using System;
using System.Collections.Generic;

namespace RoutingSdk.Redis;

/// <summary>
/// The counters of a shared ledger entry, in one table: the Redis hash field of each and what one <see cref="CostRecord"/>
/// adds to it. Every counter is an integer (calls, tokens), so sums over replicas are exact; USD is derived from the token
/// sums and the entry's price list when a snapshot is read. A new counter is one row here and its use in
/// <see cref="RedisLedgerReader"/>.
/// </summary>
internal static class LedgerCounters
{
    public const int Calls = 0, Escalations = 1, Input = 2, Cached = 3, Output = 4, Reasoning = 5, LongInput = 6, LongCached = 7, LongOutput = 8,
        LongReasoning = 9, AcceptedInput = 10, AcceptedCached = 11, AcceptedOutput = 12, AcceptedLongInput = 13, AcceptedLongCached = 14,
        AcceptedLongOutput = 15, Estimated = 16, ShadowCalls = 17, ShadowInput = 18, ShadowCached = 19, ShadowOutput = 20, ShadowReasoning = 21,
        ShadowLongInput = 22, ShadowLongCached = 23, ShadowLongOutput = 24, ShadowLongReasoning = 25, SampleCalls = 26, SampleInput = 27, SampleCached = 28,
        SampleOutput = 29, SampleReasoning = 30, SampleLongInput = 31, SampleLongCached = 32, SampleLongOutput = 33, SampleLongReasoning = 34;

    /// <summary>
    /// Tokens are kept per price level of the call (standard, or long-context above the tier's threshold; an accepted call's
    /// by the reference tier's threshold), so that each level's sums are priced exactly: cost is linear within a level.
    /// </summary>
    public static readonly Counter[] All = Build();

    private static Counter[] Build()
    {
        var counters = new List<Counter>
        {
            new("calls", static r => 1),
            new("escalations", static r => r.Outcome == CallOutcome.Escalated ? 1 : 0),
            new("input", static r => Standard(r) ? In(r) : 0),
            new("cached", static r => Standard(r) ? CachedOf(r) : 0),
            new("output", static r => Standard(r) ? Math.Max(0, r.OutputTokens) : 0),
            new("reasoning", static r => Standard(r) ? Math.Max(0, r.ReasoningTokens) : 0),
            new("long_input", static r => Standard(r) ? 0 : In(r)),
            new("long_cached", static r => Standard(r) ? 0 : CachedOf(r)),
            new("long_output", static r => Standard(r) ? 0 : Math.Max(0, r.OutputTokens)),
            new("long_reasoning", static r => Standard(r) ? 0 : Math.Max(0, r.ReasoningTokens)),
            new("accepted_input", static r => Accepted(r, longContext: false) ? In(r) : 0),
            new("accepted_cached", static r => Accepted(r, longContext: false) ? CachedOf(r) : 0),
            new("accepted_output", static r => Accepted(r, longContext: false) ? Math.Max(0, r.OutputTokens) : 0),
            new("accepted_long_input", static r => Accepted(r, longContext: true) ? In(r) : 0),
            new("accepted_long_cached", static r => Accepted(r, longContext: true) ? CachedOf(r) : 0),
            new("accepted_long_output", static r => Accepted(r, longContext: true) ? Math.Max(0, r.OutputTokens) : 0),
            new("estimated", static r => r.UsageEstimated ? 1 : 0),
        };

        // The background calls' part of the above (shadow calls and calibration samples), so that their cost is shown
        // apart; and the samples' part of that, which has its own spending cap.
        counters.AddRange(Part("shadow", static r => r.Outcome is CallOutcome.Shadow or CallOutcome.CalibrationSample));
        counters.AddRange(Part("sample", static r => r.Outcome == CallOutcome.CalibrationSample));
        return counters.ToArray();
    }

    /// <summary>
    /// The counters of the calls <paramref name="of"/> picks: <c>{prefix}_calls</c>, then their tokens per price level of the
    /// tier (standard, long-context), in the order of the constants above.
    /// </summary>
    private static IEnumerable<Counter> Part(string prefix, Func<CostRecord, bool> of)
    {
        bool At(CostRecord r, bool longContext) => of(r) && r.Tier.IsLongContext(In(r)) == longContext;
        yield return new(prefix + "_calls", r => of(r) ? 1 : 0);
        foreach (var longContext in new[] { false, true })
        {
            var level = longContext ? prefix + "_long" : prefix;
            yield return new(level + "_input", r => At(r, longContext) ? In(r) : 0);
            yield return new(level + "_cached", r => At(r, longContext) ? CachedOf(r) : 0);
            yield return new(level + "_output", r => At(r, longContext) ? Math.Max(0, r.OutputTokens) : 0);
            yield return new(level + "_reasoning", r => At(r, longContext) ? Math.Max(0, r.ReasoningTokens) : 0);
        }
    }

    private static long In(CostRecord r) => Math.Max(0, r.InputTokens);

    private static long CachedOf(CostRecord r) => Math.Max(0, Math.Min(r.CachedInputTokens, r.InputTokens));

    private static bool Standard(CostRecord r) => !r.Tier.IsLongContext(In(r));

    private static bool Accepted(CostRecord r, bool longContext) => r.Outcome == CallOutcome.Accepted && r.Reference.IsLongContext(In(r)) == longContext;

    public sealed class Counter(string field, Func<CostRecord, long> of)
    {
        public string Field { get; } = field;

        public Func<CostRecord, long> Of { get; } = of;
    }
}
