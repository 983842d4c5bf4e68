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

    /// <summary>The pattern of every cooldown key (glob characters of the prefix escaped: they stand for themselves).</summary>
    public RedisValue CooldownPattern => $"{GlobEscape(_prefix)}:cooldown:*";

    /// <summary>The tier a <see cref="Cooldown"/> key belongs to (its name unescaped); null when the key is not one.</summary>
    public string? CooldownTier(string key)
    {
        var start = _prefix + ":cooldown:";
        return key.StartsWith(start, System.StringComparison.Ordinal) ? Unescape(key.Substring(start.Length)) : null;
    }

    /// <summary>The channel cooldowns are announced on.</summary>
    public RedisChannel CooldownChannel => RedisChannel.Literal($"{_prefix}:cooldowns");

    /// <summary>
    /// The hash of one task's chain position in the shadow guardrail's statistics: gen (changes of level), level, base (the
    /// baseline, absent while none), n and a (comparisons in the window and their agreements); with ":window" appended, the
    /// list of the window's comparisons, oldest first ("1" agreed, "0" not).
    /// </summary>
    public RedisKey Guard(string task, int position) => $"{_prefix}:guard:{GuardField(task, position)}";

    /// <summary>The window list of <see cref="Guard"/>.</summary>
    public RedisKey GuardWindow(string task, int position) => $"{_prefix}:guard:{GuardField(task, position)}:window";

    /// <summary>The hash of every guarded position's level (field: <see cref="GuardField"/>), read by a replica that starts or reconnects.</summary>
    public RedisKey GuardLevels => $"{_prefix}:guard-levels";

    /// <summary>The channel changes of level are announced on ("field|level").</summary>
    public RedisChannel GuardChannel => RedisChannel.Literal($"{_prefix}:guard-levels");

    /// <summary>A position's field in <see cref="GuardLevels"/> and its announcements: the escaped task name, ':', the position.</summary>
    public static string GuardField(string task, int position) => Escape(task) + ":" + position.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Reads a <see cref="GuardField"/> back; false when it is not one.</summary>
    public static bool TryParseGuardField(string field, out string task, out int position)
    {
        task = string.Empty;
        position = 0;
        var colon = field.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(field.Substring(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out position)) return false;
        task = Unescape(field.Substring(0, colon));
        return true;
    }

    /// <summary>Names may hold ':' — escaped so that two names never make one key.</summary>
    private static string Escape(string value)
    {
        if (value.IndexOf(':') < 0 && value.IndexOf('%') < 0) return value;
        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value) builder.Append(c == ':' ? "%3A" : c == '%' ? "%25" : c.ToString());
        return builder.ToString();
    }

    /// <summary>Text matched literally by a Redis glob pattern (KEYS, SCAN MATCH).</summary>
    private static string GlobEscape(string value)
    {
        var builder = new StringBuilder(value.Length + 4);
        foreach (var c in value)
        {
            if (c is '*' or '?' or '[' or ']' or '\\') builder.Append('\\');
            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>The inverse of <see cref="Escape"/>.</summary>
    private static string Unescape(string value)
    {
        if (value.IndexOf('%') < 0) return value;
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length && value[i + 1] == '3' && value[i + 2] == 'A') { builder.Append(':'); i += 2; }
            else if (value[i] == '%' && i + 2 < value.Length && value[i + 1] == '2' && value[i + 2] == '5') { builder.Append('%'); i += 2; }
            else builder.Append(value[i]);
        }

        return builder.ToString();
    }
}
