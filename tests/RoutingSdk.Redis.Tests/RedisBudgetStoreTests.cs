using Microsoft.Extensions.Time.Testing;
using RoutingSdk.Planning;

namespace RoutingSdk.Redis.Tests;

/// <summary>The shared budget store against a real redis-server: atomic reserve and settle, exact sums, leases, periods, Redis down.</summary>
public sealed class RedisBudgetStoreTests : IDisposable
{
    private readonly RedisServer _server = RedisServer.StartNew(durable: true);
    private readonly List<IDisposable> _owned = new();

    public void Dispose()
    {
        foreach (var owned in _owned) owned.Dispose();
        _server.Dispose();
    }

    private RedisBudgetStore Store(out StackExchange.Redis.ConnectionMultiplexer connection, TimeSpan? lease = null, TimeProvider? time = null)
    {
        connection = _server.Connect();
        var store = new RedisBudgetStore(connection, new RedisRoutingOptions { LeaseDuration = lease ?? TimeSpan.FromSeconds(30), TimeProvider = time ?? TimeProvider.System });
        _owned.Add(store);
        _owned.Add(connection);
        return store;
    }

    private static async Task<BudgetReservation?> Reserve(IBudgetStore store, RoutingBudget budget, decimal amount)
        => (await store.TryReserveAsync(budget, "", amount)).Reservation;

    private static BudgetUsage Read(IBudgetStore store, RoutingBudget budget) => store.ReadAsync(budget, "").AsTask().GetAwaiter().GetResult();

    [RedisFact]
    public async Task Replicas_reserving_at_once_never_get_more_than_the_limit()
    {
        const decimal amount = 0.0001125m;
        var budget = new RoutingBudget(Plans.Unique("shared"), 100 * amount);
        var stores = new[] { Store(out var a), Store(out var b) };
        var granted = 0;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
        {
            var store = stores[worker % 2];
            for (var i = 0; i < 12; i++)
            {
                if (await Reserve(store, budget, amount) is not { } reservation) continue;
                Interlocked.Increment(ref granted);
                await store.SettleAsync(reservation, amount);
            }
        })));

        Assert.Equal(100, granted);
        Assert.Equal(new BudgetUsage(100 * amount, 0m), Read(stores[0], budget));
    }

    [RedisFact]
    public async Task Spent_is_the_exact_sum_of_the_settled_costs()
    {
        // Per-token prices of $0.15, $0.0375 and $0.6 per million: fractions of a micro-dollar, whole pico-dollars.
        var tier = new TierSpec("cheap", 0, 0.15m, 0.6m, 0.0375m);
        var store = Store(out var connection);
        var budget = new RoutingBudget(Plans.Unique("exact"), 1000m);
        var random = new Random(17);
        var expected = 0m;
        for (var i = 0; i < 300; i++)
        {
            var cost = tier.Cost(random.Next(1, 100_000), random.Next(0, 5_000), random.Next(0, 3_000));
            expected += cost;
            await store.SettleAsync((await Reserve(store, budget, 0.01m))!, cost);
        }

        Assert.Equal(new BudgetUsage(expected, 0m), Read(store, budget));
    }

    [RedisFact]
    public async Task A_settle_applied_twice_counts_once()
    {
        var store = Store(out var connection);
        var budget = new RoutingBudget(Plans.Unique("once"), 1m);
        var reservation = (await Reserve(store, budget, 0.1m))!;
        await store.SettleAsync(reservation, 0.05m);
        await store.SettleAsync(reservation, 0.05m);   // as a retry after a lost answer would
        Assert.Equal(new BudgetUsage(0.05m, 0m), Read(store, budget));
    }

    [RedisFact]
    public async Task A_dead_replicas_reservations_return_to_the_budget_when_their_leases_expire()
    {
        var budget = new RoutingBudget(Plans.Unique("leases"), 1m);
        // A lease of 4 seconds: long enough for the checks before its expiry on a loaded machine.
        var dying = Store(out var dyingConnection, lease: TimeSpan.FromSeconds(4));
        var reserved = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 3; i++) Assert.NotNull(await Reserve(dying, budget, 0.3m));
        dying.StopRenewing();
        dyingConnection.Dispose();   // the process is gone: nobody renews or settles its leases

        var survivor = Store(out var connection);
        Assert.Equal(new BudgetUsage(0m, 0.9m), Read(survivor, budget));
        Assert.Null(await Reserve(survivor, budget, 0.3m));
        Assert.True(reserved.Elapsed < TimeSpan.FromSeconds(4), "the checks before the leases' expiry took longer than the lease");
        // Returned at the first read after the expiry (polled: the server's clock decides, not this one).
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!Read(survivor, budget).Equals(new BudgetUsage(0m, 0m)) && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.True(reserved.Elapsed >= TimeSpan.FromSeconds(3.9), "the leases returned before they expired");
        Assert.Equal(new BudgetUsage(0m, 0m), Read(survivor, budget));
        Assert.NotNull(await Reserve(survivor, budget, 0.9m));
    }

    [RedisLongFact]
    public async Task A_live_replica_renews_its_leases_and_a_late_settle_of_an_expired_one_charges_only_the_cost()
    {
        var budget = new RoutingBudget(Plans.Unique("renew"), 1m);
        // A lease of 3 seconds, renewed every second, held for more than two leases: a renewal may come late on a loaded
        // machine (a 1-second lease once expired under load 9) without the reservation expiring.
        var live = Store(out var liveConnection, lease: TimeSpan.FromSeconds(3));
        var other = Store(out var otherConnection);
        var held = (await Reserve(live, budget, 0.4m))!;
        await Task.Delay(TimeSpan.FromSeconds(7));
        Assert.Equal(new BudgetUsage(0m, 0.4m), Read(other, budget));   // renewed, not expired
        await live.SettleAsync(held, 0.25m);
        Assert.Equal(new BudgetUsage(0.25m, 0m), Read(other, budget));

        // A lease that expired (its process paused past the lease) settles later: only its cost is charged.
        live.StopRenewing();
        var paused = Store(out var pausedConnection, lease: TimeSpan.FromSeconds(1));
        var late = (await Reserve(paused, budget, 0.3m))!;
        paused.StopRenewing();
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(new BudgetUsage(0.25m, 0m), Read(other, budget));
        await paused.SettleAsync(late, 0.1m);
        Assert.Equal(new BudgetUsage(0.35m, 0m), Read(other, budget));
        await paused.SettleAsync(late, 0.1m);   // retried after a lost reply: applied once
        Assert.Equal(new BudgetUsage(0.35m, 0m), Read(other, budget));
    }

    [RedisFact]
    public async Task Periods_start_from_zero_and_their_keys_expire()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
        var store = Store(out var connection, time: time);
        var budget = new RoutingBudget(Plans.Unique("hourly"), 1m) { Period = TimeSpan.FromHours(1) };
        await store.SettleAsync((await Reserve(store, budget, 0.6m))!, 0.6m);
        var refused = await store.TryReserveAsync(budget, "", 0.6m);
        Assert.Null(refused.Reservation);
        Assert.Equal(0.6m, refused.Usage.SpentUsd);

        time.Advance(TimeSpan.FromHours(1));
        var fresh = await store.TryReserveAsync(budget, "", 0.6m);
        Assert.NotNull(fresh.Reservation);
        Assert.Equal(0m, fresh.Usage.SpentUsd);
        var keys = _server.Connect();
        var ttl = keys.GetDatabase().KeyTimeToLive(new RedisKeys("routingsdk").Budget(budget.Name, "", time.GetUtcNow().UtcTicks / TimeSpan.FromHours(1).Ticks));
        Assert.NotNull(ttl);
        keys.Dispose();
    }

    [RedisFact]
    public async Task Redis_down_refuses_reservations_and_keeps_settles_until_it_is_back()
    {
        var store = Store(out var connection);
        var budget = new RoutingBudget(Plans.Unique("down"), 1m);
        var reservation = (await Reserve(store, budget, 0.2m))!;
        _server.Stop();

        var refused = await Assert.ThrowsAsync<BudgetUnavailableException>(() => Reserve(store, budget, 0.2m));
        Assert.Equal(budget.Name, refused.BudgetName);
        await store.SettleAsync(reservation, 0.15m);   // never throws: kept
        Assert.Equal(1, store.PendingCount);

        _server.Start();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (store.PendingCount > 0 && DateTime.UtcNow < deadline)
        {
            await store.FlushAsync();
            await Task.Delay(100);
        }

        Assert.Equal(0, store.PendingCount);
        Assert.Equal(new BudgetUsage(0.15m, 0m), Read(store, budget));
    }
}
