using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RoutingSdk.Planning;
using StackExchange.Redis;

namespace RoutingSdk.Redis;

/// <summary>
/// The cluster-wide ledger: an <see cref="ICostLedger"/> whose entries every replica adds to in Redis. A booking is added to
/// local integer counters at once; every <see cref="RedisRoutingOptions.LedgerFlushInterval"/> (and before a
/// <see cref="Snapshot"/>) the counters gathered since the last write go to Redis in one Lua script, atomically and once
/// (a batch retried after a lost answer is recognised by its id). <see cref="Snapshot"/> reads every replica's entries.
/// </summary>
/// <remarks>
/// What a crash can lose: the bookings of the last flush interval not yet written (and, while Redis was unreachable, those
/// waiting for it). Budgets lose nothing: they are settled in Redis when each call ends (<see cref="RedisBudgetStore"/>).
/// </remarks>
public sealed class RedisCostLedger : ICostLedger, IDisposable
{
    private const string FlushScript = """
        if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', 86400) then return 0 end
        local counters = tonumber(ARGV[1])
        local metas = tonumber(ARGV[2])
        local pos = 3 + counters + metas
        for k = 3, #KEYS do
          local key = KEYS[k]
          redis.call('SADD', KEYS[2], key)
          for m = 1, metas do
            redis.call('HSET', key, ARGV[2 + counters + m], ARGV[pos])
            pos = pos + 1
          end
          for c = 1, counters do
            if ARGV[pos] ~= '0' then redis.call('HINCRBY', key, ARGV[2 + c], ARGV[pos]) end
            pos = pos + 1
          end
        end
        return 1
        """;

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly SemaphoreSlim _flushGate = new(1, 1);
    private readonly Timer _timer;
    private Dictionary<(string Task, string Tier, string Prices), Pending> _buffer = new();
    private Batch? _waiting;   // a batch written without a known outcome, retried (same id) before anything newer

    /// <summary>Creates the ledger on a connection.</summary>
    public RedisCostLedger(IConnectionMultiplexer redis, RedisRoutingOptions options, ILogger<RedisCostLedger>? logger = null)
    {
        _redis = redis ?? throw new ArgumentNullException(nameof(redis));
        if (options is null) throw new ArgumentNullException(nameof(options));
        _keys = new RedisKeys(options.KeyPrefix);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var every = options.LedgerFlushInterval > TimeSpan.Zero ? options.LedgerFlushInterval : TimeSpan.FromMilliseconds(200);
        _timer = new Timer(_ => OnTimer(), null, every, every);
    }

    /// <summary>Bookings (calls) not yet written to Redis.</summary>
    public long UnwrittenCalls
    {
        get
        {
            long calls = 0;
            lock (_gate)
            {
                foreach (var pending in _buffer.Values) calls += pending.Counts[LedgerCounters.Calls];
            }

            if (Volatile.Read(ref _waiting) is { } batch)
            {
                foreach (var pending in batch.Entries) calls += pending.Counts[LedgerCounters.Calls];
            }

            return calls;
        }
    }

    /// <inheritdoc />
    public void Record(in CostRecord record)
    {
        var key = (record.TaskName, record.Tier.Name, LedgerPrices.Fingerprint(record.Tier, record.Reference));
        var counters = LedgerCounters.All;
        lock (_gate)
        {
            if (!_buffer.TryGetValue(key, out var pending)) _buffer[key] = pending = new Pending(record.TaskName, record.Tier, record.Reference, key.Item3);
            for (var c = 0; c < counters.Length; c++) pending.Counts[c] += counters[c].Of(record);
            pending.GuardrailLevel = record.GuardrailLevel;
        }
    }

    /// <summary>
    /// Every replica's bookings: writes this process's first, then reads the entries from Redis and prices them, exactly.
    /// </summary>
    /// <exception cref="InvalidOperationException">Redis is unreachable (the bookings stay here and are written when it answers).</exception>
    public CostSnapshot Snapshot()
    {
        var (written, error) = FlushCoreAsync(wait: true).GetAwaiter().GetResult();
        if (!written)
            throw new InvalidOperationException($"The shared ledger is in Redis, which did not answer; {UnwrittenCalls} bookings of this process wait and are written when it does.", error);
        try
        {
            return RedisLedgerReader.Read(_redis.GetDatabase(), _keys);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or AggregateException)
        {
            throw new InvalidOperationException("The shared ledger is in Redis, which did not answer.", ex);
        }
    }

    /// <summary>Writes the bookings gathered so far; false (they wait) when Redis did not answer.</summary>
    public async Task<bool> FlushAsync() => (await FlushCoreAsync(wait: true).ConfigureAwait(false)).Written;

    /// <summary>Stops the timer and writes what is left (once; what Redis does not take is lost with the process).</summary>
    public void Dispose()
    {
        _timer.Dispose();
        try
        {
            FlushCoreAsync(wait: true).GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "The ledger's last flush failed.");
        }
    }

    /// <summary>The timer's flush; never throws (an exception on a timer thread would end the process).</summary>
    private async void OnTimer()
    {
        try
        {
            await FlushCoreAsync(wait: false).ConfigureAwait(false);   // a flush under way: this tick is skipped
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "The ledger's flush failed; its bookings wait for the next one.");
        }
    }

    /// <summary>
    /// Writes the batch that waits (same id: applied once), then the bookings gathered since; one flush at a time
    /// (<paramref name="wait"/> false: none when another is under way). Written: everything booked before the call is in Redis.
    /// </summary>
    private async Task<(bool Written, Exception? Error)> FlushCoreAsync(bool wait)
    {
        if (!await _flushGate.WaitAsync(wait ? Timeout.Infinite : 0).ConfigureAwait(false)) return (false, null);
        try
        {
            // Two rounds: a batch that waited from a failed flush is written first, and the bookings gathered while it waited
            // must follow in the same flush, or a snapshot (or the last flush at disposal) would leave them out.
            for (var round = 0; round < 2; round++)
            {
                if (_waiting is null)
                {
                    Dictionary<(string, string, string), Pending> taken;
                    lock (_gate)
                    {
                        if (_buffer.Count == 0) return (true, null);
                        taken = _buffer;
                        _buffer = new Dictionary<(string, string, string), Pending>();
                    }

                    Volatile.Write(ref _waiting, new Batch(Guid.NewGuid().ToString("N"), new List<Pending>(taken.Values)));
                }

                try
                {
                    await WriteAsync(_waiting!).ConfigureAwait(false);
                    Volatile.Write(ref _waiting, null);
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
                {
                    RedisTelemetry.RecordUnavailable("ledger");
                    _logger.LogWarning(ex, "The ledger could not write to Redis; its bookings wait and are written when Redis answers.");
                    return (false, ex);
                }
            }

            return (true, null);
        }
        finally
        {
            _flushGate.Release();
        }
    }

    private Task WriteAsync(Batch batch)
    {
        var counters = LedgerCounters.All;
        var metas = LedgerPrices.FieldsWithLevel;
        var keys = new List<RedisKey>(batch.Entries.Count + 2) { _keys.Applied("ledger-" + batch.Id), _keys.LedgerIndex };
        var args = new List<RedisValue>(2 + counters.Length + metas.Length + batch.Entries.Count * (counters.Length + metas.Length)) { counters.Length, metas.Length };
        foreach (var counter in counters) args.Add(counter.Field);
        foreach (var meta in metas) args.Add(meta);
        foreach (var entry in batch.Entries)
        {
            keys.Add(_keys.LedgerEntry(entry.Task, entry.Tier.Name, entry.Fingerprint));
            foreach (var value in LedgerPrices.Values(entry.Task, entry.Tier, entry.Reference)) args.Add(value);
            args.Add(entry.GuardrailLevel);   // the latest call's: the last replica to write sets it
            foreach (var count in entry.Counts) args.Add(count);
        }

        return _redis.GetDatabase().ScriptEvaluateAsync(FlushScript, keys.ToArray(), args.ToArray());
    }

    private sealed class Pending(string task, TierSpec tier, TierSpec reference, string fingerprint)
    {
        public string Task { get; } = task;
        public TierSpec Tier { get; } = tier;
        public TierSpec Reference { get; } = reference;
        public string Fingerprint { get; } = fingerprint;
        public long[] Counts { get; } = new long[LedgerCounters.All.Length];
        public int GuardrailLevel { get; set; }
    }

    private sealed class Batch(string id, List<Pending> entries)
    {
        public string Id { get; } = id;
        public List<Pending> Entries { get; } = entries;
    }
}
