using System;
using RoutingSdk.Planning.Guardrail;

namespace RoutingSdk;

/// <summary>
/// The spending cap of one kind of background call (<see cref="ShadowOptions.MaxShareOfCost"/> for the shadow calls,
/// <see cref="ShadowOptions.MaxCalibrationShareOfCost"/> for the calibration samples): a call is made only when the spend
/// of its kind, with the expected cost of the calls of that kind already started and not yet booked, and its own expected
/// cost, stays within the share of the routed spend (everything but the shadow spend; <see cref="GuardRule.WithinCap"/>).
/// Counting the calls in flight is what holds the cap when the last tier is slow: the ledger sees a call only once it is
/// booked. Thread-safe. It reads the ledger, which may be remote: never on the caller's path.
/// </summary>
internal sealed class SpendingCap
{
    private readonly ICostLedger _ledger;
    private readonly Func<CostSnapshot, decimal> _spent;
    private readonly double _maxShareOfCost;
    private readonly object _gate = new();
    private decimal _inFlight;

    /// <summary>A cap of <paramref name="maxShareOfCost"/> on the spend <paramref name="spent"/> reads from the ledger's snapshot.</summary>
    public SpendingCap(ICostLedger ledger, Func<CostSnapshot, decimal> spent, double maxShareOfCost)
    {
        _ledger = ledger;
        _spent = spent;
        _maxShareOfCost = maxShareOfCost;
    }

    /// <summary>
    /// Whether a call expected to cost <paramref name="expected"/> may be made; if so, it counts as in flight until
    /// <see cref="Release"/>. Throws what the ledger's snapshot throws (nothing is then counted).
    /// </summary>
    public bool TryEnter(decimal expected)
    {
        if (_maxShareOfCost >= 1) return true;
        var snapshot = _ledger.Snapshot();
        lock (_gate)
        {
            if (!GuardRule.WithinCap(_spent(snapshot) + _inFlight, expected, snapshot.TotalUsd - snapshot.ShadowUsd, _maxShareOfCost)) return false;
            _inFlight += expected;
            return true;
        }
    }

    /// <summary>A call let in by <see cref="TryEnter"/> was booked (or failed, or was not made): its expected cost is in flight no more.</summary>
    public void Release(decimal expected)
    {
        if (_maxShareOfCost >= 1) return;
        lock (_gate) _inFlight -= expected;
    }
}
