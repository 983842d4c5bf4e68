using System;
using System.Collections.Concurrent;

namespace RoutingSdk;

/// <summary>
/// The default <see cref="IBudgetStore"/>: every budget's spending in this process (one <see cref="BudgetTracker"/> per
/// budget and scope). Replicas of a service each have their own; RoutingSdk.Redis shares one across them.
/// </summary>
public sealed class InProcessBudgetStore : IBudgetStore
{
    private readonly ConcurrentDictionary<(RoutingBudget Budget, string Scope), BudgetTracker> _trackers = new();
    private readonly Func<(RoutingBudget Budget, string Scope), BudgetTracker> _create;

    /// <summary>Creates a store whose periods follow <paramref name="time"/>.</summary>
    public InProcessBudgetStore(TimeProvider time)
    {
        if (time is null) throw new ArgumentNullException(nameof(time));
        _create = key => new BudgetTracker(key.Budget, time);
    }

    /// <inheritdoc />
    public BudgetReservation? TryReserve(RoutingBudget budget, string scope, decimal amountUsd, out BudgetUsage usage)
    {
        var tracker = Tracker(budget, scope);
        var window = tracker.TryReserve(amountUsd, out var spent, out var reserved);
        usage = new BudgetUsage(spent, reserved);
        return window is { } w ? new BudgetReservation(budget, scope, amountUsd, w) : null;
    }

    /// <inheritdoc />
    public void Settle(BudgetReservation reservation, decimal actualUsd)
        => Tracker(reservation.Budget, reservation.Scope).Settle(reservation.Period, reservation.AmountUsd, actualUsd);

    /// <inheritdoc />
    public void Charge(RoutingBudget budget, string scope, decimal actualUsd) => Tracker(budget, scope).Settle(long.MinValue, 0m, actualUsd);

    /// <inheritdoc />
    public BudgetUsage Read(RoutingBudget budget, string scope)
    {
        var (spent, reserved) = Tracker(budget, scope).Read();
        return new BudgetUsage(spent, reserved);
    }

    internal BudgetTracker Tracker(RoutingBudget budget, string scope) => _trackers.GetOrAdd((budget, scope ?? string.Empty), _create);
}
