using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.AI;
using RoutingSdk.Planning;

namespace RoutingSdk;

/// <summary>
/// The router's budgets around its tier calls: which budgets apply to a task, the downgrade cap a call starts under,
/// whether a downgrade budget can pay for the next tier (else the current one ends the chain), and the reservation of a
/// call's expected cost before it is made, settled against its actual cost after.
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
    public (decimal Spent, decimal Reserved)[] Usages() => _budgets.Select(b => Store.Read(b, string.Empty)).Select(u => (u.SpentUsd, u.ReservedUsd)).ToArray();

    /// <summary>The budgets that apply to <paramref name="taskName"/>.</summary>
    public RoutingBudget[] For(string taskName) => _budgets.Where(b => b.AppliesTo(taskName)).ToArray();

    /// <summary>Caps the call at a cheaper tier when a downgrade budget is used past its mark.</summary>
    public static void ApplyDowngrade(RoutePlan plan, PlanState state, ref int first, ref int end, out TierSpec? substitute)
    {
        substitute = null;
        TierSpec? cap = null;
        RoutingBudget? capping = null;
        foreach (var budget in state.Budgets)
        {
            if (budget.Action != BudgetAction.Downgrade || UsedShare(state.Gate.Store, budget) < budget.DowngradeAt) continue;
            var tier = (budget.DowngradeTier is null ? null : plan.Catalog.Find(budget.DowngradeTier)) ?? state.Tiers[0];
            if (cap is null || tier.Rank < cap.Rank)
            {
                cap = tier;
                capping = budget;
            }
        }

        if (cap is null) return;
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
    }

    /// <summary>
    /// Whether a downgrade budget cannot pay for the chain tier called after <paramref name="position"/> (the one at
    /// <paramref name="next"/>: the next, or the last after a skip), so that <paramref name="position"/> ends the chain (a downgrade, counted).
    /// </summary>
    public static bool EndsChain(RouteCall route, int position, int next)
    {
        var state = route.State;
        if (Affordable(route, state.Tiers[next], out var capping)) return false;
        RoutingTelemetry.RecordDowngrade(state.TaskName, state.Tiers[position].Name, capping!);
        return true;
    }

    /// <summary>Reserves the expected cost of a call on <paramref name="tier"/> in every budget of the plan; null when none applies.</summary>
    /// <exception cref="BudgetExceededException">A budget cannot pay for the call (nothing stays reserved).</exception>
    public static BudgetReservation[]? Reserve(RouteCall route, TierSpec tier)
    {
        var state = route.State;
        if (state.Budgets.Length == 0) return null;
        var needed = Needed(route, tier);
        if (ReserveAll(state, needed, out var reservations, out var usage) is not { } refused) return reservations;
        throw new BudgetExceededException(refused.Name, refused.CurrentScope(), state.TaskName, tier.Name, refused.LimitUsd, usage.SpentUsd, usage.ReservedUsd, needed);
    }

    /// <summary>
    /// Before a classifier calls <paramref name="tier"/>: reserves the call's expected cost (the request's input tokens and
    /// at most <paramref name="maxOutputTokens"/>) in every budget of the plan. False, with nothing reserved, when a budget
    /// cannot pay for it.
    /// </summary>
    public static bool TryReserve(PlanState state, TierSpec tier, IReadOnlyList<ChatMessage> request, int maxOutputTokens,
        out BudgetReservation[]? reservations)
    {
        reservations = null;
        if (state.Budgets.Length == 0) return true;
        var needed = tier.Cost(TokenProfile.EstimateTokens(RouteCall.CountCharacters(request)), maxOutputTokens);
        if (ReserveAll(state, needed, out var reserved, out _) is not null) return false;
        reservations = reserved;
        return true;
    }

    /// <summary>Settles reservations against the call's actual cost (0 for a call that failed; never below 0, so a budget never refills).</summary>
    public static void Settle(PlanState state, BudgetReservation[]? reservations, decimal cost)
    {
        if (reservations is null) return;
        if (cost < 0m) cost = 0m;
        foreach (var reservation in reservations) state.Gate.Store.Settle(reservation, cost);
    }

    /// <summary>Charges what a call whose reservations were already released (a late answer after the caller cancelled) cost.</summary>
    public static void Charge(PlanState state, BudgetReservation[]? reservations, decimal cost)
    {
        if (reservations is null || cost <= 0m) return;
        foreach (var reservation in reservations) state.Gate.Store.Charge(reservation.Budget, reservation.Scope, cost);
    }

    /// <summary>
    /// The expected cost of a call on <paramref name="tier"/>: the request's input tokens (four characters a token) and the
    /// kind's expected output (and thinking) tokens (<see cref="TokenProfile.For"/>) at the tier's prices.
    /// </summary>
    private static decimal Needed(RouteCall route, TierSpec tier)
    {
        var profile = TokenProfile.For(route.Plan.Kind);
        return tier.Cost(TokenProfile.EstimateTokens(route.InputCharacters), profile.OutputTokens, tier.ExtendedThinking ? profile.ReasoningTokens : 0);
    }

    /// <summary>Whether every downgrade budget can still pay for a call on <paramref name="tier"/>.</summary>
    private static bool Affordable(RouteCall route, TierSpec tier, out string? capping)
    {
        var needed = Needed(route, tier);
        foreach (var budget in route.State.Budgets)
        {
            if (budget.Action != BudgetAction.Downgrade) continue;
            var usage = route.State.Gate.Store.Read(budget, budget.CurrentScope());
            if (usage.SpentUsd + usage.ReservedUsd + needed > budget.LimitUsd)
            {
                capping = budget.Name;
                return false;
            }
        }

        capping = null;
        return true;
    }

    /// <summary>Share of a downgrade budget's limit spent or reserved this period, in the scope of the call.</summary>
    private static double UsedShare(IBudgetStore store, RoutingBudget budget)
    {
        var usage = store.Read(budget, budget.CurrentScope());
        return (double)((usage.SpentUsd + usage.ReservedUsd) / budget.LimitUsd);
    }

    /// <summary>
    /// Reserves <paramref name="needed"/> in every budget of the plan, each in the call's scope; null when all could pay,
    /// else the first that could not (with what it had spent and reserved), the reservations already made released. A
    /// store that cannot decide throws, the reservations already made released too.
    /// </summary>
    private static RoutingBudget? ReserveAll(PlanState state, decimal needed, out BudgetReservation[] reservations, out BudgetUsage usage)
    {
        var budgets = state.Budgets;
        var store = state.Gate.Store;
        reservations = new BudgetReservation[budgets.Length];
        usage = default;
        var b = 0;
        try
        {
            for (; b < budgets.Length; b++)
            {
                if (store.TryReserve(budgets[b], budgets[b].CurrentScope(), needed, out usage) is { } reservation)
                {
                    reservations[b] = reservation;
                    continue;
                }

                Release(store, reservations, b);
                return budgets[b];
            }
        }
        catch
        {
            Release(store, reservations, b);
            throw;
        }

        return null;
    }

    private static void Release(IBudgetStore store, BudgetReservation[] reservations, int count)
    {
        for (var undo = 0; undo < count; undo++) store.Settle(reservations[undo], 0m);
    }
}
