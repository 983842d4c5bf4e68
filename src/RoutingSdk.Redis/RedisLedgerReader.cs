using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using RoutingSdk.Planning;
using StackExchange.Redis;

namespace RoutingSdk.Redis;

/// <summary>Reads the shared ledger's entries and prices them: one <see cref="CostEntry"/> per (task, tier), USD exact in decimal.</summary>
internal static class RedisLedgerReader
{
    public static CostSnapshot Read(IDatabase db, RedisKeys keys)
    {
        var members = db.SetMembers(keys.LedgerIndex);
        var reads = members.Select(m => db.HashGetAllAsync((string)m!)).ToArray();
        Task.WaitAll(reads);
        var merged = new Dictionary<(string Task, string Tier), Sum>();
        foreach (var read in reads)
        {
            var fields = read.Result.ToDictionary(e => (string)e.Name!, e => (string)e.Value!, StringComparer.Ordinal);
            if (!fields.ContainsKey("task")) continue;   // expired or deleted meanwhile
            var tier = LedgerPrices.Tier(fields, "");
            var reference = LedgerPrices.Tier(fields, "ref_");
            var counts = LedgerCounters.All.Select(c => fields.TryGetValue(c.Field, out var v) ? long.Parse(v, CultureInfo.InvariantCulture) : 0L).ToArray();
            var key = (fields["task"], tier.Name);
            if (!merged.TryGetValue(key, out var sum)) merged[key] = sum = new Sum(tier.Rank);
            for (var c = 0; c < counts.Length; c++) sum.Counts[c] += counts[c];
            if (fields.TryGetValue(LedgerPrices.GuardrailLevel, out var level) && int.TryParse(level, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
                sum.GuardrailLevel = Math.Max(sum.GuardrailLevel, parsed);
            sum.Usd += tier.Cost(false, counts[LedgerCounters.Input], counts[LedgerCounters.Cached], counts[LedgerCounters.Output], counts[LedgerCounters.Reasoning])
                + tier.Cost(true, counts[LedgerCounters.LongInput], counts[LedgerCounters.LongCached], counts[LedgerCounters.LongOutput], counts[LedgerCounters.LongReasoning]);
            sum.AllFrontierUsd += reference.Cost(false, counts[LedgerCounters.AcceptedInput], counts[LedgerCounters.AcceptedCached], counts[LedgerCounters.AcceptedOutput], 0)
                + reference.Cost(true, counts[LedgerCounters.AcceptedLongInput], counts[LedgerCounters.AcceptedLongCached], counts[LedgerCounters.AcceptedLongOutput], 0);
            sum.ShadowUsd += tier.Cost(false, counts[LedgerCounters.ShadowInput], counts[LedgerCounters.ShadowCached], counts[LedgerCounters.ShadowOutput], counts[LedgerCounters.ShadowReasoning])
                + tier.Cost(true, counts[LedgerCounters.ShadowLongInput], counts[LedgerCounters.ShadowLongCached], counts[LedgerCounters.ShadowLongOutput], counts[LedgerCounters.ShadowLongReasoning]);
            sum.SampleUsd += tier.Cost(false, counts[LedgerCounters.SampleInput], counts[LedgerCounters.SampleCached], counts[LedgerCounters.SampleOutput], counts[LedgerCounters.SampleReasoning])
                + tier.Cost(true, counts[LedgerCounters.SampleLongInput], counts[LedgerCounters.SampleLongCached], counts[LedgerCounters.SampleLongOutput], counts[LedgerCounters.SampleLongReasoning]);
        }

        var entries = merged
            .OrderBy(p => p.Key.Task, StringComparer.Ordinal).ThenBy(p => p.Value.Rank)
            .Select(p =>
            {
                var n = p.Value.Counts;
                return new CostEntry(p.Key.Task, p.Key.Tier, n[LedgerCounters.Calls], n[LedgerCounters.Escalations], n[LedgerCounters.Input] + n[LedgerCounters.LongInput],
                    n[LedgerCounters.Output] + n[LedgerCounters.LongOutput], n[LedgerCounters.Reasoning] + n[LedgerCounters.LongReasoning], p.Value.Usd, p.Value.AllFrontierUsd,
                    n[LedgerCounters.Estimated], n[LedgerCounters.Cached] + n[LedgerCounters.LongCached], n[LedgerCounters.ShadowCalls], p.Value.ShadowUsd, p.Value.GuardrailLevel,
                    n[LedgerCounters.SampleCalls], p.Value.SampleUsd);
            })
            .ToArray();
        return new CostSnapshot(entries);
    }

    private sealed class Sum(int rank)
    {
        public int Rank { get; } = rank;
        public long[] Counts { get; } = new long[LedgerCounters.All.Length];
        public decimal Usd { get; set; }
        public decimal AllFrontierUsd { get; set; }
        public decimal ShadowUsd { get; set; }
        public decimal SampleUsd { get; set; }
        public int GuardrailLevel { get; set; }
    }
}
