using System;

namespace RoutingSdk.Redis;

/// <summary>
/// The counters of a shared ledger entry, in one table: the Redis hash field of each and what one <see cref="CostRecord"/>
/// adds to it. Every counter is an integer (calls, tokens), so sums over replicas are exact; USD is derived from the token
/// sums and the entry's price list when a snapshot is read. A new counter is one row here and its use in
/// <see cref="RedisLedgerReader"/>.
/// </summary>
internal static class LedgerCounters
{
    public const int Calls = 0, Escalations = 1, Input = 2, Output = 3, Reasoning = 4, AcceptedInput = 5, AcceptedOutput = 6, Estimated = 7;

    public static readonly Counter[] All =
    {
        new("calls", static r => 1),
        new("escalations", static r => r.Outcome == CallOutcome.Escalated ? 1 : 0),
        new("input", static r => Math.Max(0, r.InputTokens)),
        new("output", static r => Math.Max(0, r.OutputTokens)),
        new("reasoning", static r => Math.Max(0, r.ReasoningTokens)),
        new("accepted_input", static r => r.Outcome == CallOutcome.Accepted ? Math.Max(0, r.InputTokens) : 0),
        new("accepted_output", static r => r.Outcome == CallOutcome.Accepted ? Math.Max(0, r.OutputTokens) : 0),
        new("estimated", static r => r.UsageEstimated ? 1 : 0),
    };

    /// <summary>One counter: its field and what a record adds.</summary>
    public sealed class Counter(string field, Func<CostRecord, long> of)
    {
        public string Field { get; } = field;

        public Func<CostRecord, long> Of { get; } = of;
    }
}
