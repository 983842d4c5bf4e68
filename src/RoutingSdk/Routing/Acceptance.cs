using System;
using System.Globalization;
using Microsoft.Extensions.AI;
using RoutingSdk.Planning;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk;

/// <summary>
/// Decides each evaluated answer with the kernel's <see cref="ChainWalk"/>: by the position's acceptance threshold, or
/// by its acceptor from the answer and what the tiers called before it answered (the call's acceptance history); the
/// last tier of the chain at <see cref="RoutingOptions.LastTierMinimumScore"/>. Says why a rejected answer was rejected.
/// </summary>
internal sealed class Acceptance
{
    private readonly double _lastTierMinimumScore;
    private readonly bool _recordContent;

    public Acceptance(RoutingOptions options)
    {
        _lastTierMinimumScore = options.LastTierMinimumScore;
        _recordContent = options.RecordContent;
    }

    /// <summary>The shadow guardrail, which may tighten a position's acceptance (null: none).</summary>
    public ShadowGuard? Guard { get; set; }

    /// <summary>Whether the start tier's parsed answer (score NaN: unscored) is accepted on the fast path, which has no budget.</summary>
    public static bool AcceptsAtStart(PlanState state, double score, ChatResponse response, string text)
    {
        if (state.StartAcceptor is not { } acceptor) return score >= state.FastThreshold;
        var probability = acceptor.FirstPositionProbability(LogScore(score), CallRecorder.OutputTokens(response.Usage, text.Length));
        return ChainWalk.Step(0, state.Tiers.Length, acceptor, probability).Accepted;
    }

    /// <summary>
    /// Decides the answer at <paramref name="position"/> (-1: a downgrade's substitute tier, which ends the chain).
    /// <paramref name="parsed"/> is false for an answer that did not parse or could not be scored.
    /// </summary>
    public Verdict Judge(ref RouteCall route, int position, bool last, ChatResponse response, string text, bool parsed, double score)
    {
        var state = route.State;
        if (last || position < 0 || state.Acceptors is not { } acceptors || position >= acceptors.Length)
        {
            var threshold = last ? _lastTierMinimumScore : Guard is null ? state.Thresholds[position] : Guard.Minimum(state.TaskName, position, state.Thresholds[position]);
            return new Verdict(ChainWalk.Step(position, route.End, last, parsed ? score : double.NaN, threshold, skipBelow: double.NegativeInfinity), threshold, last);
        }

        // A calibrated acceptance model: the tier's score with its answer's length and the answers and scores of the
        // tiers already tried, as the outcome files it was fitted on recorded them. No probability (no confidence, no
        // answer) escalates to the next tier, never skips.
        var acceptor = acceptors[position];
        var probability = Probability(ref route, acceptor, position, parsed, score, response, text);
        var step = Guard is null ? ChainWalk.Step(position, route.End, acceptor, probability)
            : ChainWalk.Step(position, route.End, isLast: false, probability, Guard.Minimum(state.TaskName, position, acceptor.MinProbability), acceptor.SkipBelow);
        if (step.Skipped && route.SkipCapping is { } capping)
        {
            RoutingTelemetry.RecordDowngrade(state.TaskName, state.Tiers[position].Name, capping);
            // The tiers between are skipped: the tier called next is the last one, so that is the one a downgrade budget
            // must be able to pay for. When it cannot, the rule for a next tier the budget cannot pay applies (as in the
            // routing loop, with the last tier as the next): this tier ends the chain, a downgrade, and its answer is
            // judged as the last tier's. The query is not sent to a middle tier the budget could pay instead: the acceptor
            // found the answer not worth one. Should the answer fail even as the last tier's, the loop goes on to the tier
            // it would call next, the last.
            var asLast = ChainWalk.Step(position, route.End, isLast: true, score, _lastTierMinimumScore, skipBelow: double.NegativeInfinity);
            return new Verdict(asLast.Accepted ? asLast : step, _lastTierMinimumScore, last: true);
        }

        return new Verdict(step, state.Thresholds[position], last: false, acceptor, probability);
    }

    /// <summary>
    /// The acceptor's probability for the answer at <paramref name="position"/>, NaN when it has none; records the answer
    /// in the call's history when a later position may read it.
    /// </summary>
    private static double Probability(ref RouteCall route, Acceptor acceptor, int position, bool parsed, double score, ChatResponse response, string text)
    {
        var confidence = parsed ? LogScore(score) : double.NaN;
        var outputTokens = CallRecorder.OutputTokens(response.Usage, text.Length);
        if (position == 0)
        {
            // The start position reads no earlier answer: the history is written only when the call goes on.
            var first = parsed ? acceptor.FirstPositionProbability(confidence, outputTokens) : double.NaN;
            if (!(first >= acceptor.MinProbability)) Record(ref route, position, confidence, parsed, text);
            return first;
        }

        var history = Record(ref route, position, confidence, parsed, text);
        return parsed ? acceptor.ProbabilityAt(history.Confidences, history.Answers, outputTokens, position) : double.NaN;
    }

    /// <summary>A 0–1 score as the log-probability acceptors read (a score of 1, the common case, without a logarithm).</summary>
    private static double LogScore(double score) => score == 1 ? 0 : Math.Log(score);

    private static AcceptanceHistory Record(ref RouteCall route, int position, double confidence, bool parsed, string text)
    {
        var history = route.History ??= route.State.RentHistory();
        history.Confidences[position] = confidence;
        history.Answers[position] = parsed ? AnswerKey.Of(text) : null;
        return history;
    }

    /// <summary>Why a rejected answer was rejected, kept so that, if no later tier delivers, the exception names it too.</summary>
    public TierFailure Rejection<T>(RouteCall route, TierSpec tier, in Verdict verdict, ChatResponse response, string text, bool parsed, double score)
        => new(tier.Name, AnswerScoring.Unfinished(response, route.CallerOptions) is { } unfinished ? unfinished
            : double.IsNaN(score)
            ? "the answer's validator or a scorer threw an exception"
            : verdict.Step.Skipped && verdict.Acceptor is { } skipping
            ? string.Format(CultureInfo.InvariantCulture, "the acceptance model puts the answer's chance of being right at {0:0.###} (score {1:0.###}), below its skip level {2:0.###}: the query went straight to the last tier '{3}'",
                verdict.Probability, score, skipping.SkipBelow, route.State.Tiers[route.End - 1].Name)
            : parsed && verdict.Acceptor is { } acceptor
            ? string.Format(CultureInfo.InvariantCulture, "the acceptance model puts the answer's chance of being right at {0:0.###} (score {1:0.###}), below its {2:0.###}", verdict.Probability, score, acceptor.MinProbability)
            : parsed
            ? string.Format(CultureInfo.InvariantCulture, "the answer's confidence {0:0.###} is below the acceptance threshold {1}", score, verdict.Threshold)
            : text.Trim().Length == 0 ? "the answer was empty"
            : _recordContent ? $"the answer could not be read as {typeof(T).Name}: \"{Shorten(text)}\""
            : $"the answer could not be read as {typeof(T).Name} ({text.Length} characters; RoutingOptions.RecordContent shows it)");

    private static string Shorten(string text) => text.Length <= 80 ? text : text.Substring(0, 77) + "...";
}

/// <summary>What <see cref="Acceptance"/> decided about one answer.</summary>
internal readonly struct Verdict
{
    public Verdict(ChainStep step, double threshold, bool last, Acceptor? acceptor = null, double probability = double.NaN)
    {
        Step = step;
        Threshold = threshold;
        Last = last;
        Acceptor = acceptor;
        Probability = probability;
    }

    /// <summary>The walk's decision and the position called next.</summary>
    public ChainStep Step { get; }

    /// <summary>The score the answer needed, when judged by a threshold.</summary>
    public double Threshold { get; }

    /// <summary>Whether the answer was judged as the chain's last (its rejection is booked as rejected, not escalated).</summary>
    public bool Last { get; }

    /// <summary>The acceptor that judged the answer, or null (a threshold did).</summary>
    public Acceptor? Acceptor { get; }

    /// <summary>The acceptor's probability that the answer is right; NaN when none.</summary>
    public double Probability { get; }
}
