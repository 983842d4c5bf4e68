using System;
using System.Runtime.CompilerServices;

namespace RoutingSdk;

/// <summary>
/// A router's <see cref="PlanState"/> per plan, kept by the router (the public <see cref="RoutePlan"/> carries nothing of
/// it). Weakly: a plan made for one call (or one chat client) is collected with its state when it is dropped. In front of
/// that table a small direct-mapped cache answers the common case — the same few plans called again and again — with one
/// array read and no lock; a slot holds the state (never its plan, which the state references weakly) until another plan with the same slot replaces it.
/// </summary>
internal sealed class PlanStates
{
    private const int Slots = 32;   // a power of two: the slot is the identity hash's low bits

    private readonly ConditionalWeakTable<RoutePlan, PlanState> _table = new();
    private readonly ConditionalWeakTable<RoutePlan, PlanState>.CreateValueCallback _create;
    private readonly PlanState?[] _recent = new PlanState?[Slots];

    public PlanStates(Func<RoutePlan, PlanState> create) => _create = plan => create(plan);

    public PlanState For(RoutePlan plan)
    {
        var slot = RuntimeHelpers.GetHashCode(plan) & (Slots - 1);
        var state = _recent[slot];
        if (state is not null && state.IsFor(plan)) return state;
        state = _table.GetValue(plan, _create);
        _recent[slot] = state;
        return state;
    }
}
