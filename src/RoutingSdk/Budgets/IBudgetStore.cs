using System;
using System.Threading.Tasks;

namespace RoutingSdk;

/// <summary>
/// Where budgets keep what they spent and what calls in flight reserved, per budget, scope and period. The default,
/// <see cref="InProcessBudgetStore"/>, keeps it in the process; a shared store (RoutingSdk.Redis) keeps one budget
/// across every replica. Set <see cref="RoutingOptions.BudgetStore"/>, or register an <see cref="IBudgetStore"/> service.
/// </summary>
/// <remarks>
/// The router calls the store between tier calls, on the general path only (a plan without budgets never reaches it), and
/// awaits it: a settle has reached the store when the call returns. A store must be thread-safe. <see cref="SettleAsync"/>
/// and <see cref="ChargeAsync"/> must never throw and never lose an amount: a store that cannot reach its backing service
/// keeps the amount and applies it once when it can.
/// </remarks>
public interface IBudgetStore
{
    /// <summary>
    /// Reserves <paramref name="amountUsd"/> in the current period of <paramref name="budget"/> for <paramref name="scope"/>
    /// when what is spent, what is reserved and the amount together fit in the limit; atomically.
    /// </summary>
    /// <param name="budget">The budget.</param>
    /// <param name="scope">The value of the call's context the budget is keyed by (<see cref="RoutingBudget.KeyedBy"/>), or "" for an unkeyed budget.</param>
    /// <param name="amountUsd">The call's expected cost.</param>
    /// <returns>The reservation (null when the amount does not fit: nothing reserved) and what the budget had spent and reserved when it decided.</returns>
    /// <exception cref="BudgetUnavailableException">The store cannot decide (its backing service is unreachable).</exception>
    ValueTask<BudgetDecision> TryReserveAsync(RoutingBudget budget, string scope, decimal amountUsd);

    /// <summary>Releases a reservation (when its period is still current) and books what the call actually cost in the current period. Never throws.</summary>
    ValueTask SettleAsync(BudgetReservation reservation, decimal actualUsd);

    /// <summary>Books a cost without a reservation (a late answer whose reservation was already released). Never throws.</summary>
    ValueTask ChargeAsync(RoutingBudget budget, string scope, decimal actualUsd);

    /// <summary>What the budget has spent and reserved this period for <paramref name="scope"/>.</summary>
    /// <exception cref="BudgetUnavailableException">The store cannot read (its backing service is unreachable).</exception>
    ValueTask<BudgetUsage> ReadAsync(RoutingBudget budget, string scope);
}

/// <summary>What <see cref="IBudgetStore.TryReserveAsync"/> decided.</summary>
public readonly struct BudgetDecision
{
    /// <summary>Creates a decision.</summary>
    public BudgetDecision(BudgetReservation? reservation, BudgetUsage usage)
    {
        Reservation = reservation;
        Usage = usage;
    }

    /// <summary>The reservation, or null when the amount did not fit.</summary>
    public BudgetReservation? Reservation { get; }

    /// <summary>What the budget had spent and reserved when it decided (before this reservation).</summary>
    public BudgetUsage Usage { get; }
}

/// <summary>What a budget spent and what calls in flight reserved in its current period, USD.</summary>
public readonly struct BudgetUsage : IEquatable<BudgetUsage>
{
    /// <summary>Creates a usage.</summary>
    public BudgetUsage(decimal spentUsd, decimal reservedUsd)
    {
        SpentUsd = spentUsd;
        ReservedUsd = reservedUsd;
    }

    /// <summary>Spent this period.</summary>
    public decimal SpentUsd { get; }

    /// <summary>Reserved by calls in flight this period.</summary>
    public decimal ReservedUsd { get; }

    /// <inheritdoc />
    public bool Equals(BudgetUsage other) => SpentUsd == other.SpentUsd && ReservedUsd == other.ReservedUsd;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is BudgetUsage other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => SpentUsd.GetHashCode() * 31 + ReservedUsd.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => FormattableString.Invariant($"spent ${SpentUsd}, reserved ${ReservedUsd}");
}

/// <summary>An amount an <see cref="IBudgetStore"/> reserved for one tier call, until it is settled.</summary>
public sealed class BudgetReservation
{
    /// <summary>Creates a reservation (stores call this).</summary>
    /// <param name="budget">The budget.</param>
    /// <param name="scope">The scope (the context value the budget is keyed by, or "").</param>
    /// <param name="amountUsd">The amount reserved.</param>
    /// <param name="period">The period it was reserved in.</param>
    /// <param name="handle">What the store needs to settle it (a lease id, say), or null.</param>
    public BudgetReservation(RoutingBudget budget, string scope, decimal amountUsd, long period, object? handle = null)
    {
        Budget = budget ?? throw new ArgumentNullException(nameof(budget));
        Scope = scope ?? throw new ArgumentNullException(nameof(scope));
        AmountUsd = amountUsd;
        Period = period;
        Handle = handle;
    }

    /// <summary>The budget.</summary>
    public RoutingBudget Budget { get; }

    /// <summary>The scope: the context value the budget is keyed by, or "".</summary>
    public string Scope { get; }

    /// <summary>The amount reserved, USD.</summary>
    public decimal AmountUsd { get; }

    /// <summary>The period it was reserved in (the number of whole periods since the Unix epoch; 0 for a budget without period).</summary>
    public long Period { get; }

    /// <summary>The store's own handle, or null.</summary>
    public object? Handle { get; }
}
