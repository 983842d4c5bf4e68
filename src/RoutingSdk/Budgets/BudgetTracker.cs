using System;

namespace RoutingSdk;

/// <summary>The spending of one budget in its current period. Thread-safe; a lock held for a few decimal additions.</summary>
internal sealed class BudgetTracker
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private long _window = long.MinValue;
    private decimal _spent;
    private decimal _reserved;

    public BudgetTracker(RoutingBudget budget, TimeProvider time)
    {
        Budget = budget;
        _time = time;
    }

    public RoutingBudget Budget { get; }

    /// <summary>Spent and reserved this period, as one consistent pair.</summary>
    public (decimal Spent, decimal Reserved) Read()
    {
        lock (_gate)
        {
            Roll();
            return (_spent, _reserved);
        }
    }

    /// <summary>Share of the limit spent or reserved this period.</summary>
    public double UsedShare()
    {
        var (spent, reserved) = Read();
        return (double)((spent + reserved) / Budget.LimitUsd);
    }

    /// <summary>Reserves <paramref name="amount"/> when it fits; returns the period it was reserved in, or null with the figures when it does not.</summary>
    public long? TryReserve(decimal amount, out decimal spent, out decimal reserved)
    {
        lock (_gate)
        {
            Roll();
            spent = _spent;
            reserved = _reserved;
            if (_spent + _reserved + amount > Budget.LimitUsd) return null;
            _reserved += amount;
            return _window;
        }
    }

    /// <summary>Releases a reservation made in <paramref name="window"/> and books what the call actually cost in the current period.</summary>
    public void Settle(long window, decimal reservedAmount, decimal actual)
    {
        lock (_gate)
        {
            Roll();
            if (window == _window) _reserved -= reservedAmount;
            _spent += actual;
        }
    }

    private void Roll()
    {
        var period = Budget.Period;
        var window = period is { Ticks: > 0 } p ? _time.GetUtcNow().UtcTicks / p.Ticks : 0;
        // Periods only move forward: a clock that steps back (NTP correction, a VM resumed from a snapshot)
        // stays in the current window instead of opening an earlier one with a fresh allowance.
        if (window <= _window) return;
        if (_window != long.MinValue)
        {
            _spent = 0;
            _reserved = 0;   // reservations of the old period are released into it, not the new one
        }

        _window = window;
    }
}
