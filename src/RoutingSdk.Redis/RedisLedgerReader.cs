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
            var tier = new TierSpec(fields["tier"], Int(fields["rank"]), Dec(fields["price_in"]), Dec(fields["price_out"]), Dec(fields["price_reasoning"]));
            var reference = new TierSpec(fields["ref_name"], Int(fields["ref_rank"]), Dec(fields["ref_price_in"]), Dec(fields["ref_price_out"]));
            var counts = LedgerCounters.All.Select(c => fields.TryGetValue(c.Field, out var v) ? long.Parse(v, CultureInfo.InvariantCulture) : 0L).ToArray();
            var key = (fields["task"], tier.Name);
            if (!merged.TryGetValue(key, out var sum)) merged[key] = sum = new Sum(tier.Rank);
            for (var c = 0; c < counts.Length; c++) sum.Counts[c] += counts[c];
            sum.Usd += tier.Cost(counts[LedgerCounters.Input], counts[LedgerCounters.Output], counts[LedgerCounters.Reasoning]);
            sum.AllFrontierUsd += reference.Cost(counts[LedgerCounters.AcceptedInput], counts[LedgerCounters.AcceptedOutput]);
        }

        var entries = merged
            .OrderBy(p => p.Key.Task, StringComparer.Ordinal).ThenBy(p => p.Value.Rank)
            .Select(p =>
            {
                var n = p.Value.Counts;
                return new CostEntry(p.Key.Task, p.Key.Tier, n[LedgerCounters.Calls], n[LedgerCounters.Escalations], n[LedgerCounters.Input], n[LedgerCounters.Output],
                    n[LedgerCounters.Reasoning], p.Value.Usd, p.Value.AllFrontierUsd, n[LedgerCounters.Estimated]);
            })
            .ToArray();
        return new CostSnapshot(entries);
    }

    private static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);

    private static decimal Dec(string value) => decimal.Parse(value, NumberStyles.Number, CultureInfo.InvariantCulture);

    private sealed class Sum(int rank)
    {
        public int Rank { get; } = rank;
        public long[] Counts { get; } = new long[LedgerCounters.All.Length];
        public decimal Usd { get; set; }
        public decimal AllFrontierUsd { get; set; }
    }
}
