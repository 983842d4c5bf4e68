using System;
using System.Threading;
using System.Threading.Tasks;

namespace RoutingSdk;

/// <summary>The classifier step of a <see cref="Escalation.Classifier"/> plan: the chain position the call starts at.</summary>
internal static class StartTierChoice
{
    /// <summary>The first chain tier at or above the rank of the tier the classifier chose; 0 when it chose none or one outside the catalog.</summary>
    public static async ValueTask<int> ChooseAsync(ITierClassifier classifier, TaskRouter router, RouteCall route, CancellationToken cancellationToken)
    {
        var plan = route.Plan;
        var choosing = classifier.ChooseStartTierAsync(new TierClassificationContext(plan, route.Messages, route.InputCharacters, router), cancellationToken);
        // The caller's cancellation ends the wait at once, even for a classifier of the application's that ignores the token.
        var chosen = choosing.IsCompleted || !cancellationToken.CanBeCanceled
            ? await choosing.ConfigureAwait(false)
            : await TierClients.Until(Observed(choosing.AsTask()), cancellationToken).ConfigureAwait(false);
        var tier = chosen is null ? null : plan.Catalog.Find(chosen);
        if (tier is null) return 0;
        var tiers = route.State.Tiers;
        for (var i = 0; i < tiers.Length; i++)
        {
            if (tiers[i].Rank >= tier.Rank) return i;
        }

        return tiers.Length - 1;
    }

    /// <summary><paramref name="choosing"/>, whose failure, should the caller have stopped waiting for it, is observed.</summary>
    private static Task<string?> Observed(Task<string?> choosing)
    {
        _ = choosing.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return choosing;
    }
}
