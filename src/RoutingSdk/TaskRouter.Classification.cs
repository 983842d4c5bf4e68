using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using RoutingSdk.Planning;

namespace RoutingSdk;

/// <summary>The hooks a classifier that calls a tier itself (<see cref="ModelTierClassifier"/>) uses to pay for and book that call.</summary>
public sealed partial class TaskRouter
{
    /// <summary>
    /// Before a classifier calls <paramref name="tier"/>: reserves the call's expected cost (the request's input tokens,
    /// four characters a token, and at most <paramref name="maxOutputTokens"/>) in every budget of the plan, as a tier
    /// call does. Null, with nothing reserved, when a budget cannot pay for it (or its store cannot decide): the classifier is an optimisation, so the
    /// call then starts on the plan's start tier, and that tier's own reservation decides whether it may run.
    /// </summary>
    internal ValueTask<BudgetReservation[]?> TryReserveClassificationAsync(RoutePlan plan, TierSpec tier, IReadOnlyList<ChatMessage> request, int maxOutputTokens)
        => BudgetGate.TryReserveAsync(_states.For(plan), tier, request, maxOutputTokens);

    /// <summary>
    /// Books a call a classifier made to choose the start tier, and settles its reservations (from
    /// <see cref="TryReserveClassificationAsync"/>) against the actual cost. With <paramref name="response"/> null the call
    /// failed: it costs nothing and its reservations are released.
    /// </summary>
    internal ValueTask BookClassificationAsync(RoutePlan plan, TierSpec tier, ChatResponse? response, IReadOnlyList<ChatMessage> request, string answer,
        BudgetReservation[]? reservations)
        => BudgetGate.SettleAsync(_states.For(plan), reservations, _recorder.BookClassification(plan, tier, response, request, answer));

    /// <summary>
    /// A classifier's call that the caller cancelled while the tier was still answering (its reservations already released
    /// by <see cref="BookClassificationAsync"/>): booked and charged when its answer arrives, as a tier's late answer is.
    /// </summary>
    internal void BookClassificationLate(RoutePlan plan, TierSpec tier, Task<ChatResponse> late, IReadOnlyList<ChatMessage> request, BudgetReservation[]? reservations)
        => BookLate(late, _states.For(plan), reservations, response => _recorder.BookClassification(plan, tier, response, request, response.Text ?? string.Empty));
}
