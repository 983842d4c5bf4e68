using RoutingSdk.Planning;
using StackExchange.Redis;

namespace RoutingSdk.Redis.Tests;

/// <summary>The cluster-wide ledger against a real redis-server: every replica's bookings add up exactly; nothing is lost or booked twice while Redis is down.</summary>
public sealed class RedisCostLedgerTests : IDisposable
{
    private readonly List<IDisposable> _owned = new();
    private static readonly TierSpec Small = new("small", 0, 0.15m, 0.6m);

    /// <summary>Small with a cached-input price and long-context prices above 100,000 input tokens: bookings at both levels.</summary>
    private static readonly TierSpec SmallCached = new("small-cached", 3, 0.15m, 0.6m)
    {
        CachedInputCostPerMillion = 0.0375m, LongContextThresholdTokens = 100_000, LongContextInputCostPerMillion = 0.3m, LongContextOutputCostPerMillion = 1.2m,
    };
    private static readonly TierSpec Mid = new("mid", 1, 0.0375m, 1.25m, 3.5m);
    private static readonly TierSpec Frontier = new("frontier", 2, 15m, 75m) { CachedInputCostPerMillion = 1.5m };

    private readonly RedisServer _server = RedisServer.StartNew(durable: true);

    public void Dispose()
    {
        foreach (var owned in _owned) owned.Dispose();
        _server.Dispose();
    }

    private RedisCostLedger Ledger(string prefix, out ConnectionMultiplexer connection)
    {
        connection = _server.Connect();
        var ledger = new RedisCostLedger(connection, new RedisRoutingOptions { KeyPrefix = prefix, LedgerFlushInterval = TimeSpan.FromMilliseconds(50) });
        _owned.Add(ledger);   // before its connection: disposed first
        _owned.Add(connection);
        return ledger;
    }

    private static CostRecord RandomRecord(Random random, string task)
    {
        var tier = new[] { Small, Mid, Frontier, SmallCached }[random.Next(4)];
        var outcome = (CallOutcome)random.Next(6);
        var input = random.Next(0, 200_000);
        return new CostRecord(task, tier, Frontier, input, random.Next(0, 8_000), tier == Mid ? random.Next(0, 4_000) : 0, outcome, usageEstimated: random.Next(10) == 0,
            cachedInputTokens: random.Next(3) == 0 ? 0 : random.Next(0, input + 1));
    }

    [RedisFact]
    public async Task Every_replicas_bookings_add_up_exactly_per_task_and_tier()
    {
        var prefix = Plans.Unique("ledger");
        var replicas = Enumerable.Range(0, 3).Select(n => Ledger(prefix, out _)).ToArray();
        var booked = new List<CostRecord>();
        await Task.WhenAll(Enumerable.Range(0, 12).Select(worker => Task.Run(() =>
        {
            var random = new Random(worker);
            for (var i = 0; i < 400; i++)
            {
                var record = RandomRecord(random, "Task" + (i % 3));
                replicas[worker % 3].Record(record);
                lock (booked) booked.Add(record);
            }
        })));

        foreach (var replica in replicas) Assert.True(await replica.FlushAsync());
        var reader = Ledger(prefix, out _);
        var snapshot = reader.Snapshot();

        Assert.Equal(booked.Sum(r => r.Usd), snapshot.TotalUsd);
        Assert.Equal(booked.Where(r => r.Outcome == CallOutcome.CalibrationSample).Sum(r => r.Usd), snapshot.SampleUsd);
        Assert.Equal(booked.Where(r => r.Outcome == CallOutcome.Accepted).Sum(r => Frontier.Cost(r.InputTokens, r.CachedInputTokens, r.OutputTokens, 0)), snapshot.AllFrontierUsd);
        var expected = booked.GroupBy(r => (r.TaskName, r.Tier.Name)).OrderBy(g => g.Key.TaskName, StringComparer.Ordinal).ThenBy(g => g.First().Tier.Rank).ToArray();
        Assert.Equal(expected.Length, snapshot.Entries.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            var (group, entry) = (expected[i], snapshot.Entries[i]);
            Assert.Equal(group.Key, (entry.TaskName, entry.Tier));
            Assert.Equal(group.LongCount(), entry.Calls);
            Assert.Equal(group.LongCount(r => r.Outcome == CallOutcome.Escalated), entry.Escalations);
            Assert.Equal(group.Sum(r => r.InputTokens), entry.InputTokens);
            Assert.Equal(group.Sum(r => r.CachedInputTokens), entry.CachedInputTokens);
            Assert.Equal(group.Sum(r => r.OutputTokens), entry.OutputTokens);
            Assert.Equal(group.Sum(r => r.ReasoningTokens), entry.ReasoningTokens);
            Assert.Equal(group.LongCount(r => r.UsageEstimated), entry.EstimatedCalls);
            Assert.Equal(group.Sum(r => r.Usd), entry.Usd);
            Assert.Equal(group.LongCount(r => r.Outcome is CallOutcome.Shadow or CallOutcome.CalibrationSample), entry.ShadowCalls);
            Assert.Equal(group.Where(r => r.Outcome is CallOutcome.Shadow or CallOutcome.CalibrationSample).Sum(r => r.Usd), entry.ShadowUsd);
            Assert.Equal(group.LongCount(r => r.Outcome == CallOutcome.CalibrationSample), entry.SampleCalls);
            Assert.Equal(group.Where(r => r.Outcome == CallOutcome.CalibrationSample).Sum(r => r.Usd), entry.SampleUsd);
        }
    }

    [Fact]
    public void Each_counter_constant_indexes_the_counter_it_names()
    {
        var expected = new Dictionary<int, string>
        {
            [LedgerCounters.Calls] = "calls", [LedgerCounters.Estimated] = "estimated", [LedgerCounters.AcceptedLongOutput] = "accepted_long_output",
            [LedgerCounters.ShadowCalls] = "shadow_calls", [LedgerCounters.ShadowInput] = "shadow_input", [LedgerCounters.ShadowLongReasoning] = "shadow_long_reasoning",
            [LedgerCounters.SampleCalls] = "sample_calls", [LedgerCounters.SampleCached] = "sample_cached", [LedgerCounters.SampleLongInput] = "sample_long_input",
            [LedgerCounters.SampleLongReasoning] = "sample_long_reasoning",
        };

        Assert.Equal(LedgerCounters.SampleLongReasoning + 1, LedgerCounters.All.Length);
        Assert.Equal(LedgerCounters.All.Length, LedgerCounters.All.Select(c => c.Field).Distinct().Count());
        foreach (var (index, field) in expected) Assert.Equal(field, LedgerCounters.All[index].Field);
    }

    [Fact]
    public void No_price_field_shares_its_name_with_a_counter()
        => Assert.Empty(LedgerPrices.Fields.Intersect(LedgerCounters.All.Select(c => c.Field)));

    [RedisFact]
    public void A_tier_booked_at_two_price_lists_is_priced_at_each()
    {
        var prefix = Plans.Unique("prices");
        var ledger = Ledger(prefix, out _);
        var repriced = new TierSpec("small", 0, 0.1m, 0.4m);
        var before = new CostRecord("T", Small, Frontier, 1_000, 100, 0, CallOutcome.Accepted);
        var after = new CostRecord("T", repriced, Frontier, 1_000, 100, 0, CallOutcome.Accepted);
        ledger.Record(before);
        ledger.Record(after);

        var entry = Assert.Single(ledger.Snapshot().Entries);
        Assert.Equal(2, entry.Calls);
        Assert.Equal(before.Usd + after.Usd, entry.Usd);
    }

    [RedisFact]
    public async Task While_Redis_is_down_bookings_wait_and_are_written_once_when_it_is_back()
    {
        var prefix = Plans.Unique("down");
        var ledger = Ledger(prefix, out _);
        var records = Enumerable.Range(0, 50).Select(i => new CostRecord("T", Small, Frontier, 1000 + i, 10, 0, CallOutcome.Accepted)).ToArray();
        foreach (var record in records.Take(20)) ledger.Record(record);
        Assert.True(await ledger.FlushAsync());

        _server.Stop();
        foreach (var record in records.Skip(20)) ledger.Record(record);
        Assert.False(await ledger.FlushAsync());
        var down = Assert.Throws<InvalidOperationException>(() => ledger.Snapshot());
        Assert.Contains("30 bookings of this process wait", down.Message);

        _server.Start();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await ledger.FlushAsync() && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.True(await ledger.FlushAsync());
        var snapshot = ledger.Snapshot();
        Assert.Equal(records.Sum(r => r.Usd), snapshot.TotalUsd);
        Assert.Equal(50, Assert.Single(snapshot.Entries).Calls);
        Assert.Equal(0, ledger.UnwrittenCalls);
    }
}
