using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace RoutingSdk;

/// <summary>The built-in answer scorers.</summary>
public static class AnswerScorers
{
    /// <summary>The key under which a tier client may put the token log-probabilities of its answer in <c>ChatResponse.AdditionalProperties</c>.</summary>
    public const string LogProbabilitiesProperty = "logprobs";

    /// <summary>
    /// The confidence a tier client reports in <c>ChatResponse.AdditionalProperties["confidence"]</c> (any number type, a
    /// numeric string or a JSON number). In <see cref="RoutingOptions.Scorers"/> by default.
    /// </summary>
    public static IAnswerScorer ReportedConfidence { get; } = new ReportedConfidenceScorer();

    /// <summary>
    /// The confidence the model writes on the last line of its answer (<c>Confidence: 0.8</c>) when
    /// <see cref="RoutingOptions.AskForConfidence"/> is on; no opinion when it wrote none. In
    /// <see cref="RoutingOptions.Scorers"/> by default (it has no opinion unless the router asked).
    /// </summary>
    public static IAnswerScorer SelfReported { get; } = new SelfReportedScorer();

    /// <summary>
    /// The geometric mean of the answer's token probabilities, <c>exp(mean(logprob))</c>, from the log-probabilities the
    /// provider returned. <paramref name="extract"/> finds them in a response; by default they are read from
    /// <c>ChatResponse.AdditionalProperties["logprobs"]</c> (numbers, a JSON array of numbers, or of objects with a
    /// <c>logprob</c> member) and from the same key on the response's messages. No opinion when there are none.
    /// </summary>
    /// <param name="extract">Reads the per-token log-probabilities from a response, for providers that keep them in
    /// <c>RawRepresentation</c> (for example OpenAI's <c>ChatCompletion.ContentTokenLogProbabilities</c>).</param>
    public static IAnswerScorer LogProbabilities(Func<ChatResponse, IEnumerable<double>?>? extract = null)
        => new LogProbabilityScorer(extract ?? DefaultLogProbabilities);

    /// <summary>Reads a confidence value of any number type; null when it is not a number.</summary>
    internal static double? ReadNumber(object? raw) => raw switch
    {
        double d => d,
        float f => f,
        decimal m => (double)m,
        int i => i,
        long l => l,
        JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
        JsonElement { ValueKind: JsonValueKind.String } e when double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    private static IEnumerable<double>? DefaultLogProbabilities(ChatResponse response)
    {
        if (response.AdditionalProperties is { } props && props.TryGetValue(LogProbabilitiesProperty, out var raw) && raw is not null) return Numbers(raw);
        foreach (var message in response.Messages)
        {
            if (message.AdditionalProperties is { } m && m.TryGetValue(LogProbabilitiesProperty, out var r) && r is not null) return Numbers(r);
        }

        return null;
    }

    private static IEnumerable<double> Numbers(object raw)
    {
        if (raw is JsonElement { ValueKind: JsonValueKind.Array } array)
        {
            foreach (var item in array.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Number) yield return item.GetDouble();
                else if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("logprob", out var lp) && lp.ValueKind == JsonValueKind.Number) yield return lp.GetDouble();
            }

            yield break;
        }

        if (raw is IEnumerable sequence and not string)
        {
            foreach (var item in sequence)
            {
                if (ReadNumber(item) is { } n) yield return n;
            }
        }
    }

    private sealed class ReportedConfidenceScorer : IAnswerScorer
    {
        public double? Score(in AnswerScoringContext context)
            => context.Response.AdditionalProperties is { } props && props.TryGetValue(TaskRouter.ConfidenceProperty, out var raw) ? ReadNumber(raw) : null;
    }

    private sealed class SelfReportedScorer : IAnswerScorer
    {
        public double? Score(in AnswerScoringContext context) => context.SelfReportedConfidence;
    }

    private sealed class LogProbabilityScorer : IAnswerScorer
    {
        private readonly Func<ChatResponse, IEnumerable<double>?> _extract;

        public LogProbabilityScorer(Func<ChatResponse, IEnumerable<double>?> extract) => _extract = extract;

        public double? Score(in AnswerScoringContext context)
        {
            var values = _extract(context.Response);
            if (values is null) return null;
            double sum = 0;
            var count = 0;
            foreach (var value in values)
            {
                if (double.IsNaN(value) || value > 0) return 0;   // not a log-probability: no confidence in it
                sum += value;
                count++;
            }

            return count == 0 ? null : Math.Exp(sum / count);
        }
    }
}
