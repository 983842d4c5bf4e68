using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using RoutingSdk.Planning;

namespace RoutingSdk;

/// <summary>
/// The default ledger: lock-free integer token counters per (task, tier). USD is derived from the counts and the
/// tier's decimal prices when a snapshot is taken, so totals are exact however many threads book at once.
/// </summary>
public sealed class CostLedger : ICostLedger
{
    private readonly ConcurrentDictionary<(string Task, string Tier), Entry> _entries = new();

    /// <inheritdoc />
    public void Record(in CostRecord record)
    {
        var key = (record.TaskName, record.Tier.Name);
        if (!_entries.TryGetValue(key, out var entry))
        {
            entry = _entries.GetOrAdd(key, new Entry(record.Tier, record.Reference));
        }

        if (!ReferenceEquals(entry.Tier, record.Tier) && entry.Tier != record.Tier)
            throw new InvalidOperationException($"Tier '{record.Tier.Name}' of task '{record.TaskName}' is booked with two different price lists.");

        Interlocked.Increment(ref entry.Calls);
        Interlocked.Add(ref entry.InputTokens, record.InputTokens);
        Interlocked.Add(ref entry.OutputTokens, record.OutputTokens);
        Interlocked.Add(ref entry.ReasoningTokens, record.ReasoningTokens);
        if (record.UsageEstimated) Interlocked.Increment(ref entry.EstimatedCalls);
        if (record.Outcome == CallOutcome.Escalated) Interlocked.Increment(ref entry.Escalations);
        if (record.Outcome == CallOutcome.Accepted)
        {
            Interlocked.Add(ref entry.AcceptedInputTokens, record.InputTokens);
            Interlocked.Add(ref entry.AcceptedOutputTokens, record.OutputTokens);
        }
    }

    /// <inheritdoc />
    public CostSnapshot Snapshot()
    {
        var entries = _entries
            .OrderBy(pair => pair.Key.Task, StringComparer.Ordinal)
            .ThenBy(pair => pair.Value.Tier.Rank)
            .Select(pair => pair.Value.ToEntry(pair.Key.Task))
            .ToArray();
        return new CostSnapshot(entries);
    }

    private sealed class Entry
    {
        public readonly TierSpec Tier;
        public readonly TierSpec Reference;
        public long Calls, Escalations, InputTokens, OutputTokens, ReasoningTokens, AcceptedInputTokens, AcceptedOutputTokens, EstimatedCalls;

        public Entry(TierSpec tier, TierSpec reference)
        {
            Tier = tier;
            Reference = reference;
        }

        public CostEntry ToEntry(string task)
        {
            var input = Interlocked.Read(ref InputTokens);
            var output = Interlocked.Read(ref OutputTokens);
            var reasoning = Interlocked.Read(ref ReasoningTokens);
            return new CostEntry(task, Tier.Name, Interlocked.Read(ref Calls), Interlocked.Read(ref Escalations), input, output, reasoning,
                Tier.Cost(input, output, reasoning),
                Reference.Cost(Interlocked.Read(ref AcceptedInputTokens), Interlocked.Read(ref AcceptedOutputTokens)),
                Interlocked.Read(ref EstimatedCalls));
        }
    }
}
