using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace RoutingSdk.OpenAiServer;

/// <summary>
/// <c>POST /v1/chat/completions</c>: the answer of the requested model for the last user message, with usage, with
/// per-token log-probabilities when the request asks for <c>logprobs</c>, streamed as server-sent events when it asks for
/// <c>stream</c>; or the model's configured failure.
/// </summary>
public sealed class ChatCompletions
{
    private const long Created = 1_700_000_000;
    private readonly ServerConfig _config;
    private readonly string? _apiKey;
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);

    /// <summary>Creates the handler; with <paramref name="apiKey"/> a request without <c>Authorization: Bearer {key}</c> gets 401.</summary>
    public ChatCompletions(ServerConfig config, string? apiKey)
    {
        _config = config;
        _apiKey = apiKey;
    }

    /// <summary>Handles one request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        if (_apiKey is not null && context.Request.Headers.Authorization.ToString() != "Bearer " + _apiKey)
        {
            await ErrorAsync(context, 401, "invalid_api_key", "Incorrect API key provided.").ConfigureAwait(false);
            return;
        }

        JsonNode? request;
        try
        {
            request = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            await ErrorAsync(context, 400, "invalid_request_error", "The body is not JSON: " + ex.Message).ConfigureAwait(false);
            return;
        }

        var modelId = request?["model"]?.GetValue<string>();
        if (modelId is null || !_config.Models.TryGetValue(modelId, out var model))
        {
            await ErrorAsync(context, 404, "model_not_found", $"The model '{modelId}' does not exist.").ConfigureAwait(false);
            return;
        }

        var count = _requests.AddOrUpdate(modelId, 1, (_, n) => n + 1);
        var reset = false;
        if (model.Fail is { } fail && count % fail.Every == 0)
        {
            if (fail.Reset)
            {
                reset = true;
            }
            else
            {
                if (fail.RetryAfter is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (fail.Body is { } body)
                {
                    context.Response.StatusCode = fail.Status;
                    context.Response.ContentType = fail.ContentType;
                    await context.Response.WriteAsync(body, CancellationToken.None).ConfigureAwait(false);
                    return;
                }

                await ErrorAsync(context, fail.Status, fail.Status == 429 ? "rate_limit_exceeded" : "server_error", $"Configured failure {fail.Status} of request {count} to '{modelId}'.").ConfigureAwait(false);
                return;
            }
        }

        var messages = request!["messages"] as JsonArray ?? new JsonArray();
        var lastUser = messages.LastOrDefault(m => m?["role"]?.GetValue<string>() == "user");
        var prompt = Text(lastUser?["content"]);
        var rule = model.Rules.FirstOrDefault(r => prompt.Contains(r.When, StringComparison.Ordinal));
        var answer = rule?.Answer ?? model.Answer;
        var usage = new JsonObject
        {
            ["prompt_tokens"] = model.PromptTokens ?? Tokens(string.Concat(messages.Select(m => Text(m?["content"])))),
            ["completion_tokens"] = model.CompletionTokens ?? Tokens(answer),
        };
        usage["total_tokens"] = usage["prompt_tokens"]!.GetValue<int>() + usage["completion_tokens"]!.GetValue<int>();
        // Verbatim JSON (which may not even be JSON: NaN, -Infinity) goes in through a marker replaced in the written text.
        var raw = new Raw(model.LogprobsJson, model.UsageJson);
        JsonNode? logprobs = request["logprobs"]?.GetValue<bool>() != true ? null
            : model.LogprobsJson is not null ? Raw.LogprobsMarker
            : model.Refusal is not null ? null
            : LogProbabilities(answer, rule?.Logprob ?? model.Logprob);
        JsonNode usageNode = model.UsageJson is not null ? Raw.UsageMarker : usage;
        var message = new JsonObject { ["role"] = "assistant", ["content"] = model.Refusal is null ? answer : null };
        if (model.Refusal is not null) message["refusal"] = model.Refusal;
        if (request["stream"]?.GetValue<bool>() == true)
        {
            await StreamAsync(context, modelId, message, logprobs, model.FinishReason, request["stream_options"]?["include_usage"]?.GetValue<bool>() == true ? usageNode : null, raw, reset)
                .ConfigureAwait(false);
            return;
        }

        var response = new JsonObject
        {
            ["id"] = "chatcmpl-" + count,
            ["object"] = "chat.completion",
            ["created"] = Created,
            ["model"] = modelId,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["logprobs"] = logprobs is null ? null : new JsonObject { ["content"] = logprobs },
                ["finish_reason"] = model.FinishReason,
            }),
            ["usage"] = usageNode,
        };
        context.Response.ContentType = "application/json";
        var text = raw.Fill(response.ToJsonString());
        if (reset)
        {
            // Half the answer, then the connection is reset.
            await context.Response.WriteAsync(text.Substring(0, text.Length / 2), context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            context.Abort();
            return;
        }

        await context.Response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task StreamAsync(HttpContext context, string modelId, JsonObject message, JsonNode? logprobs, string finishReason, JsonNode? usage, Raw raw, bool reset)
    {
        context.Response.ContentType = "text/event-stream";
        var chunks = new List<JsonObject>
        {
            Chunk(modelId, new JsonObject
            {
                ["index"] = 0,
                ["delta"] = message.DeepClone(),
                ["logprobs"] = logprobs is null ? null : new JsonObject { ["content"] = logprobs.DeepClone() },
                ["finish_reason"] = null,
            }),
            Chunk(modelId, new JsonObject { ["index"] = 0, ["delta"] = new JsonObject(), ["finish_reason"] = finishReason }),
        };
        if (usage is not null)
        {
            var last = Chunk(modelId, null);
            last["usage"] = usage.DeepClone();
            chunks.Add(last);
        }

        foreach (var chunk in chunks)
        {
            await context.Response.WriteAsync("data: " + raw.Fill(chunk.ToJsonString()) + "\n\n", context.RequestAborted).ConfigureAwait(false);
            if (reset)
            {
                // The first chunk reaches the client (given a moment to read it: a reset drops what it has not read), then the
                // connection is reset.
                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                await Task.Delay(200, context.RequestAborted).ConfigureAwait(false);
                context.Abort();
                return;
            }
        }

        await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The verbatim <c>logprobs.content</c> and <c>usage</c> texts of a model, put where their markers were written.</summary>
    private readonly struct Raw
    {
        private const string Logprobs = "@@routingsdk-logprobs@@";
        private const string Usage = "@@routingsdk-usage@@";
        private readonly string? _logprobs;
        private readonly string? _usage;

        public Raw(string? logprobs, string? usage)
        {
            _logprobs = logprobs;
            _usage = usage;
        }

        public static JsonNode LogprobsMarker => JsonValue.Create(Logprobs);

        public static JsonNode UsageMarker => JsonValue.Create(Usage);

        public string Fill(string json)
        {
            if (_logprobs is not null) json = json.Replace("\"" + Logprobs + "\"", _logprobs, StringComparison.Ordinal);
            if (_usage is not null) json = json.Replace("\"" + Usage + "\"", _usage, StringComparison.Ordinal);
            return json;
        }
    }

    private static JsonObject Chunk(string modelId, JsonObject? choice) => new()
    {
        ["id"] = "chatcmpl-stream",
        ["object"] = "chat.completion.chunk",
        ["created"] = Created,
        ["model"] = modelId,
        ["choices"] = choice is null ? new JsonArray() : new JsonArray(choice),
    };

    /// <summary>One entry per whitespace-separated word of the answer (a word is a token here), each at <paramref name="logprob"/>.</summary>
    private static JsonArray LogProbabilities(string answer, double logprob)
    {
        var tokens = new JsonArray();
        var words = answer.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            var token = i == 0 ? words[i] : " " + words[i];
            tokens.Add(new JsonObject
            {
                ["token"] = token,
                ["logprob"] = logprob,
                ["bytes"] = new JsonArray(Encoding.UTF8.GetBytes(token).Select(b => (JsonNode)(int)b).ToArray()),
                ["top_logprobs"] = new JsonArray(),
            });
        }

        return tokens;
    }

    /// <summary>A message's text: a string, or the <c>text</c> of its parts.</summary>
    private static string Text(JsonNode? content) => content switch
    {
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>() ?? string.Empty)),
        _ => string.Empty,
    };

    private static int Tokens(string text) => Math.Max(1, (text.Length + 3) / 4);

    private static Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var body = new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = code, ["code"] = code } };
        return context.Response.WriteAsync(body.ToJsonString(), CancellationToken.None);
    }
}
