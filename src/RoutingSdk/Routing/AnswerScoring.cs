using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using RoutingSdk.Planning;

namespace RoutingSdk;

/// <summary>
/// Turns a tier's answer into a score: 0 when it does not parse into the task's return type; otherwise the lowest opinion
/// of the router's scorers and of the task's validator, or 1 when none has one. A scorer or validator that throws cannot
/// vouch for the answer: the score is NaN and the answer counts as unread. An answer the tier did not finish (see
/// <see cref="Unfinished"/>) is no answer of a task call, and scores 0 in a chat request, whatever its confidence.
/// </summary>
internal sealed class AnswerScoring
{
    private readonly IAnswerScorer[] _scorers;
    private readonly bool _onlyResponseProperties;
    private readonly bool _askForConfidence;

    public AnswerScoring(RoutingOptions options)
    {
        // The self-reported scorer has an opinion only when the router asks for one.
        _scorers = options.Scorers.Where(s => options.AskForConfidence || !ReferenceEquals(s, AnswerScorers.SelfReported)).ToArray();
        // The default scorers but the self-reported one read the response's additional properties only.
        _onlyResponseProperties = _scorers.All(s => ReferenceEquals(s, AnswerScorers.ReportedConfidence) || ReferenceEquals(s, AnswerScorers.DefaultLogProbabilities));
        _askForConfidence = options.AskForConfidence;
    }

    /// <summary>The start tier's score on the fast path (the answer parsed); NaN when a scorer or the validator throws, or the tier did not finish the answer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double FastScore<T>(RoutePlan plan, TierSpec tier, ChatResponse response, string text, Func<T, double>? validator, T value)
        // With the default scorers and no validator, a response without additional properties has no opinion: score 1, no call.
        => validator is null && (_scorers.Length == 0 || (_onlyResponseProperties && !AnswerScorers.HasProperties(response))) && !IsFinishedShort(response) ? 1.0
            : Unfinished(response, null) is not null ? double.NaN
            : TryScore(plan, tier, 0, response, text, null, validator, value, null);

    /// <summary>
    /// Why the tier did not finish its answer, or null when it did: it stopped at its output limit (finish reason
    /// <c>length</c>; in a chat request, only when the caller set no <see cref="ChatOptions.MaxOutputTokens"/>: the limit it
    /// asked for is its business), its content filter removed it (<c>content_filter</c>), or it sent a refusal or an error
    /// (<see cref="ErrorContent"/>: the Microsoft.Extensions.AI OpenAI client's form of a <c>refusal</c>) instead. Such an
    /// answer cannot be accepted on its score: the JSON of an answer cut short may still parse, and the log-probabilities of
    /// the tokens the tier did send may be high.
    /// </summary>
    internal static string? Unfinished(ChatResponse response, ChatOptions? callerOptions)
    {
        if (response.FinishReason is { } reason)
        {
            if (reason == ChatFinishReason.Length && callerOptions?.MaxOutputTokens is null) return "the tier cut the answer short at its output limit (finish reason 'length')";
            if (reason == ChatFinishReason.ContentFilter) return "the tier's content filter withheld the answer (finish reason 'content_filter')";
        }

        try
        {
            // Indexed, not foreach: the fast path allocates nothing.
            var messages = response.Messages;
            for (var i = 0; i < messages.Count; i++)
            {
                var contents = messages[i].Contents;
                for (var j = 0; j < contents.Count; j++)
                {
                    if (contents[j] is ErrorContent) return "the tier sent a refusal or an error instead of an answer";
                }
            }
        }
        catch (Exception)
        {
            // Messages that cannot be read are judged by the reader.
        }

        return null;
    }

    /// <summary>The cheap part of <see cref="Unfinished"/> for the fast path: a finish reason other than stop, or a message shape other than one text.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsFinishedShort(ChatResponse response)
        => (response.FinishReason is { } reason && reason != ChatFinishReason.Stop)
            || response.Messages is not System.Collections.Generic.List<ChatMessage> { Count: 1 } messages || messages[0].Contents is not System.Collections.Generic.List<AIContent> { Count: 1 } contents
            || contents[0] is not TextContent;

    /// <summary>
    /// Reads the answer (without a self-reported confidence line, for task calls that asked for one), parses and scores it;
    /// returns the text. <paramref name="parsed"/> is false when it did not parse or could not be scored (score NaN). With
    /// <paramref name="signals"/>, a parsed answer's signals are recorded there: the scorers that gave an opinion, the
    /// validator, and parse failure when the result is not text (see <see cref="EscalationSignals"/>).
    /// </summary>
    public string Evaluate<T, TReader>(RoutePlan plan, ChatOptions? callerOptions, int position, TierSpec tier, ChatResponse response, TReader reader, Func<T, double>? validator,
        out bool parsed, out double score, out T value, SignalsSeen? signals = null)
        where TReader : struct, IAnswerReader<T>
    {
        var chatRequest = callerOptions is not null;
        var text = AnswerText.Of(response);
        double? selfReported = null;
        if (_askForConfidence && !chatRequest) text = SelfReportedConfidence.Split(text, out selfReported);
        parsed = reader.TryRead(response, text, out value);
        score = 0.0;
        if (!parsed) return text;
        if (signals is not null)
        {
            signals.Value = typeof(T) == typeof(string) || typeof(T) == typeof(ChatResponse) ? EscalationSignals.None : EscalationSignals.ParseFailure;
            if (validator is not null) signals.Value |= EscalationSignals.Validator;
        }

        if (Unfinished(response, callerOptions) is not null)
        {
            // A task's result carries no finish reason: never returned. A chat response does: it scores 0, and the chain's last
            // tier returns it (at the default LastTierMinimumScore) with its finish reason for the caller to see.
            if (!chatRequest) parsed = false;
            return text;
        }

        score = TryScore(plan, tier, position, response, text, selfReported, validator, value, signals);
        if (double.IsNaN(score)) parsed = false;
        return text;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private double TryScore<T>(RoutePlan plan, TierSpec tier, int position, ChatResponse response, string text, double? selfReported, Func<T, double>? validator, T value,
        SignalsSeen? signals)
    {
        try
        {
            return Score(plan, tier, position, response, text, selfReported, validator, value, signals);
        }
        catch (Exception)
        {
            // A validator or scorer that throws cannot vouch for the answer: it is rejected, even on the last tier.
            return double.NaN;
        }
    }

    private double Score<T>(RoutePlan plan, TierSpec tier, int position, ChatResponse response, string text, double? selfReported, Func<T, double>? validator, T value,
        SignalsSeen? signals)
    {
        var score = 1.0;
        var scorers = _scorers;
        if (scorers.Length > 0)
        {
            var context = new AnswerScoringContext(plan, tier, position, response, text, selfReported);
            for (var i = 0; i < scorers.Length; i++)
            {
                if (scorers[i].Score(in context) is not { } opinion) continue;
                score = Math.Min(score, Clamp(opinion));
                if (signals is not null) signals.Value |= SignalOf(scorers[i]);
            }
        }

        if (validator is not null) score = Math.Min(score, Clamp(validator(value)));
        return score;
    }

    private static EscalationSignals SignalOf(IAnswerScorer scorer)
        => ReferenceEquals(scorer, AnswerScorers.ReportedConfidence) ? EscalationSignals.ReportedConfidence
            : ReferenceEquals(scorer, AnswerScorers.DefaultLogProbabilities) ? EscalationSignals.LogProbabilities
            : ReferenceEquals(scorer, AnswerScorers.SelfReported) ? EscalationSignals.SelfReportedConfidence
            : EscalationSignals.CustomScorer;

    /// <summary>An opinion as a score: 0 to 1; NaN and the infinities are no score, and count as 0, never as passing.</summary>
    private static double Clamp(double value) => double.IsNaN(value) || double.IsInfinity(value) || value < 0 ? 0 : value > 1 ? 1 : value;
}

/// <summary>The signals one answer was judged on (filled by <see cref="AnswerScoring.Evaluate"/> when the router wants to know).</summary>
internal sealed class SignalsSeen
{
    public EscalationSignals Value { get; set; }
}
