using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace RoutingSdk;

/// <summary>
/// Picks the start tier of a call of an <see cref="Escalation.Classifier"/> task before any tier is called. From the
/// chosen tier on, the call runs as a cascade. Set it in <see cref="RoutingOptions.Classifier"/> or register it in the
/// service collection; without one, <see cref="HeuristicTierClassifier"/> decides.
/// </summary>
public interface ITierClassifier
{
    /// <summary>
    /// The name of the tier to start on. A tier of the plan's chain starts there; a cheaper tier than the chain's start
    /// starts on the chain's start; a tier between chain tiers starts on the next chain tier above it; null or an
    /// unknown name starts on the plan's start tier.
    /// </summary>
    ValueTask<string?> ChooseStartTierAsync(TierClassificationContext context, CancellationToken cancellationToken);
}

/// <summary>The request a classifier sees.</summary>
public sealed class TierClassificationContext
{
    /// <summary>Creates a context.</summary>
    public TierClassificationContext(RoutePlan plan, IReadOnlyList<ChatMessage> messages, int inputCharacters, TaskRouter router)
    {
        Plan = plan;
        Messages = messages;
        InputCharacters = inputCharacters;
        Router = router;
    }

    /// <summary>The task's plan (its chain lists the tiers to choose from).</summary>
    public RoutePlan Plan { get; }

    /// <summary>The messages the tier will be sent.</summary>
    public IReadOnlyList<ChatMessage> Messages { get; }

    /// <summary>Characters of text in <see cref="Messages"/>.</summary>
    public int InputCharacters { get; }

    /// <summary>The router, for classifiers that call a tier themselves (<see cref="TaskRouter.GetTierClient"/>) and book it.</summary>
    public TaskRouter Router { get; }
}
