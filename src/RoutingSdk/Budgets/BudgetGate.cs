using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using RoutingSdk.Planning;

namespace RoutingSdk;

/// <summary>
/// The router's budgets around its tier calls: which budgets apply to a task, the downgrade cap a call starts under,
/// whether a downgrade budget can pay for the next tier (else the current one ends the chain), and the reservation of a
/// call's expected cost before it is made, settled against its actual cost after — each budget in the call's scope
/// (<see cref="RoutingBudget.KeyedBy"/>), in the router's <see cref="IBudgetStore"/>.
/// </summary>
internal sealed class BudgetGate
{
    private readonly RoutingBudget[] _budgets;

    public BudgetGate(IEnumerable<RoutingBudget> budgets, IBudgetStore store)
    {
        _budgets = budgets.ToArray();
        Store = store;
    }

    /// <summary>Where the budgets keep their spending.</summary>
    public IBudgetStore Store { get; }

    /// <summary>Every budget's usage in its unkeyed scope, in the order of <see cref="RoutingOptions.Budgets"/> (tests).</summary>
    public (decimal Spent, decimal Reserved)[] Usages()
        => _budgets.Select(b => Store.ReadAsync(b, string.Empty).AsTask().GetAwaiter().GetResult()).Select(u => (u.SpentUsd, u.ReservedUsd)).ToArray();

    /// <summary>The budgets that apply to <paramref name="taskName"/>.</summary>
    public RoutingBudget[] For(string taskName) => _budgets.Where(b => b.AppliesTo(taskName)).ToArray();

    /// <summary>
    /// The cap of a downgrade budget used past its mark: the chain positions <c>[First, End)</c> the call may use, or a
    /// substitute tier below the whole chain. Unchanged (and null) when no budget caps the call.
    /// </summary>
    public static async ValueTask<(int First, int End, TierSpec? Substitute)> ApplyDowngradeAsync(RoutePlan plan, PlanState state, int first, int end)
    {
        TierSpec? cap = null;
        RoutingBudget? capping = null;
        foreach (var budget in state.Budgets)
        {
            if (budget.Action != BudgetAction.Downgrade || await UsedShareAsync(state.Gate.Store, budget).ConfigureAwait(false) < budget.DowngradeAt) continue;
            var tier = (budget.DowngradeTier is null ? null : plan.Catalog.Find(budget.DowngradeTier)) ?? state.Tiers[0];
            if (cap is null || tier.Rank < cap.Rank)
            {
                cap = tier;
                capping = budget;
            }
        }

        if (cap is null) return (first, end, null);
        TierSpec? substitute = null;
        var within = 0;   // chain tiers at or below the cap (the chain is ordered by rank)
        while (within < state.Tiers.Length && state.Tiers[within].Rank <= cap.Rank) within++;
        if (within > first)
        {
            end = Math.Min(end, within);
        }
        else if (within > 0)
        {
            first = within - 1;
            end = within;
        }
        else
        {
            substitute = cap;
        }

        RoutingTelemetry.RecordDowngrade(state.TaskName, substitute?.Name ?? state.Tiers[end - 1].Name, capping!.Name);
        return (first, end, substitute);
    }

    /// <summary>
    /// Whether a downgrade budget cannot pay for the chain tier called after <paramref name="position"/> (the one at
    /// <paramref name="next"/>: the next, or the last after a skip), so that <paramref name="position"/> ends the chain (a downgrade, counted).
    /// </summary>
    public static async ValueTask<bool> EndsChainAsync(RouteCall route, int position, int next)
    {
        var state = route.State;
        if (await CappingAsync(route, state.Tiers[next]).ConfigureAwait(false) is not { } capping) return false;
        RoutingTelemetry.RecordDowngrade(state.TaskName, state.Tiers[position].Name, capping);
        return true;
    }

    /// <summary>The name of a downgrade budget that cannot pay for a call on <paramref name="tier"/>, or null when every one can.</summary>
    public static async ValueTask<string?> CappingAsync(RouteCall route, TierSpec tier)
    {
        var needed = Needed(route, tier);
        foreach (var budget in route.State.Budgets)
        {
            if (budget.Action != BudgetAction.Downgrade) continue;
            var usage = await route.State.Gate.Store.ReadAsync(budget, budget.CurrentScope()).ConfigureAwait(false);
            if (usage.SpentUsd + usage.ReservedUsd + needed > budget.LimitUsd) return budget.Name;
        }

        return null;
    }

    /// <summary>Reserves the expected cost of a call on <paramref name="tier"/> in every budget of the plan; null when none applies.</summary>
    /// <exception cref="BudgetExceededException">A budget cannot pay for the call (nothing stays reserved).</exception>
    /// <exception cref="BudgetUnavailableException">A budget's store cannot decide (nothing stays reserved).</exception>
    public static async ValueTask<BudgetReservation[]?> ReserveAsync(RouteCall route, TierSpec tier)
    {
        var state = route.State;
        if (state.Budgets.Length == 0) return null;
        var needed = Needed(route, tier);
        var (reservations, refused, usage) = await ReserveAllAsync(state, needed).ConfigureAwait(false);
        if (refused is null) return reservations;
        throw new BudgetExceededException(refused.Name, refused.CurrentScope(), state.TaskName, tier.Name, refused.LimitUsd, usage.SpentUsd, usage.ReservedUsd, needed);
    }

    /// <summary>
    /// Before a classifier calls <paramref name="tier"/>: reserves the call's expected cost (the request's input tokens and
    /// at most <paramref name="maxOutputTokens"/>) in every budget of the plan. Null, with nothing reserved, when a budget
    /// cannot pay for it (or cannot decide); an empty array when no budget applies.
    /// </summary>
    public static ValueTask<BudgetReservation[]?> TryReserveAsync(PlanState state, TierSpec tier, IReadOnlyList<ChatMessage> request, int maxOutputTokens)
        => TryReserveAsync(state, state.Budgets.Length == 0 ? 0m : tier.Cost(TokenProfile.EstimateTokens(RouteCall.CountCharacters(request)), maxOutputTokens));

    /// <summary>
    /// Reserves <paramref name="needed"/> in every budget of the plan. Null, with nothing reserved, when a budget cannot pay
    /// for it (or cannot decide); an empty array when no budget applies.
    /// </summary>
    public static async ValueTask<BudgetReservation[]?> TryReserveAsync(PlanState state, decimal needed)
    {
        if (state.Budgets.Length == 0) return Array.Empty<BudgetReservation>();
        try
        {
            var (reservations, refused, _) = await ReserveAllAsync(state, needed).ConfigureAwait(false);
            return refused is null ? reservations : null;
        }
        catch (BudgetUnavailableException)
        {
            return null;   // the classifier is an optimisation: the start tier's own reservation decides
        }
    }

    /// <summary>
    /// Settles reservations against the call's actual cost (0 for a call that failed; never below 0, so a budget never
    /// refills). Every reservation is settled even when the store fails on one; the first failure is thrown after.
    /// </summary>
    public static async ValueTask SettleAsync(PlanState state, BudgetReservation[]? reservations, decimal cost)
    {
        if (reservations is null) return;
        if (cost < 0m) cost = 0m;
        await SettleEachAsync(state.Gate.Store, reservations, reservations.Length, cost).ConfigureAwait(false);
    }

    /// <summary>Charges what a call whose reservations were already released (a late answer after the caller cancelled) cost.</summary>
    public static async ValueTask ChargeAsync(PlanState state, BudgetReservation[]? reservations, decimal cost)
    {
        if (reservations is null || cost <= 0m) return;
        foreach (var reservation in reservations) await state.Gate.Store.ChargeAsync(reservation.Budget, reservation.Scope, cost).ConfigureAwait(false);
    }

    /// <summary>
    /// The expected cost of a call on <paramref name="tier"/>: the request's input tokens (four characters a token) and the
    /// kind's expected output (and thinking) tokens (<see cref="TokenProfile.For"/>) at the tier's prices.
    /// </summary>
    public static decimal Needed(RouteCall route, TierSpec tier)
    {
        var profile = TokenProfile.For(route.Plan.Kind);
        return tier.Cost(TokenProfile.EstimateTokens(route.InputCharacters), profile.OutputTokens, tier.ExtendedThinking ? profile.ReasoningTokens : 0);
    }

    /// <summary>Share of a downgrade budget's limit spent or reserved this period, in the scope of the call.</summary>
    private static async ValueTask<double> UsedShareAsync(IBudgetStore store, RoutingBudget budget)
    {
        var usage = await store.ReadAsync(budget, budget.CurrentScope()).ConfigureAwait(false);
        return (double)((usage.SpentUsd + usage.ReservedUsd) / budget.LimitUsd);
    }

    /// <summary>
    /// Reserves <paramref name="needed"/> in every budget of the plan, each in the call's scope: the reservations when all
    /// could pay, else the first budget that could not (with what it had spent and reserved), the reservations already made
    /// released. A store that cannot decide, or fails otherwise, throws, the reservations already made released too.
    /// </summary>
    private static async ValueTask<(BudgetReservation[] Reservations, RoutingBudget? Refused, BudgetUsage Usage)> ReserveAllAsync(PlanState state, decimal needed)
    {
        var budgets = state.Budgets;
        var store = state.Gate.Store;
        var reservations = new BudgetReservation[budgets.Length];
        var b = 0;
        try
        {
            for (; b < budgets.Length; b++)
            {
                var decision = await store.TryReserveAsync(budgets[b], budgets[b].CurrentScope(), needed).ConfigureAwait(false);
                if (decision.Reservation is { } reservation)
                {
                    reservations[b] = reservation;
                    continue;
                }

                await ReleaseAsync(store, reservations, b).ConfigureAwait(false);
                return (reservations, budgets[b], decision.Usage);
            }
        }
        catch (Exception)
        {
            // A store that cannot decide, or one of the application's that fails: nothing stays reserved.
            try
            {
                await ReleaseAsync(store, reservations, b).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The store's first failure is the one to report; the release was attempted for every reservation.
            }

            throw;
        }

        return (reservations, null, default);
    }

    private static ValueTask ReleaseAsync(IBudgetStore store, BudgetReservation[] reservations, int count) => SettleEachAsync(store, reservations, count, 0m);

    /// <summary>Settles the first <paramref name="count"/> reservations at <paramref name="cost"/>, each one even when another fails; then throws the first failure.</summary>
    private static async ValueTask SettleEachAsync(IBudgetStore store, BudgetReservation[] reservations, int count, decimal cost)
    {
        Exception? failure = null;
        for (var i = 0; i < count; i++)
        {
            try
            {
                await store.SettleAsync(reservations[i], cost).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                failure ??= ex;
            }
        }

        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
    }
}
