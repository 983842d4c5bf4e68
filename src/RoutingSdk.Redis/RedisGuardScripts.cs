namespace RoutingSdk.Redis;

/// <summary>
/// The Lua scripts that keep the shadow guardrail's statistics of a chain position in Redis (<see cref="RedisKeys.Guard"/>),
/// each run atomically by the server. They keep numbers only: the rule that decides on them is the router's.
/// </summary>
internal static class RedisGuardScripts
{
    /// <summary>
    /// KEYS: position hash, window list. ARGV: 1 agreed | 0, the window's capacity. Adds the comparison, drops the oldest
    /// beyond the capacity, and returns {gen, level, baseline ("" when none), n, a}.
    /// </summary>
    public const string Add = """
        local agreed = tonumber(ARGV[1])
        local cap = tonumber(ARGV[2])
        redis.call('RPUSH', KEYS[2], ARGV[1])
        local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
        local a = redis.call('HINCRBY', KEYS[1], 'a', agreed)
        while n > cap do
          local old = tonumber(redis.call('LPOP', KEYS[2]) or '0')
          n = redis.call('HINCRBY', KEYS[1], 'n', -1)
          a = redis.call('HINCRBY', KEYS[1], 'a', -old)
        end
        local s = redis.call('HMGET', KEYS[1], 'gen', 'level', 'base')
        return { s[1] or '0', s[2] or '0', s[3] or '', n, a }
        """;

    /// <summary>
    /// KEYS: position hash, window list, levels hash. ARGV: observed gen, new level, baseline ("" none), levels field, channel.
    /// When the position is still at the observed generation: records the baseline if it has none, and on a new level sets
    /// it, starts the next generation with an empty window, writes the level to the levels hash and announces it. Returns 1
    /// when applied, 0 when another decision came first.
    /// </summary>
    public const string Apply = """
        local gen = redis.call('HGET', KEYS[1], 'gen') or '0'
        if gen ~= ARGV[1] then return 0 end
        if ARGV[3] ~= '' and redis.call('HEXISTS', KEYS[1], 'base') == 0 then
          redis.call('HSET', KEYS[1], 'base', ARGV[3])
        end
        local level = redis.call('HGET', KEYS[1], 'level') or '0'
        if level ~= ARGV[2] then
          redis.call('HSET', KEYS[1], 'level', ARGV[2], 'n', 0, 'a', 0)
          redis.call('HINCRBY', KEYS[1], 'gen', 1)
          redis.call('DEL', KEYS[2])
          redis.call('HSET', KEYS[3], ARGV[4], ARGV[2])
          redis.call('PUBLISH', ARGV[5], ARGV[4] .. '|' .. ARGV[2])
        end
        return 1
        """;
}
