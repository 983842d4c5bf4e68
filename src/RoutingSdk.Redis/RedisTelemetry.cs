using System.Collections.Generic;
using System.Diagnostics.Metrics;

namespace RoutingSdk.Redis;

/// <summary>The <c>RoutingSdk.Redis</c> meter: how often Redis did not answer, by operation.</summary>
internal static class RedisTelemetry
{
    public static readonly Meter Meter = new("RoutingSdk.Redis");

    /// <summary><c>routingsdk.redis.unavailable</c>: an operation Redis did not answer (reserve and read fail closed; settle, ledger and cooldown writes wait and retry).</summary>
    public static readonly Counter<long> Unavailable = Meter.CreateCounter<long>("routingsdk.redis.unavailable", description: "Redis operations that did not get an answer");

    public static void RecordUnavailable(string operation) => Unavailable.Add(1, new KeyValuePair<string, object?>("operation", operation));
}
