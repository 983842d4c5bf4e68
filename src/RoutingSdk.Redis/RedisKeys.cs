using System.Text;
using StackExchange.Redis;

namespace RoutingSdk.Redis;

/// <summary>Every key and channel name RoutingSdk uses in Redis, in one place.</summary>
internal sealed class RedisKeys
{
    private readonly string _prefix;

    public RedisKeys(string prefix) => _prefix = string.IsNullOrEmpty(prefix) ? "routingsdk" : prefix;

    /// <summary>The hash of one budget's scope in one period: limit, avail (limit − spent − reserved), spent, reserved.</summary>
    public RedisKey Budget(string budget, string scope, long period) => $"{_prefix}:budget:{Escape(budget)}:{Escape(scope)}:{period}";

    /// <summary>
    /// The sorted set of a budget period's leases: member "id|pico", score = expiry (server milliseconds); with ":reclaimed"
    /// appended, the hash of the ids of leases that expired and whose settle has not come yet.
    /// </summary>
    public RedisKey Leases(string budget, string scope, long period) => $"{_prefix}:budget:{Escape(budget)}:{Escape(scope)}:{period}:leases";

    /// <summary>The marker that a charge (a cost without reservation) with this id was applied once.</summary>
    public RedisKey Applied(string id) => $"{_prefix}:applied:{id}";

    /// <summary>The set of ledger entry keys.</summary>
    public RedisKey LedgerIndex => $"{_prefix}:ledger:index";

    /// <summary>The hash of one ledger entry: a (task, tier, price list) and its counters.</summary>
    public RedisKey LedgerEntry(string task, string tier, string prices) => $"{_prefix}:ledger:{Escape(task)}:{Escape(tier)}:{prices}";

    /// <summary>The key of a tier's cooldown (its value: the end, UTC ticks).</summary>
    public RedisKey Cooldown(string tier) => $"{_prefix}:cooldown:{Escape(tier)}";

    /// <summary>The pattern of every cooldown key.</summary>
    public RedisValue CooldownPattern => $"{_prefix}:cooldown:*";

    /// <summary>The channel cooldowns are announced on.</summary>
    public RedisChannel CooldownChannel => RedisChannel.Literal($"{_prefix}:cooldowns");

    /// <summary>Names may hold ':' — escaped so that two names never make one key.</summary>
    private static string Escape(string value)
    {
        if (value.IndexOf(':') < 0 && value.IndexOf('%') < 0) return value;
        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value) builder.Append(c == ':' ? "%3A" : c == '%' ? "%25" : c.ToString());
        return builder.ToString();
    }
}
