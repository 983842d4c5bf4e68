using System;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace RoutingSdk.Redis;

/// <summary>
/// Rate-limit cooldowns shared by every replica. The router asks from memory (an <see cref="InProcessTierCooldowns"/>); a
/// cooldown started here is set in Redis (a key that expires with it) and announced on a channel every replica listens to;
/// a replica that starts, or reconnects, reads the cooldowns still running. Without Redis, cooldowns stay local.
/// </summary>
public sealed class RedisTierCooldowns : ITierCooldowns, IDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly ILogger _logger;
    private readonly InProcessTierCooldowns _local;
    private readonly TimeProvider _time;
    private readonly RedisAnnouncements _announcements;

    /// <summary>Creates the cooldowns on a connection, subscribes to the announcements and reads the cooldowns running now.</summary>
    public RedisTierCooldowns(IConnectionMultiplexer redis, RedisRoutingOptions options, ILogger<RedisTierCooldowns>? logger = null)
    {
        _redis = redis ?? throw new ArgumentNullException(nameof(redis));
        if (options is null) throw new ArgumentNullException(nameof(options));
        _keys = new RedisKeys(options.KeyPrefix);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = options.TimeProvider;
        _local = new InProcessTierCooldowns(_time);
        _announcements = new RedisAnnouncements(redis, _keys.CooldownChannel, OnAnnounced, LoadAsync, _logger, "Rate-limit cooldowns");
    }

    /// <inheritdoc />
    public bool IsCoolingDown(string tier, out DateTimeOffset until) => _local.IsCoolingDown(tier, out until);

    /// <inheritdoc />
    public void Start(string tier, DateTimeOffset until)
    {
        if (tier is null) return;
        _local.Start(tier, until);
        var left = until - _time.GetUtcNow();
        if (left <= TimeSpan.Zero) return;
        var value = until.UtcTicks.ToString(CultureInfo.InvariantCulture);
        try
        {
            var db = _redis.GetDatabase();
            // Fire and forget: the router does not wait for Redis to skip the tier itself; a lost write leaves the cooldown local.
            db.StringSet(_keys.Cooldown(tier), value, left, When.Always, CommandFlags.FireAndForget);
            _announcements.Publish(tier + "|" + value);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            RedisTelemetry.RecordUnavailable("cooldown");
            _logger.LogWarning(ex, "Tier '{Tier}' cools down in this process only: Redis did not answer.", tier);
        }
    }

    /// <summary>Stops listening.</summary>
    public void Dispose() => _announcements.Dispose();

    private void OnAnnounced(RedisValue message)
    {
        var text = (string?)message;
        var bar = text?.LastIndexOf('|') ?? -1;
        if (bar <= 0 || !long.TryParse(text!.Substring(bar + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks)) return;
        if (ticks <= DateTimeOffset.MinValue.UtcTicks || ticks >= DateTimeOffset.MaxValue.UtcTicks) return;
        _local.Start(text.Substring(0, bar), new DateTimeOffset(ticks, TimeSpan.Zero));
    }

    /// <summary>Reads the cooldowns running now (at start and after a reconnection: announcements missed meanwhile).</summary>
    private async Task LoadAsync()
    {
        try
        {
            foreach (var endpoint in _redis.GetEndPoints())
            {
                var server = _redis.GetServer(endpoint);
                if (!server.IsConnected || server.IsReplica) continue;
                await foreach (var key in server.KeysAsync(pattern: _keys.CooldownPattern).ConfigureAwait(false))
                {
                    if (_keys.CooldownTier(key.ToString()) is not { } tier) continue;
                    var value = await _redis.GetDatabase().StringGetAsync(key).ConfigureAwait(false);
                    if (value.IsNull) continue;
                    OnAnnounced(tier + "|" + value);
                }
            }
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Rate-limit cooldowns could not be read from Redis; announcements still arrive.");
        }
    }
}
