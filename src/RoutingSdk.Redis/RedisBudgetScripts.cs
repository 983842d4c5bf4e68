namespace RoutingSdk.Redis;

/// <summary>
/// The Lua scripts that keep a budget's period in Redis, each run atomically by the server. A period is a hash — limit,
/// avail (limit − spent − reserved), spent, reserved — and a sorted set of leases ("id|pico" scored by expiry, server
/// milliseconds). Every sum is a Redis HINCRBY on the amounts as sent (64-bit integers, exact, refused on overflow); Lua
/// itself only tests a sum's sign, which a double holds exactly. Settles and charges are applied once: a settle by its lease
/// (held, or recorded as reclaimed when it expired), a charge by a marker key.
/// </summary>
internal static class RedisBudgetScripts
{
    /// <summary>Shared functions: server time, the period's first use (and a limit changed by a new deployment), expired leases returned.</summary>
    private const string Common = """
        local function now_ms()
          local t = redis.call('TIME')
          return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end
        local function neg(v)
          if v == '0' then return '0' end
          return '-' .. v
        end
        local function init(b, l, limit, ttl)
          local old = redis.call('HGET', b, 'limit')
          if not old then
            redis.call('HSET', b, 'limit', limit, 'avail', limit, 'spent', '0', 'reserved', '0')
            if ttl ~= '0' then
              redis.call('PEXPIRE', b, ttl)
              redis.call('PEXPIRE', l, ttl)
            end
          elseif old ~= limit then
            redis.call('HINCRBY', b, 'avail', limit)
            redis.call('HINCRBY', b, 'avail', neg(old))
            redis.call('HSET', b, 'limit', limit)
          end
        end
        local function reclaim(b, l, now)
          local expired = redis.call('ZRANGEBYSCORE', l, '-inf', now, 'LIMIT', 0, 500)
          local r = l .. ':reclaimed'
          for _, m in ipairs(expired) do
            local bar = string.find(m, '|', 1, true)
            local amount = string.sub(m, bar + 1)
            redis.call('HINCRBY', b, 'avail', amount)
            redis.call('HINCRBY', b, 'reserved', neg(amount))
            redis.call('ZREM', l, m)
            -- its settle, should it come, still charges the call's cost (once: the field is removed then)
            redis.call('HSET', r, string.sub(m, 1, bar - 1), '1')
            local ttl = redis.call('PTTL', l)
            if ttl > 0 then redis.call('PEXPIRE', r, ttl) end
          end
        end

        """;

    /// <summary>
    /// KEYS: period hash, leases. ARGV: limit, time to live of the period's keys (ms, "0": forever), amount, lease member, lease duration (ms).
    /// Returns {1 reserved | 0 refused, spent, reserved} (spent and reserved as strings, before this reservation).
    /// </summary>
    public const string Reserve = Common + """
        init(KEYS[1], KEYS[2], ARGV[1], ARGV[2])
        local now = now_ms()
        reclaim(KEYS[1], KEYS[2], now)
        local spent = redis.call('HGET', KEYS[1], 'spent')
        local reserved = redis.call('HGET', KEYS[1], 'reserved')
        local avail = redis.call('HINCRBY', KEYS[1], 'avail', neg(ARGV[3]))
        if avail < 0 then
          redis.call('HINCRBY', KEYS[1], 'avail', ARGV[3])
          return {0, spent, reserved}
        end
        redis.call('HINCRBY', KEYS[1], 'reserved', ARGV[3])
        redis.call('ZADD', KEYS[2], now + tonumber(ARGV[5]), ARGV[4])
        if ARGV[2] ~= '0' then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
        return {1, spent, reserved}
        """;

    /// <summary>
    /// KEYS: the reservation's period hash and leases, the current period hash and leases, the reservation's reclaimed-lease
    /// hash. ARGV: lease member, reserved amount, actual amount, limit, current period's time to live, lease id.
    /// The lease still held: released and the cost charged. Returned because it expired: the cost charged (once). Neither,
    /// while the reservation's period is still in Redis: this settle was applied before (a retry after a lost reply), nothing
    /// happens. Neither, and the period gone (Redis restarted without its data, or the settle came more than the keys' time
    /// to live after its period): there is nothing to release, and the cost is charged, since nothing Redis holds has it.
    /// Returns 1 when applied, else 0.
    /// </summary>
    public const string Settle = Common + """
        if redis.call('ZREM', KEYS[2], ARGV[1]) == 1 then
          redis.call('HINCRBY', KEYS[1], 'avail', ARGV[2])
          redis.call('HINCRBY', KEYS[1], 'reserved', neg(ARGV[2]))
        elseif redis.call('HDEL', KEYS[5], ARGV[6]) == 0 and redis.call('EXISTS', KEYS[1]) == 1 then
          return 0
        end
        if ARGV[3] ~= '0' then
          init(KEYS[3], KEYS[4], ARGV[4], ARGV[5])
          redis.call('HINCRBY', KEYS[3], 'spent', ARGV[3])
          redis.call('HINCRBY', KEYS[3], 'avail', neg(ARGV[3]))
        end
        return 1
        """;

    /// <summary>
    /// A cost without reservation (a late answer). KEYS: the current period hash and leases, the applied marker. ARGV: actual
    /// amount, limit, time to live. Applied once: the marker (kept a day) makes a retry a no-op. Returns 1 when applied, else 0.
    /// </summary>
    public const string Charge = Common + """
        if not redis.call('SET', KEYS[3], '1', 'NX', 'PX', 86400000) then return 0 end
        init(KEYS[1], KEYS[2], ARGV[2], ARGV[3])
        redis.call('HINCRBY', KEYS[1], 'spent', ARGV[1])
        redis.call('HINCRBY', KEYS[1], 'avail', neg(ARGV[1]))
        return 1
        """;

    /// <summary>KEYS: period hash, leases. ARGV: limit, time to live. Returns {spent, reserved} after returning expired leases.</summary>
    public const string Read = Common + """
        init(KEYS[1], KEYS[2], ARGV[1], ARGV[2])
        reclaim(KEYS[1], KEYS[2], now_ms())
        return {redis.call('HGET', KEYS[1], 'spent'), redis.call('HGET', KEYS[1], 'reserved')}
        """;

    /// <summary>KEYS: leases. ARGV: lease duration (ms), then the members to renew (a member already returned stays returned).</summary>
    public const string Renew = Common + """
        local expiry = now_ms() + tonumber(ARGV[1])
        for i = 2, #ARGV do
          redis.call('ZADD', KEYS[1], 'XX', expiry, ARGV[i])
        end
        return 1
        """;
}
