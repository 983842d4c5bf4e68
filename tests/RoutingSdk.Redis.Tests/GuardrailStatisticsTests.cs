using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using static RoutingSdk.Redis.Tests.Waiting;

namespace RoutingSdk.Redis.Tests;

/// <summary>The shadow guardrail's statistics shared through a real redis-server: one window per position for all replicas, one decision.</summary>
public sealed class GuardrailStatisticsTests : IDisposable
{
    private readonly RedisServer _server = RedisServer.StartNew();
    private readonly List<ServiceProvider> _providers = new();

    public void Dispose()
    {
        foreach (var provider in _providers) provider.Dispose();
        _server.Dispose();
    }

    [RedisFact]
    public async Task Comparisons_of_every_replica_fill_one_window_and_a_decision_applies_once()
    {
        var options = new RedisRoutingOptions { KeyPrefix = Plans.Unique("guard") };
        using var a = new RedisAgreementStatistics(_server.Connect(), options);
        using var b = new RedisAgreementStatistics(_server.Connect(), options);

        for (var i = 0; i < 3; i++) await a.AddAsync("Support.Classify", 0, agreed: true, window: 4);
        var seenByA = await a.AddAsync("Support.Classify", 0, agreed: false, window: 4);
        var seenByB = await b.AddAsync("Support.Classify", 0, agreed: true, window: 4);   // the window holds 4: the oldest leaves

        Assert.Equal(new AgreementState(0, 0, double.NaN, 4, 3), seenByA);
        Assert.Equal(new AgreementState(0, 0, double.NaN, 4, 3), seenByB);

        // Both replicas decide on generation 0; the first decision applies, the second finds a new generation.
        Assert.True(await b.TryApplyAsync("Support.Classify", 0, seenByB, level: 1, baseline: 0.75));
        Assert.False(await a.TryApplyAsync("Support.Classify", 0, seenByA, level: 1, baseline: 0.5));

        Assert.Equal(1, b.GetLevel("Support.Classify", 0));
        Assert.True(Eventually(() => a.GetLevel("Support.Classify", 0) == 1));
        Assert.Equal(0, a.GetLevel("Support.Classify", 1));
        Assert.Equal(new AgreementState(1, 1, 0.75, 1, 0), await a.AddAsync("Support.Classify", 0, agreed: false, window: 4));

        using var late = new RedisAgreementStatistics(_server.Connect(), options);
        Assert.Equal(1, late.GetLevel("Support.Classify", 0));
    }

    [RedisFact]
    public async Task Task_names_with_separators_stay_apart()
    {
        var options = new RedisRoutingOptions { KeyPrefix = Plans.Unique("guard") };
        using var a = new RedisAgreementStatistics(_server.Connect(), options);
        using var b = new RedisAgreementStatistics(_server.Connect(), options);
        var state = await a.AddAsync("A:1|%3A", 2, agreed: true, window: 10);
        Assert.True(await a.TryApplyAsync("A:1|%3A", 2, state, level: 3, baseline: double.NaN));

        Assert.True(Eventually(() => b.GetLevel("A:1|%3A", 2) == 3));
        Assert.Equal(0, b.GetLevel("A:1|::", 2));
        Assert.Equal(new AgreementState(0, 0, double.NaN, 1, 0), await b.AddAsync("A:1", 2, agreed: false, window: 10));
    }

    [RedisFact]
    public async Task Without_Redis_a_comparison_fails_clearly_and_the_levels_stay_as_last_known()
    {
        var options = new RedisRoutingOptions { KeyPrefix = Plans.Unique("guard") };
        using var a = new RedisAgreementStatistics(_server.Connect(), options);
        var state = await a.AddAsync("Support.Classify", 0, agreed: true, window: 10);
        Assert.True(await a.TryApplyAsync("Support.Classify", 0, state, level: 2, baseline: double.NaN));
        _server.Stop();

        await Assert.ThrowsAnyAsync<RedisException>(async () => await a.AddAsync("Support.Classify", 0, agreed: true, window: 10));
        Assert.Equal(2, a.GetLevel("Support.Classify", 0));
    }

    /// <summary>
    /// Two replicas configured with AddRoutingSdkRedis and the guardrail (every accepted answer shadowed, window 10). The last
    /// tier agrees with the small tier on its first 10 calls, then never: neither replica alone holds a full window (each sees
    /// half the comparisons), but the shared one fills and takes its baseline (1), and once only 4 of its last 10 agree (upper
    /// bound 0.648, below 0.7 of the baseline) the position closes on both.
    /// </summary>
    [RedisFact]
    public async Task A_shift_seen_by_the_replicas_together_tightens_every_replica()
    {
        var prefix = Plans.Unique("guard");
        var frontierCalls = 0;
        var frontier = new TestTier(() => Response(Interlocked.Increment(ref frontierCalls) <= 10 ? "Billing" : "Technical"));
        var a = Replica(prefix, frontier);
        var b = Replica(prefix, frontier);
        var plan = Plans.Classify();

        for (var i = 0; i < 16; i++)
        {
            Assert.Equal("Billing", await (i % 2 == 0 ? a : b).RouteAsync(plan, "Where is my invoice?", null, AnswerParsers.Text));
            Assert.True(Eventually(() => Volatile.Read(ref frontierCalls) == i + 1));
            if (i < 15) Assert.True(a.GetGuardrailLevel(plan.TaskName, 0) == 0 && b.GetGuardrailLevel(plan.TaskName, 0) == 0, $"tightened after {i + 1} calls");
        }

        Assert.True(Eventually(() => b.GetGuardrailLevel(plan.TaskName, 0) == 4), "the replica that made the 16th call was not tightened");
        Assert.True(Eventually(() => a.GetGuardrailLevel(plan.TaskName, 0) == 4), "the other replica did not learn the tightening");
        // Booked in the one ledger of the replicas (each writes its bookings within its flush interval), which shows the
        // level the next call at small was made at.
        Assert.True(Eventually(() => a.Ledger.Snapshot().Entries.Where(e => e.Tier == "frontier").Sum(e => e.ShadowCalls) == 16));
        Assert.Equal(0, Assert.Single(b.Ledger.Snapshot().Entries, e => e.Tier == "small").GuardrailLevel);
        await a.RouteAsync(plan, "Where is my invoice?", null, AnswerParsers.Text);   // small answers, is not accepted, mid is
        Assert.Equal(4, Assert.Single(a.Ledger.Snapshot().Entries, e => e.Tier == "small").GuardrailLevel);
    }

    private static ChatResponse Response(string text)
        => new(new ChatMessage(ChatRole.Assistant, text)) { Usage = new UsageDetails { InputTokenCount = 400, OutputTokenCount = 10 } };

    private TaskRouter Replica(string prefix, IChatClient frontier)
    {
        var services = new ServiceCollection();
        services.AddKeyedSingleton<IChatClient>("small", TestTier.Answering("Billing"));
        services.AddKeyedSingleton<IChatClient>("mid", TestTier.Answering("Billing"));
        services.AddKeyedSingleton("frontier", frontier);
        services.AddRoutingSdkRedis(_server.Configuration, o => o.KeyPrefix = prefix);
        services.AddRoutingSdk(o => o.Shadow = new ShadowOptions { Rate = 1, Window = 10, MinSamples = 10, MaxShareOfCost = 1, RequiredAgreement = 0.7 });
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetRequiredService<TaskRouter>();
    }
}
