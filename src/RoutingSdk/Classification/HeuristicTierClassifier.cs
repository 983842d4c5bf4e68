using System;
using System.Threading;
using System.Threading.Tasks;
using RoutingSdk.Planning;

namespace RoutingSdk;

/// <summary>
/// The built-in classifier: compares the request's size with what the task's kind expects and starts larger requests
/// higher up the chain. Estimated input tokens (four characters a token) up to <see cref="SmallFactor"/> times the
/// kind's expected input start on the chain's first tier; up to <see cref="LargeFactor"/> times on the second; larger
/// ones on the third (or the last, in shorter chains). Costs no call and no allocation.
/// </summary>
public sealed class HeuristicTierClassifier : ITierClassifier
{
    /// <summary>The shared instance with the default factors.</summary>
    public static HeuristicTierClassifier Default { get; } = new();

    /// <summary>Requests up to this many times the kind's expected input tokens start on the chain's first tier. Default 1.5.</summary>
    public double SmallFactor { get; set; } = 1.5;

    /// <summary>Requests up to this many times the kind's expected input tokens start on the chain's second tier. Default 4.</summary>
    public double LargeFactor { get; set; } = 4;

    /// <inheritdoc />
    public ValueTask<string?> ChooseStartTierAsync(TierClassificationContext context, CancellationToken cancellationToken)
    {
        if (context is null) throw new ArgumentNullException(nameof(context));
        return new ValueTask<string?>(Choose(context.Plan, context.InputCharacters));
    }

    /// <summary>The tier the heuristic picks for a request of <paramref name="inputCharacters"/> characters.</summary>
    public string Choose(RoutePlan plan, int inputCharacters)
    {
        if (plan is null) throw new ArgumentNullException(nameof(plan));
        var expected = Math.Max(1, TokenProfile.For(plan.Kind).InputTokens);
        var ratio = (inputCharacters / 4.0) / expected;
        var position = ratio <= SmallFactor ? 0 : ratio <= LargeFactor ? 1 : 2;
        return plan.Chain[Math.Min(position, plan.Chain.Count - 1)];
    }
}
