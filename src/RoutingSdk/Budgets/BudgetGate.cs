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
    private readonly BudgetTracker[] _trackers;

    public BudgetGate(IEnumerable<RoutingBudget> budgets, TimeProvider time) => _trackers = budgets.Select(b => new BudgetTracker(b, time)).ToArray();

    /// <summary>Every budget's tracker, in the order of <see cref="RoutingOptions.Budgets"/>.</summary>
    public BudgetTracker[] Trackers => _trackers;

    /// <summary>The trackers of the budgets that apply to <paramref name="taskName"/>.</summary>
    public BudgetTracker[] For(string taskName) => _trackers.Where(b => b.Budget.AppliesTo(taskName)).ToArray();

    /// <summary>Caps the call at a cheaper tier when a downgrade budget is used past its mark.</summary>
    public static void ApplyDowngrade(RoutePlan plan, PlanState state, ref int first, ref int end, out TierSpec? substitute)
    {
        substitute = null;
        TierSpec? cap = null;
        RoutingBudget? capping = null;
        foreach (var tracker in state.Budgets)
        {
            var budget = tracker.Budget;
            if (budget.Action != BudgetAction.Downgrade || tracker.UsedShare() < budget.DowngradeAt) continue;
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
    public static (BudgetTracker Tracker, long Window, decimal Amount)[]? Reserve(RouteCall route, TierSpec tier)
    {
        var budgets = route.State.Budgets;
        if (budgets.Length == 0) return null;
        var needed = Needed(route, tier);
        if (ReserveAll(budgets, needed, out var reservations, out var spent, out var reserved) is not { } refused) return reservations;
        throw new BudgetExceededException(refused.Name, route.State.TaskName, tier.Name, refused.LimitUsd, spent, reserved, needed);
    }

    /// <summary>
    /// Before a classifier calls <paramref name="tier"/>: reserves the call's expected cost (the request's input tokens and
    /// at most <paramref name="maxOutputTokens"/>) in every budget of the plan. False, with nothing reserved, when a budget
    /// cannot pay for it.
    /// </summary>
    public static bool TryReserve(PlanState state, TierSpec tier, IReadOnlyList<ChatMessage> request, int maxOutputTokens,
        out (BudgetTracker Tracker, long Window, decimal Amount)[]? reservations)
    {
        reservations = null;
        var budgets = state.Budgets;
        if (budgets.Length == 0) return true;
        var needed = tier.Cost(TokenProfile.EstimateTokens(RouteCall.CountCharacters(request)), maxOutputTokens);
        if (ReserveAll(budgets, needed, out var reserved, out _, out _) is not null) return false;
        reservations = reserved;
        return true;
    }

    /// <summary>Settles reservations against the call's actual cost (0 for a call that failed; never below 0, so a budget never refills).</summary>
    public static void Settle((BudgetTracker Tracker, long Window, decimal Amount)[]? reservations, decimal cost)
    {
        if (reservations is null) return;
        if (cost < 0m) cost = 0m;
        foreach (var (tracker, window, amount) in reservations) tracker.Settle(window, amount, cost);
    }

    /// <summary>Charges what a call whose reservations were already released (a late answer after the caller cancelled) cost.</summary>
    public static void Charge((BudgetTracker Tracker, long Window, decimal Amount)[]? reservations, decimal cost)
    {
        if (reservations is null || cost <= 0m) return;
        foreach (var (tracker, window, _) in reservations) tracker.Settle(window, 0m, cost);
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
        foreach (var tracker in route.State.Budgets)
        {
            if (tracker.Budget.Action != BudgetAction.Downgrade) continue;
            var (spent, reserved) = tracker.Read();
            if (spent + reserved + needed > tracker.Budget.LimitUsd)
            {
                capping = tracker.Budget.Name;
                return false;
            }
        }

        capping = null;
        return true;
    }

    /// <summary>
    /// Reserves <paramref name="needed"/> in every budget; null when all could pay, else the first that could not (with
    /// what it had spent and reserved), the reservations already made released.
    /// </summary>
    private static RoutingBudget? ReserveAll(BudgetTracker[] budgets, decimal needed, out (BudgetTracker Tracker, long Window, decimal Amount)[] reservations,
        out decimal spent, out decimal reserved)
    {
        reservations = new (BudgetTracker, long, decimal)[budgets.Length];
        spent = reserved = 0m;
        for (var b = 0; b < budgets.Length; b++)
        {
            if (budgets[b].TryReserve(needed, out spent, out reserved) is { } window)
            {
                reservations[b] = (budgets[b], window, needed);
                continue;
            }

            for (var undo = 0; undo < b; undo++) reservations[undo].Tracker.Settle(reservations[undo].Window, needed, 0m);
            return budgets[b].Budget;
        }

        return null;
    }
}
