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
