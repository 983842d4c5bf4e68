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
    /// <c>logprob</c> member) and from the same key on the response's messages. No opinion when there are none. The default
    /// scorer (no <paramref name="extract"/>) is in <see cref="RoutingOptions.Scorers"/> by default: a tier client that puts
    /// log-probabilities under that key (the RoutingSdk.OpenAI package's <c>UseOpenAILogProbabilities()</c> does) is scored
    /// on them with no further configuration.
    /// </summary>
    /// <param name="extract">Reads the per-token log-probabilities from a response, for providers that keep them elsewhere.</param>
    public static IAnswerScorer LogProbabilities(Func<ChatResponse, IEnumerable<double>?>? extract = null)
        => extract is null ? DefaultLogProbabilities : new LogProbabilityScorer(extract);

    /// <summary>The default log-probability scorer (one instance, so that the router can recognise it).</summary>
    internal static IAnswerScorer DefaultLogProbabilities { get; } = new LogProbabilityScorer(null);

    /// <summary>
    /// The confidence a response carries by itself, as the default scorers read it: the lower of the reported confidence
    /// and the log-probabilities' geometric mean; null when it has neither (or neither is a finite number).
    /// </summary>
    internal static double? ResponseConfidence(ChatResponse response)
    {
        double? reported = response.AdditionalProperties is { } props && props.TryGetValue(TaskRouter.ConfidenceProperty, out var raw) ? ReadNumber(raw) : null;
        if (reported is { } r && (double.IsNaN(r) || double.IsInfinity(r))) reported = null;
        var tokens = LogProbabilityScorer.FromProperties(response);
        return reported is { } a ? (tokens is { } b ? Math.Min(a, b) : a) : tokens;
    }

    /// <summary>Whether a response or one of its messages has additional properties (where the default scorers look); allocates nothing.</summary>
    internal static bool HasProperties(ChatResponse response)
    {
        if (response.AdditionalProperties is not null) return true;
        var messages = response.Messages;
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i].AdditionalProperties is not null) return true;
        }

        return false;
    }

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

    private sealed class ReportedConfidenceScorer : IAnswerScorer
    {
        public double? Score(in AnswerScoringContext context)
            => context.Response.AdditionalProperties is { } props && props.TryGetValue(TaskRouter.ConfidenceProperty, out var raw) ? ReadNumber(raw) : null;
    }

    private sealed class SelfReportedScorer : IAnswerScorer
    {
        public double? Score(in AnswerScoringContext context) => context.SelfReportedConfidence;
    }

    /// <summary>Token log-probabilities to confidence: <c>exp(mean)</c>; 0 when a value is not a log-probability; null when there are none.</summary>
    private sealed class LogProbabilityScorer : IAnswerScorer
    {
        private readonly Func<ChatResponse, IEnumerable<double>?>? _extract;

        public LogProbabilityScorer(Func<ChatResponse, IEnumerable<double>?>? extract) => _extract = extract;

        public double? Score(in AnswerScoringContext context)
        {
            if (_extract is null) return FromProperties(context.Response);
            var values = _extract(context.Response);
            if (values is null) return null;
            var mean = new Mean();
            foreach (var value in values) mean.Add(value);
            return mean.Confidence;
        }

        /// <summary>The default reading: the <c>logprobs</c> entry of the response's, else a message's, additional properties.</summary>
        public static double? FromProperties(ChatResponse response)
        {
            if (response.AdditionalProperties is { } props && props.TryGetValue(LogProbabilitiesProperty, out var raw) && raw is not null) return Of(raw);
            var messages = response.Messages;
            for (var i = 0; i < messages.Count; i++)
            {
                if (messages[i].AdditionalProperties is { } m && m.TryGetValue(LogProbabilitiesProperty, out var r) && r is not null) return Of(r);
            }

            return null;
        }

        private static double? Of(object raw)
        {
            var mean = new Mean();
            switch (raw)
            {
                case double[] doubles:
                    foreach (var value in doubles) mean.Add(value);
                    break;
                case JsonElement { ValueKind: JsonValueKind.Array } array:
                    foreach (var item in array.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.Number) mean.Add(item.GetDouble());
                        else if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("logprob", out var lp) && lp.ValueKind == JsonValueKind.Number) mean.Add(lp.GetDouble());
                    }

                    break;
                case IEnumerable sequence and not string:
                    foreach (var item in sequence)
                    {
                        if (ReadNumber(item) is { } n) mean.Add(n);
                    }

                    break;
            }

            return mean.Confidence;
        }

        private struct Mean
        {
            private double _sum;
            private int _count;
            private bool _invalid;

            public void Add(double value)
            {
                if (double.IsNaN(value) || value > 0) _invalid = true;   // not a log-probability: no confidence in it
                _sum += value;
                _count++;
            }

            public readonly double? Confidence => _invalid ? 0 : _count == 0 ? null : Math.Exp(_sum / _count);
        }
    }
}
