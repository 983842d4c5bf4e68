using Microsoft.Extensions.AI;
using RoutingSdk.Planning;

namespace RoutingSdk;

/// <summary>
/// Gives a tier's parsed answer a confidence from 0 to 1. The router asks every scorer of
/// <see cref="RoutingOptions.Scorers"/>; the answer's score is the lowest opinion given (a validator on the task counts
/// as one more opinion), or 1 when no scorer has one. An answer that does not parse scores 0 without asking.
/// </summary>
/// <remarks>Scorers run on every answered call and must be thread-safe and cheap; return null for "no opinion".</remarks>
public interface IAnswerScorer
{
    /// <summary>The confidence (0–1) in the answer, or null when this scorer has no opinion on it.</summary>
    double? Score(in AnswerScoringContext context);
}

/// <summary>What a scorer sees of one answered tier call.</summary>
public readonly struct AnswerScoringContext
{
    /// <summary>Creates a context.</summary>
    public AnswerScoringContext(RoutePlan plan, TierSpec tier, int position, ChatResponse response, string text, double? selfReportedConfidence)
    {
        Plan = plan;
        Tier = tier;
        Position = position;
        Response = response;
        Text = text;
        SelfReportedConfidence = selfReportedConfidence;
    }

    /// <summary>The task's plan.</summary>
    public RoutePlan Plan { get; }

    /// <summary>The tier that answered.</summary>
    public TierSpec Tier { get; }

    /// <summary>The tier's position in the plan's chain (0 for the start tier; -1 for a tier a budget downgraded to).</summary>
    public int Position { get; }

    /// <summary>The tier client's response.</summary>
    public ChatResponse Response { get; }

    /// <summary>The answer text that was parsed (without a self-reported confidence line).</summary>
    public string Text { get; }

    /// <summary>The confidence the model wrote in its answer when <see cref="RoutingOptions.AskForConfidence"/> is on and it did.</summary>
    public double? SelfReportedConfidence { get; }
}
