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
        var chosen = await classifier.ChooseStartTierAsync(new TierClassificationContext(plan, route.Messages, route.InputCharacters, router), cancellationToken).ConfigureAwait(false);
        var tier = chosen is null ? null : plan.Catalog.Find(chosen);
        if (tier is null) return 0;
        var tiers = route.State.Tiers;
        for (var i = 0; i < tiers.Length; i++)
        {
            if (tiers[i].Rank >= tier.Rank) return i;
        }

        return tiers.Length - 1;
    }
}
