using System;

namespace RoutingSdk.Redis;

/// <summary>How RoutingSdk keeps its shared state in Redis. Configured with <c>services.AddRoutingSdkRedis(..., o => ...)</c>.</summary>
public sealed class RedisRoutingOptions
{
    /// <summary>
    /// Prepended to every key and channel, so that several applications (or environments) can share one Redis. Every replica
    /// of one service must use the same prefix. Default <c>"routingsdk"</c>.
    /// </summary>
    public string KeyPrefix { get; set; } = "routingsdk";

    /// <summary>
    /// How long a budget reservation lives without renewal. The process renews the reservations of its calls in flight every
    /// third of this; a process that dies stops renewing, and its reservations return to their budget this long after its last
    /// renewal. Default 30 seconds.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the ledger's local increments are written to Redis (each write is atomic and applied once, however often it is
    /// retried). <see cref="RedisCostLedger.Snapshot"/> writes first too. Default 200 milliseconds.
    /// </summary>
    public TimeSpan LedgerFlushInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often amounts and ledger increments that could not be written (Redis unreachable) are tried again. Default 1 second.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The clock budget periods and cooldowns are measured on. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
