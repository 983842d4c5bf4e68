using System;
using System.Collections.Concurrent;
using System.Threading;

namespace RoutingSdk;

/// <summary>The default <see cref="ITierCooldowns"/>: this process's cooldowns, on a <see cref="TimeProvider"/>.</summary>
public sealed class InProcessTierCooldowns : ITierCooldowns
{
    private readonly ConcurrentDictionary<string, long> _untilTicks = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private int _count;   // entries ever started and not yet seen expired: 0 answers at once, without a lookup

    /// <summary>Creates the cooldowns on <paramref name="time"/>.</summary>
    public InProcessTierCooldowns(TimeProvider time) => _time = time ?? throw new ArgumentNullException(nameof(time));

    /// <inheritdoc />
    public bool IsCoolingDown(string tier, out DateTimeOffset until)
    {
        until = default;
        if (Volatile.Read(ref _count) == 0 || !_untilTicks.TryGetValue(tier, out var ticks)) return false;
        if (_time.GetUtcNow().UtcTicks < ticks)
        {
            until = new DateTimeOffset(ticks, TimeSpan.Zero);
            return true;
        }

        // Over: forget it (unless a new cooldown replaced it meanwhile).
        if (((System.Collections.Generic.ICollection<System.Collections.Generic.KeyValuePair<string, long>>)_untilTicks).Remove(new System.Collections.Generic.KeyValuePair<string, long>(tier, ticks))) Interlocked.Decrement(ref _count);
        return false;
    }

    /// <inheritdoc />
    public void Start(string tier, DateTimeOffset until)
    {
        if (tier is null) return;
        var ticks = until.UtcTicks;
        while (true)
        {
            if (_untilTicks.TryGetValue(tier, out var current))
            {
                if (current >= ticks || _untilTicks.TryUpdate(tier, ticks, current)) return;
            }
            else if (_untilTicks.TryAdd(tier, ticks))
            {
                Interlocked.Increment(ref _count);
                return;
            }
        }
    }
}
