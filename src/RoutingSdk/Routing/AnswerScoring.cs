using System;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using RoutingSdk.Planning;

namespace RoutingSdk;

/// <summary>
/// Turns a tier's answer into a score: 0 when it does not parse into the task's return type; otherwise the lowest opinion
/// of the router's scorers and of the task's validator, or 1 when none has one. A scorer or validator that throws cannot
/// vouch for the answer: the score is NaN and the answer counts as unread.
/// </summary>
internal sealed class AnswerScoring
{
    private readonly IAnswerScorer[] _scorers;
    private readonly bool _onlyReportedConfidence;
    private readonly bool _askForConfidence;

    public AnswerScoring(RoutingOptions options)
    {
        // The self-reported scorer has an opinion only when the router asks for one.
        _scorers = options.Scorers.Where(s => options.AskForConfidence || !ReferenceEquals(s, AnswerScorers.SelfReported)).ToArray();
        _onlyReportedConfidence = _scorers.Length == 1 && ReferenceEquals(_scorers[0], AnswerScorers.ReportedConfidence);
        _askForConfidence = options.AskForConfidence;
    }

    /// <summary>The start tier's score on the fast path (the answer parsed); NaN when a scorer or the validator throws.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double FastScore<T>(RoutePlan plan, TierSpec tier, ChatResponse response, string text, Func<T, double>? validator, T value)
        // With the default scorers and no validator, a response without AdditionalProperties has no opinion: score 1, no call.
        => validator is null && (_scorers.Length == 0 || (_onlyReportedConfidence && response.AdditionalProperties is null)) ? 1.0
            : TryScore(plan, tier, 0, response, text, null, validator, value);

    /// <summary>
    /// Reads the answer (without a self-reported confidence line, for task calls that asked for one), parses and scores it;
    /// returns the text. <paramref name="parsed"/> is false when it did not parse or could not be scored (score NaN).
    /// </summary>
    public string Evaluate<T, TReader>(RoutePlan plan, bool chatRequest, int position, TierSpec tier, ChatResponse response, TReader reader, Func<T, double>? validator,
        out bool parsed, out double score, out T value)
        where TReader : struct, IAnswerReader<T>
    {
        var text = AnswerText.Of(response);
        double? selfReported = null;
        if (_askForConfidence && !chatRequest) text = SelfReportedConfidence.Split(text, out selfReported);
        parsed = reader.TryRead(response, text, out value);
        score = 0.0;
        if (!parsed) return text;
        score = TryScore(plan, tier, position, response, text, selfReported, validator, value);
        if (double.IsNaN(score)) parsed = false;
        return text;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private double TryScore<T>(RoutePlan plan, TierSpec tier, int position, ChatResponse response, string text, double? selfReported, Func<T, double>? validator, T value)
    {
        try
        {
            return Score(plan, tier, position, response, text, selfReported, validator, value);
        }
        catch (Exception)
        {
            // A validator or scorer that throws cannot vouch for the answer: it is rejected, even on the last tier.
            return double.NaN;
        }
    }

    private double Score<T>(RoutePlan plan, TierSpec tier, int position, ChatResponse response, string text, double? selfReported, Func<T, double>? validator, T value)
    {
        var score = 1.0;
        var scorers = _scorers;
        if (scorers.Length > 0)
        {
            var context = new AnswerScoringContext(plan, tier, position, response, text, selfReported);
            for (var i = 0; i < scorers.Length; i++)
            {
                if (scorers[i].Score(in context) is { } opinion) score = Math.Min(score, Clamp(opinion));
            }
        }

        if (validator is not null) score = Math.Min(score, Clamp(validator(value)));
        return score;
    }

    private static double Clamp(double value) => double.IsNaN(value) ? 0 : value < 0 ? 0 : value > 1 ? 1 : value;
}
