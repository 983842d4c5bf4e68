using Microsoft.Extensions.DependencyInjection;
using RoutingSdk.Planning;
using StackExchange.Redis;
using static RoutingSdk.Redis.Tests.Waiting;

namespace RoutingSdk.Redis.Tests;

/// <summary>
/// Redis at its worst, against a real redis-server that the tests stop, restart and pause: no booking lost or counted twice,
/// nothing silently wrong, clear errors for a configuration that cannot work.
/// </summary>
public sealed class RedisHostileTests : IDisposable
{
    private static readonly TierSpec Small = new("small", 0, 0.15m, 0.6m);
    private static readonly TierSpec Frontier = new("frontier", 2, 15m, 75m);
    private readonly List<IDisposable> _owned = new();
    private readonly RedisServer _server = RedisServer.StartNew();

    public void Dispose()
    {
        foreach (var owned in _owned) owned.Dispose();
        _server.Dispose();
    }

    /// <summary>A ledger whose timer never flushes during the test: only the test's own flushes, snapshots and disposal write.</summary>
    private RedisCostLedger QuietLedger(string prefix, out ConnectionMultiplexer connection, bool owned = true)
    {
        connection = _server.Connect();
        var ledger = new RedisCostLedger(connection, new RedisRoutingOptions { KeyPrefix = prefix, LedgerFlushInterval = TimeSpan.FromHours(1) });
        if (owned) _owned.Add(ledger);   // before its connection: disposed first
        _owned.Add(connection);
        return ledger;
    }

    private static bool Answers(IConnectionMultiplexer connection)
    {
        try
        {
            connection.GetDatabase().Ping();
            return true;
        }
        catch (RedisException)
        {
            return false;
        }
    }

    /// <summary>A connection as AddRoutingSdkRedis makes one, that gives up on a reply after 300 ms.</summary>
    private ConnectionMultiplexer Impatient()
    {
        var options = ConfigurationOptions.Parse(_server.Configuration);
        options.SyncTimeout = options.AsyncTimeout = 300;
        options.ReconnectRetryPolicy = new LinearRetry(1000);
        options.BacklogPolicy = BacklogPolicy.FailFast;
        var connection = ConnectionMultiplexer.Connect(options);
        _owned.Add(connection);
        return connection;
    }

    /// <summary>
    /// Holds every write (scripts included) for <paramref name="milliseconds"/>: a command sent meanwhile is run when the pause
    /// ends, after its client has given up on the reply — a write applied whose answer was lost.
    /// </summary>
    private void PauseWrites(int milliseconds)
    {
        using var admin = ConnectionMultiplexer.Connect(_server.Configuration + ",allowAdmin=true");
        admin.GetDatabase().Execute("CLIENT", "PAUSE", milliseconds, "WRITE");
    }

    private static CostRecord Booking(long input) => new("T", Small, Frontier, input, 10, 0, CallOutcome.Accepted);

    /// <summary>
    /// A flush fails while Redis is down (its batch waits), more calls are booked, Redis comes back: the first snapshot must
    /// hold both, not only the batch that waited.
    /// </summary>
    [RedisFact]
    public async Task Bookings_made_after_a_failed_flush_are_in_the_first_snapshot_once_Redis_is_back()
    {
        var ledger = QuietLedger(Plans.Unique("ledger"), out var connection);
        _server.Stop();
        ledger.Record(Booking(1_000));
        Assert.False(await ledger.FlushAsync());
        ledger.Record(Booking(2_000));
        _server.Start();
        Assert.True(Eventually(() => Answers(connection)));

        var snapshot = ledger.Snapshot();

        Assert.Equal(Booking(1_000).Usd + Booking(2_000).Usd, snapshot.TotalUsd);
        Assert.Equal(2, Assert.Single(snapshot.Entries).Calls);
        Assert.Equal(0, ledger.UnwrittenCalls);
    }

    /// <summary>The same at shutdown: disposing the ledger writes the batch that waited and what was booked after it.</summary>
    [RedisFact]
    public async Task Disposal_after_a_failed_flush_writes_every_booking()
    {
        var prefix = Plans.Unique("ledger");
        var ledger = QuietLedger(prefix, out var connection, owned: false);
        _server.Stop();
        ledger.Record(Booking(1_000));
        Assert.False(await ledger.FlushAsync());
        ledger.Record(Booking(2_000));
        _server.Start();
        Assert.True(Eventually(() => Answers(connection)));

        ledger.Dispose();

        var reader = QuietLedger(prefix, out _);
        Assert.Equal(2, Assert.Single(reader.Snapshot().Entries).Calls);
    }

    /// <summary>
    /// Tier names often carry the provider ("openai:gpt-4o-mini"): a replica that starts (or reconnects) while such a tier
    /// cools down must read that cooldown under the tier's own name.
    /// </summary>
    [RedisFact]
    public void A_replica_that_starts_later_reads_the_cooldown_of_a_tier_named_with_a_colon()
    {
        var options = new RedisRoutingOptions { KeyPrefix = Plans.Unique("cool") };
        using var first = new RedisTierCooldowns(_server.Connect(), options);
        first.Start("openai:gpt-4o-mini", DateTimeOffset.UtcNow.AddSeconds(30));
        first.Start("100%:tier", DateTimeOffset.UtcNow.AddSeconds(30));
        using var probe = _server.Connect();
        var server = probe.GetServer(probe.GetEndPoints()[0]);
        Assert.True(Eventually(() => server.Keys(pattern: options.KeyPrefix + ":cooldown:*").Count() == 2));   // written (fire and forget)

        using var late = new RedisTierCooldowns(_server.Connect(), options);

        Assert.True(late.IsCoolingDown("openai:gpt-4o-mini", out _));
        Assert.True(late.IsCoolingDown("100%:tier", out _));
    }

    /// <summary>The key prefix is the operator's text: glob characters in it must not keep a starting replica from the cooldowns.</summary>
    [RedisFact]
    public void A_replica_that_starts_later_reads_the_cooldowns_under_a_prefix_with_glob_characters()
    {
        var options = new RedisRoutingOptions { KeyPrefix = Plans.Unique("svc[eu]*?") };
        using var first = new RedisTierCooldowns(_server.Connect(), options);
        first.Start("small", DateTimeOffset.UtcNow.AddSeconds(30));
        using var probe = _server.Connect();
        Assert.True(Eventually(() => probe.GetDatabase().KeyExists(options.KeyPrefix + ":cooldown:small")));   // written (fire and forget)

        using var late = new RedisTierCooldowns(_server.Connect(), options);

        Assert.True(late.IsCoolingDown("small", out _));
    }

    /// <summary>
    /// A configuration string that cannot work (empty, an unknown keyword, no endpoint) is refused where the application
    /// registers it, not at the first call that resolves the connection.
    /// </summary>
    [Theory]
    [InlineData("")]
    [InlineData("127.0.0.1:6379,password=hunter2,no-such-option=1")]
    [InlineData(",abortConnect=false")]
    public void A_configuration_that_cannot_work_is_refused_at_registration(string configuration)
    {
        var services = new ServiceCollection();

        var error = Assert.ThrowsAny<ArgumentException>(() => services.AddRoutingSdkRedis(configuration));

        Assert.Equal("configuration", error.ParamName);
        Assert.DoesNotContain("hunter2", error.ToString());   // the string may hold a password: never repeated
    }

    /// <summary>
    /// A Redis that requires a password, given none or a wrong one: budgeted calls fail closed with the reason (the server's
    /// NOAUTH/WRONGPASS) instead of a bare "did not answer"; with the password they are approved.
    /// </summary>
    [RedisFact]
    public async Task A_Redis_that_requires_a_password_refuses_budgeted_calls_with_the_reason_until_given_it()
    {
        using var guarded = RedisServer.StartNew(password: "s3cret");
        var budget = new RoutingBudget(Plans.Unique("auth"), 1m);
        foreach (var configuration in new[] { guarded.Configuration, guarded.Configuration + ",password=wrong" })
        {
            using var provider = new ServiceCollection().AddRoutingSdkRedis(configuration).BuildServiceProvider();
            var store = provider.GetRequiredService<IBudgetStore>();
            var refused = await Assert.ThrowsAsync<BudgetUnavailableException>(async () => await store.TryReserveAsync(budget, "", 0.1m));
            Assert.Matches("NOAUTH|WRONGPASS|auth", refused.Message);
        }

        using (var provider = new ServiceCollection().AddRoutingSdkRedis(guarded.Configuration + ",password=s3cret").BuildServiceProvider())
        {
            var store = provider.GetRequiredService<IBudgetStore>();
            Assert.NotNull((await store.TryReserveAsync(budget, "", 0.1m)).Reservation);
        }
    }

    /// <summary>
    /// A ledger batch whose reply is lost (Redis runs it after the client gave up) is sent again with the same id and
    /// counted once.
    /// </summary>
    [RedisLongFact]
    public async Task A_ledger_batch_applied_but_unanswered_is_counted_once_when_retried()
    {
        var prefix = Plans.Unique("ledger");
        var ledger = new RedisCostLedger(Impatient(), new RedisRoutingOptions { KeyPrefix = prefix, LedgerFlushInterval = TimeSpan.FromHours(1) });
        _owned.Insert(0, ledger);
        ledger.Record(Booking(1_000));
        PauseWrites(1_500);
        Assert.False(await ledger.FlushAsync());   // timed out; the server runs it when the pause ends

        Assert.True(Eventually(() => ledger.FlushAsync().GetAwaiter().GetResult()));

        var reader = QuietLedger(prefix, out _);
        var entry = Assert.Single(reader.Snapshot().Entries);
        Assert.Equal(1, entry.Calls);
        Assert.Equal(Booking(1_000).Usd, entry.Usd);
    }

    /// <summary>The same for a budget's settle: applied by Redis after the client gave up, retried, charged once.</summary>
    [RedisLongFact]
    public async Task A_settle_applied_but_unanswered_is_charged_once_when_retried()
    {
        var store = new RedisBudgetStore(Impatient(), new RedisRoutingOptions { KeyPrefix = Plans.Unique("budget") });
        _owned.Insert(0, store);
        var budget = new RoutingBudget(Plans.Unique("b"), 1m);
        var reservation = (await store.TryReserveAsync(budget, "", 0.25m)).Reservation!;
        PauseWrites(1_500);
        await store.SettleAsync(reservation, 0.125m);   // never throws: kept and retried
        Assert.Equal(1, store.PendingCount);

        Assert.True(Eventually(() =>
        {
            store.FlushAsync().GetAwaiter().GetResult();
            return store.PendingCount == 0;
        }));

        Assert.Equal(new BudgetUsage(0.125m, 0m), await store.ReadAsync(budget, ""));
    }

    /// <summary>
    /// Redis restarted without its data (no persistence, a failover to a replica that lagged): a call reserved before settles
    /// after. Its lease is gone with the rest, but its cost is still charged to the budget Redis now holds, not dropped as if
    /// the settle had been applied before.
    /// </summary>
    [RedisFact]
    public async Task A_settle_after_Redis_lost_its_data_still_charges_the_cost()
    {
        var connection = _server.Connect();
        _owned.Add(connection);
        var store = new RedisBudgetStore(connection, new RedisRoutingOptions { KeyPrefix = Plans.Unique("budget") });
        _owned.Insert(0, store);
        var budget = new RoutingBudget(Plans.Unique("b"), 1m) { Period = TimeSpan.FromDays(1) };
        var reservation = (await store.TryReserveAsync(budget, "", 0.25m)).Reservation!;
        _server.Stop();
        _server.Start();   // without persistence: empty
        Assert.True(Eventually(() => Answers(connection)));

        await store.SettleAsync(reservation, 0.125m);

        Assert.Equal(0, store.PendingCount);
        Assert.Equal(new BudgetUsage(0.125m, 0m), await store.ReadAsync(budget, ""));
    }

    /// <summary>
    /// Redis goes away for half a lease and comes back with its data: the renewals that failed meanwhile resume, so the
    /// reservation of a call still in flight is renewed past the expiry it had when Redis came back, and is not returned.
    /// </summary>
    [RedisLongFact]
    public async Task Leases_of_calls_in_flight_are_renewed_again_once_Redis_is_back()
    {
        using var durable = RedisServer.StartNew(durable: true);
        using var connection = durable.Connect();
        var prefix = Plans.Unique("budget");
        using var store = new RedisBudgetStore(connection, new RedisRoutingOptions { KeyPrefix = prefix, LeaseDuration = TimeSpan.FromSeconds(2) });
        var budget = new RoutingBudget(Plans.Unique("b"), 1m);
        Assert.NotNull((await store.TryReserveAsync(budget, "", 0.25m)).Reservation);
        durable.Stop();
        Thread.Sleep(1_000);
        durable.Start();
        Assert.True(Eventually(() => Answers(connection)));
        using var reader = durable.Connect();
        var leases = new RedisKeys(prefix).Leases(budget.Name, "", 0);
        var atReturn = reader.GetDatabase().SortedSetRangeByRankWithScores(leases).Single().Score;

        Assert.True(Eventually(() => reader.GetDatabase().SortedSetRangeByRankWithScores(leases).Single().Score > atReturn));
        using var other = new RedisBudgetStore(reader, new RedisRoutingOptions { KeyPrefix = prefix });
        Assert.Equal(new BudgetUsage(0m, 0.25m), await other.ReadAsync(budget, ""));
    }

    /// <summary>
    /// Redis restarts under a running replica: the replica learns the cooldowns started while it was cut off (read when its
    /// connection is back) and hears the announcements made after (its subscription is restored).
    /// </summary>
    [RedisLongFact]
    public void A_replica_cut_off_by_a_restart_learns_the_cooldowns_it_missed_and_hears_later_ones()
    {
        using var durable = RedisServer.StartNew(durable: true);
        var options = new RedisRoutingOptions { KeyPrefix = Plans.Unique("cool") };
        using var connection = durable.Connect();
        using var replica = new RedisTierCooldowns(connection, options);
        durable.Stop();
        durable.Start();
        using var otherConnection = durable.Connect();
        using var other = new RedisTierCooldowns(otherConnection, options);
        other.Start("small", DateTimeOffset.UtcNow.AddSeconds(30));   // possibly before the replica's subscription is back

        Assert.True(Eventually(() => replica.IsCoolingDown("small", out _)));

        var later = DateTimeOffset.UtcNow.AddSeconds(30);
        Assert.True(Eventually(() =>
        {
            // Announced only (no key): the subscription alone can bring it.
            otherConnection.GetSubscriber().Publish(RedisChannel.Literal(options.KeyPrefix + ":cooldowns"), "mid|" + later.UtcTicks);
            return replica.IsCoolingDown("mid", out _);
        }));
    }

    /// <summary>
    /// Scopes (KeyedBy: a tenant, a user) are caller text: empty, with the key separator, with the escape character, with
    /// braces (a Redis Cluster hash tag), very long, non-ASCII. Each budget and scope keeps its own sums, including a budget
    /// and scope whose names join to the same text as another pair's.
    /// </summary>
    [RedisFact]
    public async Task Budgets_keyed_by_odd_scopes_never_share_their_sums()
    {
        var connection = _server.Connect();
        _owned.Add(connection);
        var store = new RedisBudgetStore(connection, new RedisRoutingOptions { KeyPrefix = Plans.Unique("scopes") });
        _owned.Insert(0, store);
        var name = Plans.Unique("tenant");
        var pairs = new (string Budget, string Scope)[]
        {
            (name, ""), (name, "a"), (name, "a:b"), (name, "a%3Ab"), (name, "a%253Ab"), (name, ":a"), (name, "a:"), (name, "{a}"), (name, "{a}:b"),
            (name, new string('x', 10_000)), (name, "Zürich 東京"), (name + ":a", "b"), (name, "a:b:leases"),
        };
        foreach (var (budget, scope) in pairs) Assert.NotNull((await store.TryReserveAsync(new RoutingBudget(budget, 1m), scope, 0.25m)).Reservation);

        foreach (var (budget, scope) in pairs) Assert.Equal(new BudgetUsage(0m, 0.25m), await store.ReadAsync(new RoutingBudget(budget, 1m), scope));
    }
}
