using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RoutingSdk.OpenAiServer;

/// <summary>What the server answers, per model id; read from the JSON file given with <c>--config</c>.</summary>
public sealed class ServerConfig
{
    /// <summary>The models the server knows, by model id; a request for another model gets 404.</summary>
    public Dictionary<string, ModelConfig> Models { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Reads a config file; a malformed one is an exception that names the file.</summary>
    public static ServerConfig Load(string path)
    {
        try
        {
            var config = JsonSerializer.Deserialize<ServerConfig>(File.ReadAllText(path), Json.Options)
                ?? throw new InvalidDataException("the file is empty");
            foreach (var (id, model) in config.Models)
            {
                if (model.Fail is { Every: < 1 }) throw new InvalidDataException($"model '{id}': fail.every must be 1 or more");
            }

            return config;
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            throw new InvalidDataException($"{path}: {ex.Message}", ex);
        }
    }
}

/// <summary>How one model id answers.</summary>
public sealed class ModelConfig
{
    /// <summary>The answer when no rule matches.</summary>
    public string Answer { get; set; } = "ok";

    /// <summary>Rules tried in order on the last user message: the first whose <see cref="AnswerRule.When"/> it contains answers.</summary>
    public List<AnswerRule> Rules { get; set; } = new();

    /// <summary>Reported prompt tokens; by default one per four characters of the messages (at least 1).</summary>
    public int? PromptTokens { get; set; }

    /// <summary>Reported completion tokens; by default one per four characters of the answer (at least 1).</summary>
    public int? CompletionTokens { get; set; }

    /// <summary>The log-probability of every answer token when the request asks for <c>logprobs</c> (unless the rule gives one).</summary>
    public double Logprob { get; set; } = -0.01;

    /// <summary>Failures: every n-th request to this model answers with an error status instead.</summary>
    public FailureConfig? Fail { get; set; }

    /// <summary>The <c>finish_reason</c> of the answer: <c>stop</c> by default; <c>length</c>, <c>content_filter</c> … as a provider sends them.</summary>
    public string FinishReason { get; set; } = "stop";

    /// <summary>When set, the model refuses: the message has this <c>refusal</c> and a null <c>content</c> (the answer is not sent).</summary>
    public string? Refusal { get; set; }

    /// <summary>
    /// When set, the JSON text sent as <c>choices[0].logprobs.content</c> when the request asks for <c>logprobs</c>, verbatim
    /// (so it may be what misbehaving providers send: <c>null</c>, <c>[]</c>, tokens that do not match the answer, missing
    /// or null <c>logprob</c> members, positive values, even <c>NaN</c> or <c>-Infinity</c>, which are not JSON).
    /// </summary>
    public string? LogprobsJson { get; set; }

    /// <summary>
    /// When set, the JSON text sent as <c>usage</c>, verbatim (<c>null</c>, zeros, <c>prompt_tokens_details</c> and
    /// <c>completion_tokens_details</c> …); in a stream it is still sent only when <c>stream_options.include_usage</c> asks.
    /// </summary>
    public string? UsageJson { get; set; }
}

/// <summary>One answer rule.</summary>
public sealed class AnswerRule
{
    /// <summary>Text the last user message must contain (ordinal).</summary>
    public string When { get; set; } = string.Empty;

    /// <summary>The answer.</summary>
    public string Answer { get; set; } = string.Empty;

    /// <summary>The log-probability of every answer token for this rule, or null for the model's.</summary>
    public double? Logprob { get; set; }
}

/// <summary>Deterministic failures of one model.</summary>
public sealed class FailureConfig
{
    /// <summary>Requests 1..n to the model: request k fails when k is a multiple of this.</summary>
    public int Every { get; set; } = 1;

    /// <summary>The HTTP status of a failed request (429, 500, 503 …).</summary>
    public int Status { get; set; } = 500;

    /// <summary>Seconds sent in a <c>Retry-After</c> header, or null for none.</summary>
    public int? RetryAfter { get; set; }

    /// <summary>When set, the body sent instead of the JSON error (HTML from a proxy, plain text …), as <see cref="ContentType"/>.</summary>
    public string? Body { get; set; }

    /// <summary>The content type of <see cref="Body"/>; <c>text/html</c> by default.</summary>
    public string ContentType { get; set; } = "text/html";

    /// <summary>
    /// Instead of an error status, the answer starts (status 200; in a stream, its first content chunk) and the connection is
    /// then reset.
    /// </summary>
    public bool Reset { get; set; }
}

/// <summary>The JSON settings of the config file and the wire: camelCase, comments and trailing commas allowed in the file.</summary>
internal static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
