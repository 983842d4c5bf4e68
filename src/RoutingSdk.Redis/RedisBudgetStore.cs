using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace RoutingSdk.Redis;

/// <summary>
/// Budgets shared by every replica: an <see cref="IBudgetStore"/> whose reserve and settle are Lua scripts run atomically
/// by Redis, in integer pico-dollars. A reservation is a lease that this process renews while its call is in flight; when the
/// process dies its leases expire (<see cref="RedisRoutingOptions.LeaseDuration"/>) and return to the budget.
/// </summary>
/// <remarks>
/// Redis unreachable: a reservation (or a downgrade budget's read) fails closed with a <see cref="BudgetUnavailableException"/>
/// — no tier is called that the budget did not approve; a settle or charge that cannot be written is kept in memory and
/// written once Redis answers again (each is applied exactly once, however often it is retried).
/// </remarks>
public sealed class RedisBudgetStore : IBudgetStore, IDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly RedisRoutingOptions _options;
    private readonly ILogger _logger;
    private readonly long _leaseMs;
    private readonly ConcurrentDictionary<string, Lease> _live = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<PendingAmount> _pending = new();
    private readonly Timer _timer;
    private int _working;

    /// <summary>Creates the store on a connection.</summary>
    public RedisBudgetStore(IConnectionMultiplexer redis, RedisRoutingOptions options, ILogger<RedisBudgetStore>? logger = null)
    {
        _redis = redis ?? throw new ArgumentNullException(nameof(redis));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _keys = new RedisKeys(options.KeyPrefix);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _leaseMs = Math.Max(1000, (long)options.LeaseDuration.TotalMilliseconds);
        var every = TimeSpan.FromMilliseconds(Math.Max(100, Math.Min(_leaseMs / 3, (long)options.RetryInterval.TotalMilliseconds)));
        _timer = new Timer(_ => OnTimer(), null, every, every);   // OnTimer never throws
    }

    /// <summary>Settles and charges waiting for Redis (tests and telemetry).</summary>
    public int PendingCount => _pending.Count;

    /// <summary>Reservations of this process's calls in flight.</summary>
    public int LiveLeaseCount => _live.Count;

    /// <inheritdoc />
    public async ValueTask<BudgetDecision> TryReserveAsync(RoutingBudget budget, string scope, decimal amountUsd)
    {
        if (budget is null) throw new ArgumentNullException(nameof(budget));
        scope ??= string.Empty;
        var limit = PicoDollars.Limit(budget);
        var period = Period(budget);
        var amount = PicoDollars.FromUsd(amountUsd);
        var id = NewId();
        var member = id + "|" + amount.ToString(CultureInfo.InvariantCulture);
        var leases = _keys.Leases(budget.Name, scope, period);
        RedisResult[] result;
        try
        {
            result = (RedisResult[])(await _redis.GetDatabase().ScriptEvaluateAsync(RedisBudgetScripts.Reserve,
                new[] { _keys.Budget(budget.Name, scope, period), leases },
                new RedisValue[] { limit, TimeToLive(budget, period), amount, member, _leaseMs }).ConfigureAwait(false))!;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            RedisTelemetry.RecordUnavailable("reserve");
            _logger.LogWarning(ex, "Budget '{Budget}' could not reserve in Redis; the call is refused (fail closed).", budget.Name);
            throw new BudgetUnavailableException(budget.Name,
                $"Budget '{budget.Name}' is kept in Redis, which did not answer: the call is refused rather than made without the budget's approval. ({ex.GetType().Name}: {ex.Message})", ex);
        }

        var usage = new BudgetUsage(PicoDollars.ToUsd((long)result[1]), PicoDollars.ToUsd((long)result[2]));
        if ((long)result[0] != 1) return new BudgetDecision(null, usage);
        var lease = new Lease(id, leases, member, amount);
        _live[id] = lease;
        return new BudgetDecision(new BudgetReservation(budget, scope, amountUsd, period, lease), usage);
    }

    /// <inheritdoc />
    public ValueTask SettleAsync(BudgetReservation reservation, decimal actualUsd)
    {
        if (reservation?.Handle is not Lease lease) return default;
        _live.TryRemove(lease.Id, out _);
        return ApplyAsync(new PendingAmount(lease.Id, reservation.Budget, reservation.Scope, reservation.Period, lease.Member, lease.Amount, PicoDollars.FromUsd(actualUsd)));
    }

    /// <inheritdoc />
    public ValueTask ChargeAsync(RoutingBudget budget, string scope, decimal actualUsd)
    {
        if (budget is null || actualUsd <= 0m) return default;
        return ApplyAsync(new PendingAmount(NewId(), budget, scope ?? string.Empty, Period(budget), string.Empty, 0, PicoDollars.FromUsd(actualUsd)));
    }

    /// <inheritdoc />
    public async ValueTask<BudgetUsage> ReadAsync(RoutingBudget budget, string scope)
    {
        if (budget is null) throw new ArgumentNullException(nameof(budget));
        scope ??= string.Empty;
        var period = Period(budget);
        try
        {
            var result = (RedisResult[])(await _redis.GetDatabase().ScriptEvaluateAsync(RedisBudgetScripts.Read,
                new[] { _keys.Budget(budget.Name, scope, period), _keys.Leases(budget.Name, scope, period) },
                new RedisValue[] { PicoDollars.Limit(budget), TimeToLive(budget, period) }).ConfigureAwait(false))!;
            return new BudgetUsage(PicoDollars.ToUsd((long)result[0]), PicoDollars.ToUsd((long)result[1]));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            RedisTelemetry.RecordUnavailable("read");
            throw new BudgetUnavailableException(budget.Name, $"Budget '{budget.Name}' is kept in Redis, which did not answer. ({ex.GetType().Name}: {ex.Message})", ex);
        }
    }

    /// <summary>Writes what waits and renews the leases of calls in flight now (the timer does it on its own).</summary>
    public Task FlushAsync() => WorkAsync();

    /// <summary>Stops the timer that renews leases and retries (tests: a process paused past its leases).</summary>
    internal void StopRenewing() => _timer.Change(Timeout.Infinite, Timeout.Infinite);

    /// <summary>Stops renewing leases and retrying; what still waits is tried once more.</summary>
    public void Dispose()
    {
        _timer.Dispose();
        WorkAsync().GetAwaiter().GetResult();
    }

    /// <summary>The timer's work; never throws (an exception on a timer thread would end the process).</summary>
    private async void OnTimer()
    {
        try
        {
            await WorkAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Budget leases and waiting amounts could not be handled this time; the next tick tries again.");
        }
    }

    private async ValueTask ApplyAsync(PendingAmount amount)
    {
        if (!await TryWriteAsync(amount).ConfigureAwait(false))
        {
            _pending.Enqueue(amount);
            RedisTelemetry.RecordUnavailable("settle");
        }
    }

    private async Task<bool> TryWriteAsync(PendingAmount a)
    {
        var current = Period(a.Budget);
        var name = a.Budget.Name;
        try
        {
            var db = _redis.GetDatabase();
            if (a.Member.Length == 0)
            {
                await db.ScriptEvaluateAsync(RedisBudgetScripts.Charge,
                    new[] { _keys.Budget(name, a.Scope, current), _keys.Leases(name, a.Scope, current), _keys.Applied(a.Id) },
                    new RedisValue[] { a.Actual, PicoDollars.Limit(a.Budget), TimeToLive(a.Budget, current) }).ConfigureAwait(false);
            }
            else
            {
                var leases = _keys.Leases(name, a.Scope, a.Period);
                await db.ScriptEvaluateAsync(RedisBudgetScripts.Settle,
                    new[]
                    {
                        _keys.Budget(name, a.Scope, a.Period), leases, _keys.Budget(name, a.Scope, current), _keys.Leases(name, a.Scope, current),
                        leases.Append(":reclaimed"),
                    },
                    new RedisValue[] { a.Member, a.Reserved, a.Actual, PicoDollars.Limit(a.Budget), TimeToLive(a.Budget, current), a.Id }).ConfigureAwait(false);
            }

            return true;
        }
        catch (Exception ex)
        {
            // Any failure (Redis down, a connection being disposed): the amount is kept, never lost, never thrown at the caller.
            _logger.LogWarning(ex, "Budget '{Budget}': a settled amount could not be written to Redis; it is kept and written when Redis answers.", name);
            return false;
        }
    }

    private async Task WorkAsync()
    {
        if (Interlocked.Exchange(ref _working, 1) == 1) return;
        try
        {
            var count = _pending.Count;
            for (var i = 0; i < count && _pending.TryDequeue(out var amount); i++)
            {
                if (!await TryWriteAsync(amount).ConfigureAwait(false))
                {
                    _pending.Enqueue(amount);
                    break;
                }
            }

            await RenewAsync().ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _working, 0);
        }
    }

    private async Task RenewAsync()
    {
        if (_live.IsEmpty) return;
        try
        {
            var db = _redis.GetDatabase();
            foreach (var group in _live.Values.GroupBy(l => l.Leases))
            {
                var args = new List<RedisValue> { _leaseMs };
                args.AddRange(group.Select(l => (RedisValue)l.Member));
                await db.ScriptEvaluateAsync(RedisBudgetScripts.Renew, new[] { group.Key }, args.ToArray()).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            _logger.LogWarning(ex, "Budget leases could not be renewed in Redis; they expire unless renewed in time.");
        }
    }

    private long Period(RoutingBudget budget)
        => budget.Period is { Ticks: > 0 } p ? _options.TimeProvider.GetUtcNow().UtcTicks / p.Ticks : 0;

    /// <summary>
    /// How long a period's keys live (ms): to its end on this replica's clock, plus an hour (at least two lease durations),
    /// so that a call still in flight at the end of its period settles into keys that still exist. Relative, so that a
    /// difference between this clock and the server's cannot expire a period early. 0 (forever) for a budget without period.
    /// </summary>
    private RedisValue TimeToLive(RoutingBudget budget, long period)
    {
        if (budget.Period is not { Ticks: > 0 } p) return 0;
        var left = (period + 1) * p.Ticks - _options.TimeProvider.GetUtcNow().UtcTicks;
        return Math.Max(0, left) / TimeSpan.TicksPerMillisecond + Math.Max(2 * _leaseMs, 3_600_000);
    }

    private static string NewId() => Guid.NewGuid().ToString("N");

    private sealed class Lease(string id, RedisKey leases, string member, long amount)
    {
        public string Id { get; } = id;
        public RedisKey Leases { get; } = leases;
        public string Member { get; } = member;
        public long Amount { get; } = amount;
    }

    /// <summary>A settle or charge: applied once (its id marks it applied), kept until Redis has it.</summary>
    private sealed class PendingAmount(string id, RoutingBudget budget, string scope, long period, string member, long reserved, long actual)
    {
        public string Id { get; } = id;
        public RoutingBudget Budget { get; } = budget;
        public string Scope { get; } = scope;
        public long Period { get; } = period;
        public string Member { get; } = member;
        public long Reserved { get; } = reserved;
        public long Actual { get; } = actual;
    }
}
