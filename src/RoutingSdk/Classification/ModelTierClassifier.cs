using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace RoutingSdk;

/// <summary>
/// A classifier that asks a tier (the small one by default) how hard the request is, with a one-word answer:
/// <c>easy</c> starts on the chain's first tier, <c>medium</c> on its middle, <c>hard</c> on its last. Its calls are
/// booked in the ledger under the task's name with <see cref="CallOutcome.Classification"/>, and budgets reserve and
/// settle them as they do tier calls. When the tier fails, answers something else, or a budget cannot pay for the
/// classifying call, the call starts on the plan's start tier. The request's text is sent to that tier.
/// </summary>
public sealed class ModelTierClassifier : ITierClassifier
{
    /// <summary>The system message of the classifying call.</summary>
    public const string Instructions =
        "You route requests to language models. Read the request and answer with one word: easy (routine: a small model does it well), medium, or hard (needs careful expert judgment).";

    /// <summary>Most output tokens the classifying call may spend (one word).</summary>
    private const int MaxOutputTokens = 4;

    private readonly string _tier;

    /// <summary>Creates a classifier that asks <paramref name="tier"/>.</summary>
    public ModelTierClassifier(string tier = "small") => _tier = tier ?? throw new ArgumentNullException(nameof(tier));

    /// <inheritdoc />
    public async ValueTask<string?> ChooseStartTierAsync(TierClassificationContext context, CancellationToken cancellationToken)
    {
        if (context is null) throw new ArgumentNullException(nameof(context));
        var plan = context.Plan;
        var tier = plan.Catalog.Find(_tier);
        var client = tier is null ? null : context.Router.GetTierClient(tier.Name);
        if (tier is null || client is null) return null;

        var request = new List<ChatMessage>(context.Messages.Count + 1) { new(ChatRole.System, Instructions) };
        foreach (var message in context.Messages)
        {
            if (message.Role != ChatRole.System) request.Add(message);
        }

        // Budgets pay for the classifying call too: reserved before it, settled against its cost after.
        if (await context.Router.TryReserveClassificationAsync(plan, tier, request, MaxOutputTokens).ConfigureAwait(false) is not { } reservations) return null;
        ChatResponse response;
        var pending = TierClients.Invoke(client, request, new ChatOptions { ModelId = tier.ModelId, MaxOutputTokens = MaxOutputTokens }, cancellationToken);
        try
        {
            // The caller's cancellation ends the wait at once, even when the tier ignores the token.
            response = await TierClients.Until(pending, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Released now; an answer still on its way is booked (and charged) when it arrives.
            await context.Router.BookClassificationAsync(plan, tier, null, request, string.Empty, reservations).ConfigureAwait(false);
            if (pending is { IsFaulted: false, IsCanceled: false }) context.Router.BookClassificationLate(plan, tier, pending, request, reservations);
            throw;
        }
        catch (Exception)
        {
            await context.Router.BookClassificationAsync(plan, tier, null, request, string.Empty, reservations).ConfigureAwait(false);
            return null;   // the classifier is an optimisation: without it the plan's start tier is used
        }

        var text = response?.Text ?? string.Empty;
        await context.Router.BookClassificationAsync(plan, tier, response, request, text, reservations).ConfigureAwait(false);
        if (response is null) return null;
        var word = text.Trim().Trim('"', '\'', '.', '*').ToLowerInvariant();
        var chain = plan.Chain;
        return word switch
        {
            "easy" => chain[0],
            "medium" => chain[chain.Count / 2],
            "hard" => chain[chain.Count - 1],
            _ => null,
        };
    }
}
