using System;
using System.Collections.Concurrent;
using System.Threading.Tasks;

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
    public ValueTask<BudgetDecision> TryReserveAsync(RoutingBudget budget, string scope, decimal amountUsd)
    {
        var tracker = Tracker(budget, scope);
        var window = tracker.TryReserve(amountUsd, out var spent, out var reserved);
        var reservation = window is { } w ? new BudgetReservation(budget, scope, amountUsd, w) : null;
        return new ValueTask<BudgetDecision>(new BudgetDecision(reservation, new BudgetUsage(spent, reserved)));
    }

    /// <inheritdoc />
    public ValueTask SettleAsync(BudgetReservation reservation, decimal actualUsd)
    {
        Tracker(reservation.Budget, reservation.Scope).Settle(reservation.Period, reservation.AmountUsd, actualUsd);
        return default;
    }

    /// <inheritdoc />
    public ValueTask ChargeAsync(RoutingBudget budget, string scope, decimal actualUsd)
    {
        Tracker(budget, scope).Settle(long.MinValue, 0m, actualUsd);
        return default;
    }

    /// <inheritdoc />
    public ValueTask<BudgetUsage> ReadAsync(RoutingBudget budget, string scope)
    {
        var (spent, reserved) = Tracker(budget, scope).Read();
        return new ValueTask<BudgetUsage>(new BudgetUsage(spent, reserved));
    }

    internal BudgetTracker Tracker(RoutingBudget budget, string scope) => _trackers.GetOrAdd((budget, scope ?? string.Empty), _create);
}
