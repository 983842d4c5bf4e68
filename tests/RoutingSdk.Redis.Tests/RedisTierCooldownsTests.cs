using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using static RoutingSdk.Redis.Tests.Waiting;

namespace RoutingSdk.Redis.Tests;

/// <summary>Rate-limit cooldowns shared through a real redis-server: one replica's 429 makes every replica skip the tier.</summary>
public sealed class RedisTierCooldownsTests : IDisposable
{
    private readonly RedisServer _server = RedisServer.StartNew();

    public void Dispose() => _server.Dispose();

    [RedisFact]
    public void A_cooldown_started_on_one_replica_reaches_running_replicas_and_those_that_start_later()
    {
        var options = new RedisRoutingOptions { KeyPrefix = Plans.Unique("cool") };
        using var a = new RedisTierCooldowns(_server.Connect(), options);
        using var b = new RedisTierCooldowns(_server.Connect(), options);
        var until = DateTimeOffset.UtcNow.AddSeconds(30);
        a.Start("small", until);

        Assert.True(Eventually(() => b.IsCoolingDown("small", out _)));
        Assert.True(b.IsCoolingDown("small", out var seen));
        Assert.Equal(until, seen);
        using var late = new RedisTierCooldowns(_server.Connect(), options);
        Assert.True(late.IsCoolingDown("small", out _));
        Assert.False(late.IsCoolingDown("mid", out _));
    }

    [RedisFact]
    public async Task A_429_on_one_router_makes_another_router_skip_the_tier_and_fall_back()
    {
        var options = new RedisRoutingOptions { KeyPrefix = Plans.Unique("cool") };
        var limited = new TestTier(() => throw new HttpRequestException("Too Many Requests", null, System.Net.HttpStatusCode.TooManyRequests));
        var mid = TestTier.Answering("Billing");
        var otherSmall = TestTier.Answering("Billing");
        using var first = new RedisTierCooldowns(_server.Connect(), options);
        using var second = new RedisTierCooldowns(_server.Connect(), options);
        var routerA = new TaskRouter(t => t == "small" ? limited : mid, new CostLedger(), new RoutingOptions { TierCooldowns = first });
        var ledgerB = new CostLedger();
        var routerB = new TaskRouter(t => t == "small" ? otherSmall : mid, ledgerB, new RoutingOptions { TierCooldowns = second });

        await routerA.RouteAsync(Plans.Classify(), "x", null, AnswerParsers.Text);
        Assert.True(Eventually(() => second.IsCoolingDown("small", out _)));
        await routerB.RouteAsync(Plans.Classify(), "x", null, AnswerParsers.Text);

        Assert.Equal(0, otherSmall.Calls);
        Assert.Equal(2, mid.Calls);
        Assert.Equal("mid", Assert.Single(ledgerB.Snapshot().Entries).Tier);
    }

    [RedisFact]
    public void Without_Redis_a_cooldown_stays_local()
    {
        var options = new RedisRoutingOptions { KeyPrefix = Plans.Unique("cool") };
        using var a = new RedisTierCooldowns(_server.Connect(), options);
        _server.Stop();
        a.Start("small", DateTimeOffset.UtcNow.AddSeconds(30));   // no exception, no wait
        Assert.True(a.IsCoolingDown("small", out _));
    }
}
