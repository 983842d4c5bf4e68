using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace RoutingSdk.Redis;

/// <summary>
/// The shadow guardrail's statistics shared by every replica: each replica's shadow comparisons go into one window per task
/// and chain position in Redis, so the estimate is made of the whole service's traffic, and a position tightened by one
/// replica is tightened on all. The router reads levels from memory: this replica's copy, kept current by the announcements
/// of each change of level, by the state every comparison returns, and read whole when the replica starts or reconnects.
/// </summary>
/// <remarks>
/// Comparisons and decisions need Redis: while it does not answer, a comparison is lost (the shadow call counts as failed;
/// its cost is booked as any call's) and levels stay as last known. The statistics do not expire: a deployment that changes
/// the calibration starts afresh with a new <see cref="RedisRoutingOptions.KeyPrefix"/> or by deleting the
/// <c>{prefix}:guard*</c> keys.
/// </remarks>
public sealed class RedisAgreementStatistics : IAgreementStatistics, IDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly ILogger _logger;
    private readonly RedisAnnouncements _announcements;
    private readonly ConcurrentDictionary<(string Task, int Position), StrongLevel> _levels = new();

    /// <summary>Creates the statistics on a connection, subscribes to the announcements and reads the levels set now.</summary>
    public RedisAgreementStatistics(IConnectionMultiplexer redis, RedisRoutingOptions options, ILogger<RedisAgreementStatistics>? logger = null)
    {
        _redis = redis ?? throw new ArgumentNullException(nameof(redis));
        if (options is null) throw new ArgumentNullException(nameof(options));
        _keys = new RedisKeys(options.KeyPrefix);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _announcements = new RedisAnnouncements(redis, _keys.GuardChannel, OnAnnounced, LoadAsync, _logger, "The guardrail's levels");
    }

    /// <inheritdoc />
    public int GetLevel(string taskName, int position)
        => taskName is not null && _levels.TryGetValue((taskName, position), out var level) ? Volatile.Read(ref level.Value) : 0;

    /// <inheritdoc />
    public async ValueTask<AgreementState> AddAsync(string taskName, int position, bool agreed, int window, CancellationToken cancellationToken = default)
    {
        if (taskName is null) throw new ArgumentNullException(nameof(taskName));
        if (window < 1) throw new ArgumentOutOfRangeException(nameof(window), window, "a window holds at least one comparison");
        RedisResult[] result;
        try
        {
            result = (RedisResult[])(await _redis.GetDatabase().ScriptEvaluateAsync(RedisGuardScripts.Add,
                new[] { _keys.Guard(taskName, position), _keys.GuardWindow(taskName, position) },
                new RedisValue[] { agreed ? 1 : 0, window }).ConfigureAwait(false))!;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            RedisTelemetry.RecordUnavailable("guardrail");
            throw;
        }

        var baselineText = (string?)result[2];
        var state = new AgreementState(
            long.Parse((string)result[0]!, NumberStyles.Integer, CultureInfo.InvariantCulture),
            int.Parse((string)result[1]!, NumberStyles.Integer, CultureInfo.InvariantCulture),
            string.IsNullOrEmpty(baselineText) ? double.NaN : double.Parse(baselineText, NumberStyles.Float, CultureInfo.InvariantCulture),
            (int)result[3],
            (int)result[4]);
        SetLocal(taskName, position, state.Level);
        return state;
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryApplyAsync(string taskName, int position, AgreementState observed, int level, double baseline, CancellationToken cancellationToken = default)
    {
        if (taskName is null) throw new ArgumentNullException(nameof(taskName));
        var field = RedisKeys.GuardField(taskName, position);
        RedisResult result;
        try
        {
            result = await _redis.GetDatabase().ScriptEvaluateAsync(RedisGuardScripts.Apply,
                new[] { _keys.Guard(taskName, position), _keys.GuardWindow(taskName, position), _keys.GuardLevels },
                new RedisValue[]
                {
                    observed.Generation.ToString(CultureInfo.InvariantCulture),
                    level.ToString(CultureInfo.InvariantCulture),
                    double.IsNaN(baseline) ? string.Empty : baseline.ToString("R", CultureInfo.InvariantCulture),
                    field,
                    _keys.GuardChannel.ToString(),
                }).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            RedisTelemetry.RecordUnavailable("guardrail");
            throw;
        }

        if ((int)result != 1) return false;
        if (level != observed.Level) SetLocal(taskName, position, level);
        return true;
    }

    /// <summary>Stops listening.</summary>
    public void Dispose() => _announcements.Dispose();

    private void SetLocal(string task, int position, int level)
        => Volatile.Write(ref _levels.GetOrAdd((task, position), _ => new StrongLevel()).Value, level);

    private void OnAnnounced(RedisValue message)
    {
        var text = (string?)message;
        var bar = text?.LastIndexOf('|') ?? -1;
        if (bar <= 0 || !int.TryParse(text!.Substring(bar + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var level)) return;
        if (RedisKeys.TryParseGuardField(text.Substring(0, bar), out var task, out var position)) SetLocal(task, position, level);
    }

    /// <summary>Reads every level (at start and after a reconnection: announcements missed meanwhile).</summary>
    private async Task LoadAsync()
    {
        try
        {
            foreach (var entry in await _redis.GetDatabase().HashGetAllAsync(_keys.GuardLevels).ConfigureAwait(false))
            {
                if (RedisKeys.TryParseGuardField((string?)entry.Name ?? string.Empty, out var task, out var position) && int.TryParse((string?)entry.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var level))
                    SetLocal(task, position, level);
            }
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "The guardrail's levels could not be read from Redis; announcements still arrive.");
        }
    }

    private sealed class StrongLevel
    {
        public int Value;
    }
}
