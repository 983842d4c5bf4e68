using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace RoutingSdk.Redis.Tests;

/// <summary>Two replicas (two service providers, two connections) of one service configured with AddRoutingSdkRedis, against a real redis-server.</summary>
public sealed class RedisRoutingTests : IDisposable
{
    private readonly RedisServer _server = RedisServer.StartNew();
    private readonly List<ServiceProvider> _providers = new();

    public void Dispose()
    {
        foreach (var provider in _providers) provider.Dispose();
        _server.Dispose();
    }

    private (TaskRouter Router, TestTier Small) Replica(string prefix, params RoutingBudget[] budgets)
    {
        var small = TestTier.Answering("Billing");
        var services = new ServiceCollection();
        services.AddKeyedSingleton<IChatClient>("small", small);
        services.AddRoutingSdkRedis(_server.Configuration, o => o.KeyPrefix = prefix);
        foreach (var budget in budgets) services.AddRoutingBudget(budget);
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return (provider.GetRequiredService<TaskRouter>(), small);
    }

    [RedisFact]
    public async Task Replicas_share_one_budget_and_one_ledger()
    {
        var prefix = Plans.Unique("replicas");
        // Ten small calls fit, across both replicas together (each budget object is the replica's own copy of the configuration).
        var (a, smallA) = Replica(prefix, new RoutingBudget("daily", 10 * Plans.SmallCall) { Period = TimeSpan.FromDays(1) });
        var (b, smallB) = Replica(prefix, new RoutingBudget("daily", 10 * Plans.SmallCall) { Period = TimeSpan.FromDays(1) });
        var plan = Plans.Classify(chain: "small");
        var refused = 0;
        for (var i = 0; i < 16; i++)
        {
            try
            {
                await (i % 2 == 0 ? a : b).RouteAsync(plan, Plans.Prompt, null, AnswerParsers.Text);
            }
            catch (BudgetExceededException)
            {
                refused++;
            }
        }

        Assert.Equal(10, smallA.Calls + smallB.Calls);
        Assert.Equal(6, refused);
        Assert.True(await Assert.IsType<RedisCostLedger>(a.Ledger).FlushAsync());   // as a's flush interval would
        var snapshot = b.Ledger.Snapshot();   // b's view includes a's written bookings
        Assert.Equal(10 * Plans.SmallCall, snapshot.TotalUsd);
        Assert.Equal(10, Assert.Single(snapshot.Entries).Calls);
    }

    [RedisFact]
    public async Task A_tenant_budget_holds_across_replicas()
    {
        var prefix = Plans.Unique("tenants");
        RoutingBudget PerTenant() => new("per-tenant", 2 * Plans.SmallCall) { KeyedBy = RoutingContext.TenantKey };
        var (a, _) = Replica(prefix, PerTenant());
        var (b, _) = Replica(prefix, PerTenant());
        var plan = Plans.Classify(chain: "small");
        using (RoutingContext.Begin(tenant: "acme"))
        {
            await a.RouteAsync(plan, Plans.Prompt, null, AnswerParsers.Text);
            await b.RouteAsync(plan, Plans.Prompt, null, AnswerParsers.Text);
            var ex = await Assert.ThrowsAsync<BudgetExceededException>(() => a.RouteAsync(plan, Plans.Prompt, null, AnswerParsers.Text));
            Assert.Equal("acme", ex.Scope);
        }

        using (RoutingContext.Begin(tenant: "globex")) await b.RouteAsync(plan, Plans.Prompt, null, AnswerParsers.Text);
    }

    [RedisFact]
    public async Task Redis_down_fails_a_budgeted_call_closed_and_the_tier_is_not_called()
    {
        var (router, small) = Replica(Plans.Unique("closed"), new RoutingBudget("daily", 1m));
        var plan = Plans.Classify(chain: "small");
        await router.RouteAsync(plan, Plans.Prompt, null, AnswerParsers.Text);
        _server.Stop();

        var ex = await Assert.ThrowsAsync<BudgetUnavailableException>(() => router.RouteAsync(plan, Plans.Prompt, null, AnswerParsers.Text));
        Assert.Equal("daily", ex.BudgetName);
        Assert.Equal(1, small.Calls);
    }

    [RedisFact]
    public async Task Without_a_budget_calls_go_on_while_Redis_is_down_and_their_bookings_arrive_when_it_is_back()
    {
        var prefix = Plans.Unique("open");
        var (router, small) = Replica(prefix);
        _server.Stop();
        for (var i = 0; i < 5; i++) await router.RouteAsync(Plans.Classify(chain: "small"), Plans.Prompt, null, AnswerParsers.Text);
        Assert.Equal(5, small.Calls);

        _server.Start();
        var ledger = (RedisCostLedger)router.Ledger;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await ledger.FlushAsync() && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Equal(5 * Plans.SmallCall, ledger.Snapshot().TotalUsd);
    }
}
