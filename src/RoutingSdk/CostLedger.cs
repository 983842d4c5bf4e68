using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using RoutingSdk.Planning;

namespace RoutingSdk;

/// <summary>
/// The default ledger: integer token counters per (task, tier). USD is derived from the counts and the tier's decimal
/// prices when a snapshot is taken, so totals are exact however many threads book at once.
/// </summary>
/// <remarks>
/// Each thread books into counters of its own (one writer per counter, no interlocked operation and no shared cache
/// line on the hot path); a snapshot adds up every thread's counters. A record is never lost: counters outlive the
/// threads that wrote them. A snapshot taken while calls are being booked may include part of a call. A ledger that is no
/// longer referenced gives its counters' slots back, so that a process may create ledgers freely (one per request, say)
/// without the per-thread tables growing.
/// </remarks>
public sealed class CostLedger : ICostLedger
{
    private readonly ConcurrentDictionary<(string Task, string Tier), Entry> _entries = new();

    /// <inheritdoc />
    public void Record(in CostRecord record)
    {
        var entry = EntryFor(record.TaskName, record.Tier, record.Reference);
        entry.Add(Math.Max(0, record.InputTokens), Math.Max(0, record.CachedInputTokens), Math.Max(0, record.OutputTokens), Math.Max(0, record.ReasoningTokens),
            record.Outcome, record.UsageEstimated);
        entry.SetGuardrailLevel(record.GuardrailLevel);
    }

    /// <inheritdoc />
    public CostSnapshot Snapshot()
    {
        var pairs = _entries.ToArray();
        Array.Sort(pairs, (a, b) =>
        {
            var byTask = string.CompareOrdinal(a.Key.Task, b.Key.Task);
            return byTask != 0 ? byTask : a.Value.Tier.Rank.CompareTo(b.Value.Tier.Rank);
        });
        var entries = new CostEntry[pairs.Length];
        for (var i = 0; i < pairs.Length; i++) entries[i] = pairs[i].Value.ToEntry(pairs[i].Key.Task);
        return new CostSnapshot(entries);
    }

    /// <summary>The entry of one (task, tier); the router keeps it per plan so that booking does no lookup.</summary>
    internal Entry EntryFor(string taskName, TierSpec tier, TierSpec reference)
    {
        var key = (taskName, tier.Name);
        if (!_entries.TryGetValue(key, out var entry))
        {
            entry = _entries.GetOrAdd(key, _ => new Entry(tier, reference));
        }

        if (!ReferenceEquals(entry.Tier, tier) && entry.Tier != tier)
            throw new InvalidOperationException($"Tier '{tier.Name}' of task '{taskName}' is booked with two different price lists.");
        return entry;
    }

    /// <summary>The counters of one (task, tier), split per booking thread.</summary>
    internal sealed class Entry
    {
        private static long s_nextStamp;   // no initializer: no static constructor check on the hot path

        // Per thread, one cell per live entry, indexed by the entry's slot. Written only by its own thread.
        [ThreadStatic]
        private static Cell?[]? t_cells;

        // The slot indexes the per-thread tables; it returns to the pool when the entry is collected, so the tables stay as
        // long as the most entries alive at once. A cell left in a table by an earlier holder of the slot carries that
        // holder's stamp and is replaced, never counted.
        private readonly int _slot = Slots.Rent();
        private readonly long _stamp = Interlocked.Increment(ref s_nextStamp);
        private readonly List<Cell> _cells = new();
        private int _guardrailLevel;
        public readonly TierSpec Tier;
        public readonly TierSpec Reference;

        public Entry(TierSpec tier, TierSpec reference)
        {
            Tier = tier;
            Reference = reference;
        }

        /// <summary>Gives the slot back once nothing can book into, or read, this entry.</summary>
        ~Entry() => Slots.Return(_slot);

        /// <summary>The size of the calling thread's table (tests: it stays bounded by the entries alive at once).</summary>
        internal static int ThreadTableLength => t_cells?.Length ?? 0;

        /// <summary>
        /// Adds one call. Its tokens go to the counters of its price level (standard, or long-context above the tier's
        /// threshold), so that each level's sums are priced exactly at the snapshot; an accepted call's tokens, which the
        /// all-frontier figure prices at the reference tier, go by the reference's level.
        /// </summary>
        public void Add(long input, long cached, long output, long reasoning, CallOutcome outcome, bool estimated)
        {
            var cells = t_cells;
            Cell? cell;
            if (cells is null || (uint)_slot >= (uint)cells.Length || (cell = cells[_slot]) is null || cell.Stamp != _stamp) cell = NewCell();
            if (cached > input) cached = input;

            // One writer per cell: plain read-modify-write, published with volatile writes for the snapshot's readers.
            Volatile.Write(ref cell.Calls, cell.Calls + 1);
            ref var tokens = ref Tier.IsLongContext(input) ? ref cell.Long : ref cell.Standard;
            tokens.Add(input, cached, output, reasoning);
            if (estimated) Volatile.Write(ref cell.EstimatedCalls, cell.EstimatedCalls + 1);
            if (outcome == CallOutcome.Escalated)
            {
                Volatile.Write(ref cell.Escalations, cell.Escalations + 1);
            }
            else if (outcome == CallOutcome.Accepted)
            {
                ref var accepted = ref Reference.IsLongContext(input) ? ref cell.AcceptedLong : ref cell.Accepted;
                accepted.Add(input, cached, output, 0);
            }
            else if (outcome is CallOutcome.Shadow or CallOutcome.CalibrationSample)
            {
                // Counted in the totals above too; kept apart so that the snapshot shows what the background calls cost,
                // and the samples' part of it apart again (each has its own spending cap).
                var longContext = Tier.IsLongContext(input);
                Volatile.Write(ref cell.ShadowCalls, cell.ShadowCalls + 1);
                ref var shadow = ref longContext ? ref cell.ShadowLong : ref cell.Shadow;
                shadow.Add(input, cached, output, reasoning);
                if (outcome == CallOutcome.CalibrationSample)
                {
                    Volatile.Write(ref cell.SampleCalls, cell.SampleCalls + 1);
                    ref var sample = ref longContext ? ref cell.SampleLong : ref cell.Sample;
                    sample.Add(input, cached, output, reasoning);
                }
            }
        }

        /// <summary>Keeps the guardrail's level of the latest call (written only when it changes: no shared write per call).</summary>
        public void SetGuardrailLevel(int level)
        {
            if (Volatile.Read(ref _guardrailLevel) != level) Volatile.Write(ref _guardrailLevel, level);
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        internal static long Sum(long total, long add)
        {
            var sum = total + add;
            return sum < total ? long.MaxValue : sum;
        }

        private Cell NewCell()
        {
            var cells = t_cells;
            if (cells is null || cells.Length <= _slot)
            {
                var grown = new Cell?[Math.Max(_slot + 1, Math.Max(8, (cells?.Length ?? 0) * 2))];
                cells?.CopyTo(grown, 0);
                t_cells = cells = grown;
            }

            var cell = new Cell(_stamp);
            cells[_slot] = cell;
            lock (_cells) _cells.Add(cell);
            return cell;
        }

        public CostEntry ToEntry(string task)
        {
            long calls = 0, escalations = 0, estimated = 0, shadowCalls = 0, sampleCalls = 0;
            Tokens standard = default, @long = default, accepted = default, acceptedLong = default, shadow = default, shadowLong = default, sample = default, sampleLong = default;
            lock (_cells)
            {
                foreach (var cell in _cells)
                {
                    calls = Sum(calls, Volatile.Read(ref cell.Calls));
                    escalations = Sum(escalations, Volatile.Read(ref cell.Escalations));
                    estimated = Sum(estimated, Volatile.Read(ref cell.EstimatedCalls));
                    standard.AddFrom(ref cell.Standard);
                    @long.AddFrom(ref cell.Long);
                    accepted.AddFrom(ref cell.Accepted);
                    acceptedLong.AddFrom(ref cell.AcceptedLong);
                    shadowCalls = Sum(shadowCalls, Volatile.Read(ref cell.ShadowCalls));
                    shadow.AddFrom(ref cell.Shadow);
                    shadowLong.AddFrom(ref cell.ShadowLong);
                    sampleCalls = Sum(sampleCalls, Volatile.Read(ref cell.SampleCalls));
                    sample.AddFrom(ref cell.Sample);
                    sampleLong.AddFrom(ref cell.SampleLong);
                }
            }

            var usd = standard.Price(Tier, longContext: false) + @long.Price(Tier, longContext: true);
            var allFrontier = accepted.Price(Reference, longContext: false) + acceptedLong.Price(Reference, longContext: true);
            return new CostEntry(task, Tier.Name, calls, escalations, Sum(standard.Input, @long.Input), Sum(standard.Output, @long.Output),
                Sum(standard.Reasoning, @long.Reasoning), usd, allFrontier, estimated, Sum(standard.Cached, @long.Cached),
                shadowCalls, shadow.Price(Tier, longContext: false) + shadowLong.Price(Tier, longContext: true), Volatile.Read(ref _guardrailLevel),
                sampleCalls, sample.Price(Tier, longContext: false) + sampleLong.Price(Tier, longContext: true));
        }
    }

    /// <summary>Token counts of one price level; written by one thread, read with volatile reads.</summary>
    private struct Tokens
    {
        public long Input, Cached, Output, Reasoning;

        public void Add(long input, long cached, long output, long reasoning)
        {
            Volatile.Write(ref Input, Entry.Sum(Input, input));
            if (cached != 0) Volatile.Write(ref Cached, Entry.Sum(Cached, cached));
            Volatile.Write(ref Output, Entry.Sum(Output, output));
            if (reasoning != 0) Volatile.Write(ref Reasoning, Entry.Sum(Reasoning, reasoning));
        }

        public void AddFrom(ref Tokens other)
        {
            Input = Entry.Sum(Input, Volatile.Read(ref other.Input));
            Cached = Entry.Sum(Cached, Volatile.Read(ref other.Cached));
            Output = Entry.Sum(Output, Volatile.Read(ref other.Output));
            Reasoning = Entry.Sum(Reasoning, Volatile.Read(ref other.Reasoning));
        }

        public readonly decimal Price(TierSpec tier, bool longContext) => tier.Cost(longContext, Input, Cached, Output, Reasoning);
    }

    private sealed class Cell
    {
        public readonly long Stamp;

        public long Calls, Escalations, EstimatedCalls, ShadowCalls, SampleCalls;

        public Tokens Standard, Long, Accepted, AcceptedLong, Shadow, ShadowLong, Sample, SampleLong;

        public Cell(long stamp) => Stamp = stamp;
    }

    private static class Slots
    {
        private static readonly SortedSet<int> Free = new();
        private static int s_next;

        public static int Rent()
        {
            lock (Free)
            {
                if (Free.Count == 0) return s_next++;
                var slot = Free.Min;
                Free.Remove(slot);
                return slot;
            }
        }

        public static void Return(int slot)
        {
            lock (Free) Free.Add(slot);
        }
    }
}
