using System;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;
using RoutingSdk.Planning;
using RoutingSdk.Testing;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;
using ChatFinishReason = Microsoft.Extensions.AI.ChatFinishReason;

namespace RoutingSdk.Providers.Tests;

/// <summary>
/// What real, and misbehaving, OpenAI-compatible providers send — answers cut short, filtered or refused, log-probabilities
/// that are missing or not log-probabilities, odd usage, rate limits, server errors, bodies that are not JSON, connections
/// reset mid-answer — through the real OpenAI client library (with <c>UseOpenAILogProbabilities()</c>) to the router: task
/// calls and the <c>UseTieredRouting</c> chat pipeline, streamed and not.
/// </summary>
public sealed class HostileProviderTests : IClassFixture<HostileProviderTests.Server>
{
    private const string Sure = "sure";

    // Every hostile model answers with high log-probabilities unless its point is the log-probabilities; "sure" and "large"
    // are the well-behaved tiers above it.
    private const string Models = """
        {
          "models": {
            "sure":        { "answer": "mid answer", "logprob": -0.01, "promptTokens": 100, "completionTokens": 2 },
            "large":       { "answer": "frontier answer", "logprob": -0.01, "promptTokens": 100, "completionTokens": 2 },
            "cut":         { "answer": "{\"clause\": \"The supplier may", "logprob": -0.01, "finishReason": "length" },
            "filtered":    { "answer": "The clause", "logprob": -0.01, "finishReason": "content_filter" },
            "refuses":     { "answer": "unused", "refusal": "I can't help with that." },
            "lp-null":     { "answer": "ok", "logprobsJson": "null" },
            "lp-empty":    { "answer": "ok", "logprobsJson": "[]" },
            "lp-positive": { "answer": "ok", "logprobsJson": "[{\"token\":\"ok\",\"logprob\":0.7,\"bytes\":null,\"top_logprobs\":[]}]" },
            "lp-nan":      { "answer": "ok", "logprobsJson": "[{\"token\":\"ok\",\"logprob\":NaN,\"bytes\":null,\"top_logprobs\":[]}]" },
            "lp-nan-text": { "answer": "ok", "logprobsJson": "[{\"token\":\"ok\",\"logprob\":\"NaN\",\"bytes\":null,\"top_logprobs\":[]}]" },
            "lp-neginf":   { "answer": "ok", "logprobsJson": "[{\"token\":\"ok\",\"logprob\":-Infinity,\"bytes\":null,\"top_logprobs\":[]}]" },
            "lp-huge":     { "answer": "ok", "logprobsJson": "[{\"token\":\"ok\",\"logprob\":-1e300,\"bytes\":null,\"top_logprobs\":[]}]" },
            "lp-vllm":     { "answer": "ok", "logprobsJson": "[{\"token\":\"ok\",\"logprob\":-9999.0,\"bytes\":null,\"top_logprobs\":[]}]" },
            "lp-nullvalue":{ "answer": "ok", "logprobsJson": "[{\"token\":\"o\",\"logprob\":-0.5,\"bytes\":null,\"top_logprobs\":[]},{\"token\":\"k\",\"logprob\":null,\"bytes\":null,\"top_logprobs\":[]}]" },
            "lp-mismatch": { "answer": "ok", "logprobsJson": "[{\"token\":\"something\",\"logprob\":-2.5,\"bytes\":null,\"top_logprobs\":[]},{\"token\":\" else\",\"logprob\":-2.5,\"bytes\":null,\"top_logprobs\":[]}]" },
            "empty":       { "answer": "", "logprobsJson": "[{\"token\":\"\",\"logprob\":-0.01,\"bytes\":[],\"top_logprobs\":[]}]" },
            "no-usage":    { "answer": "ok", "usageJson": "null" },
            "zero-usage":  { "answer": "a longer answer of some forty characters", "usageJson": "{\"prompt_tokens\":0,\"completion_tokens\":0,\"total_tokens\":0}" },
            "details":     { "answer": "ok", "usageJson": "{\"prompt_tokens\":1000,\"completion_tokens\":300,\"total_tokens\":1300,\"prompt_tokens_details\":{\"cached_tokens\":600},\"completion_tokens_details\":{\"reasoning_tokens\":280}}" },
            "limited":     { "answer": "ok", "fail": { "every": 1, "status": 429, "retryAfter": 120 } },
            "limited-bare":{ "answer": "ok", "fail": { "every": 1, "status": 429 } },
            "broken":      { "answer": "ok", "fail": { "every": 1, "status": 500 } },
            "unavailable": { "answer": "ok", "fail": { "every": 1, "status": 503 } },
            "html":        { "answer": "ok", "fail": { "every": 1, "status": 502, "body": "<html><body>502 Bad Gateway</body></html>" } },
            "garbage":     { "answer": "ok", "fail": { "every": 1, "status": 200, "body": "this is not JSON", "contentType": "application/json" } },
            "reset":       { "answer": "a streamed answer", "logprob": -0.01, "fail": { "every": 1, "reset": true } }
          }
        }
        """;

    private static readonly RoutePlan Review = new("Desk.ReviewAsync", TaskKind.Analysis, Complexity.Medium, TierCatalog.BuiltIn,
        new[] { "small", "mid", "frontier" }, 0.85, 0.97, 0.1m, 6.75m);

    private static readonly RoutePlan Chat = new("chat", TaskKind.General, Complexity.Medium, TierCatalog.BuiltIn,
        new[] { "small", "mid", "frontier" }, 0.85, 0.97, 0.1m, 6.75m);

    private readonly OpenAiServerProcess _server;

    public HostileProviderTests(Server server) => _server = server.Process;

    // ---- answers the tier did not finish ----

    [Theory]
    [InlineData("cut")]
    [InlineData("filtered")]
    public async Task A_confident_answer_the_tier_cut_short_or_filtered_escalates(string small)
    {
        using var provider = Services(small);
        var router = provider.GetRequiredService<TaskRouter>();

        Assert.Equal("mid answer", await router.RouteAsync(Review, "Review this clause", null, AnswerParsers.Text));

        Assert.Equal(1, Entry(router, "small").Escalations);
    }

    [Fact]
    public async Task An_answer_cut_short_escalates_on_the_fast_path_too()
    {
        // The fast path takes a start tier that answers synchronously: the OpenAI client's response, replayed.
        var cut = await Client(_server, "cut").WithOpenAILogProbabilities().GetResponseAsync("Review this clause");
        var services = new ServiceCollection();
        services.AddKeyedChatClient("small", new Replaying(cut));
        services.AddKeyedChatClient("mid", Client(_server, Sure)).UseOpenAILogProbabilities();
        services.AddRoutingSdk();
        using var provider = services.BuildServiceProvider();
        var router = provider.GetRequiredService<TaskRouter>();

        for (var i = 0; i < 3; i++) Assert.Equal("mid answer", await router.RouteAsync(Review, "Review this clause", null, AnswerParsers.Text));

        Assert.Equal(3, Entry(router, "small").Escalations);
    }

    [Fact]
    public async Task A_chat_answer_cut_at_the_callers_own_output_limit_is_accepted()
    {
        using var provider = Services("cut");
        using var chat = Pipeline(provider, "large");

        var response = await chat.GetResponseAsync("Review this clause", new ChatOptions { MaxOutputTokens = 8 });

        Assert.Equal("small", response.AdditionalProperties![TaskRouter.TierProperty]);   // the limit it asked for: no reason to escalate
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_chat_pipeline_escalates_an_answer_cut_short(bool streaming)
    {
        using var provider = Services("cut");
        using var chat = Pipeline(provider, "large");

        var (response, tier) = await AskAsync(chat, streaming);

        Assert.Equal("mid answer", response.Text);
        Assert.Equal("mid", tier);
    }

    [Fact]
    public async Task On_the_last_tier_an_answer_cut_short_is_returned_with_its_finish_reason()
    {
        using var provider = Services("cut", "cut");
        using var chat = Pipeline(provider, "cut");

        var response = await chat.GetResponseAsync("Review this clause");

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);   // the caller sees that it was cut short
        Assert.Equal("frontier", response.AdditionalProperties![TaskRouter.TierProperty]);
    }

    [Fact]
    public async Task A_task_call_fails_rather_than_return_an_answer_its_last_tier_cut_short()
    {
        using var provider = Services("cut", "cut", "cut");
        var router = provider.GetRequiredService<TaskRouter>();

        var error = await Assert.ThrowsAsync<RoutingFailedException>(() => router.RouteAsync(Review, "Review this clause", null, AnswerParsers.Text));

        Assert.Equal(new[] { "small", "mid", "frontier" }, error.Failures.Select(f => f.Tier));
        Assert.All(error.Failures, f => Assert.Contains("cut the answer short", f.Reason));
    }

    [Fact]
    public async Task A_refusal_escalates_a_task_call()
    {
        using var provider = Services("refuses");
        var router = provider.GetRequiredService<TaskRouter>();

        Assert.Equal("mid answer", await router.RouteAsync(Review, "Review this clause", null, AnswerParsers.Text));
        Assert.Equal(1, Entry(router, "small").Escalations);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_chat_pipeline_escalates_a_refusal(bool streaming)
    {
        using var provider = Services("refuses");
        using var chat = Pipeline(provider, "large");

        var (response, tier) = await AskAsync(chat, streaming);

        Assert.Equal("mid answer", response.Text);
        Assert.Equal("mid", tier);
    }

    [Fact]
    public async Task An_empty_answer_with_log_probabilities_escalates()
    {
        using var provider = Services("empty");
        var router = provider.GetRequiredService<TaskRouter>();

        Assert.Equal("mid answer", await router.RouteAsync(Review, "Review this clause", null, AnswerParsers.Text));
    }

    // ---- log-probabilities ----

    [Theory]
    [InlineData("lp-positive")]    // not a log-probability
    [InlineData("lp-nan")]         // NaN (not JSON): the client cannot read the response
    [InlineData("lp-nan-text")]    // "NaN" as a string
    [InlineData("lp-neginf")]      // -Infinity (not JSON)
    [InlineData("lp-huge")]        // beyond a float
    [InlineData("lp-vllm")]        // vLLM's -9999.0 for -inf
    [InlineData("lp-nullvalue")]   // a null logprob
    public async Task Log_probabilities_that_are_not_a_confident_answers_never_make_it_pass(string small)
    {
        using var provider = Services(small);
        var router = provider.GetRequiredService<TaskRouter>();

        Assert.Equal("mid answer", await router.RouteAsync(Review, "Review this clause", null, AnswerParsers.Text));
    }

    [Theory]
    [InlineData("lp-null")]
    [InlineData("lp-empty")]
    public async Task No_log_probabilities_are_no_opinion(string small)
    {
        using var provider = Services(small);
        var router = provider.GetRequiredService<TaskRouter>();

        Assert.Equal("ok", await router.RouteAsync(Review, "Review this clause", null, AnswerParsers.Text));
        Assert.Equal(0, Entry(router, "small").Escalations);
    }

    [Fact]
    public async Task Log_probabilities_of_other_tokens_than_the_text_are_scored_as_sent()
    {
        var response = await Client(_server, "lp-mismatch").WithOpenAILogProbabilities().GetResponseAsync("hi");

        Assert.Equal("ok", response.Text);
        Assert.Equal(2, Assert.IsType<double[]>(response.AdditionalProperties![AnswerScorers.LogProbabilitiesProperty]).Length);
    }

    // ---- usage ----

    [Fact]
    public async Task An_answer_without_usage_is_booked_on_an_estimate()
    {
        using var provider = Services("no-usage");
        var router = provider.GetRequiredService<TaskRouter>();

        await router.RouteAsync(Review, "Review this clause", null, AnswerParsers.Text);

        var small = Entry(router, "small");
        Assert.Equal(1, small.EstimatedCalls);
        Assert.True(small.InputTokens > 0 && small.OutputTokens > 0);
    }

    [Fact]
    public async Task Zero_usage_for_an_answer_is_booked_on_an_estimate()
    {
        using var provider = Services("zero-usage");
        var router = provider.GetRequiredService<TaskRouter>();

        await router.RouteAsync(Review, "Review this clause", null, AnswerParsers.Text);

        var small = Entry(router, "small");
        Assert.Equal(1, small.EstimatedCalls);
        Assert.Equal(10, small.OutputTokens);   // 40 characters at four a token
        Assert.True(small.Usd > 0);
    }

    [Fact]
    public async Task Cached_and_reasoning_tokens_are_booked_apart()
    {
        using var provider = Services("details");
        var router = provider.GetRequiredService<TaskRouter>();

        await router.RouteAsync(Review, "Review this clause", null, AnswerParsers.Text);

        var small = Entry(router, "small");
        Assert.Equal(1000, small.InputTokens);
        Assert.Equal(600, small.CachedInputTokens);
        Assert.Equal(20, small.OutputTokens);
        Assert.Equal(280, small.ReasoningTokens);
        Assert.Equal(0, small.EstimatedCalls);
    }

    [Fact]
    public async Task The_usage_of_the_last_streamed_chunk_is_booked()
    {
        using var provider = Services("cut", "cut");
        using var chat = Pipeline(provider, "large");

        var (response, tier) = await AskAsync(chat, streaming: true);

        Assert.Equal("frontier", tier);
        var frontier = Entry(provider.GetRequiredService<TaskRouter>(), "frontier", "chat");
        Assert.Equal(100, frontier.InputTokens);
        Assert.Equal(2, frontier.OutputTokens);
        Assert.Equal(0, frontier.EstimatedCalls);
    }

    // ---- failures ----

    [Fact]
    public async Task A_429_with_Retry_After_cools_the_tier_down_for_that_long_and_the_call_falls_back()
    {
        var cooldowns = new InProcessTierCooldowns(TimeProvider.System);
        using var provider = Services("limited", configure: o => { o.RateLimitCooldown = TimeSpan.FromHours(1); o.TierCooldowns = cooldowns; });
        var router = provider.GetRequiredService<TaskRouter>();
        var before = DateTimeOffset.UtcNow;

        Assert.Equal("mid answer", await router.RouteAsync(Review, "Review this clause", null, AnswerParsers.Text));

        Assert.True(cooldowns.IsCoolingDown("small", out var until));
        Assert.InRange(until, before.AddSeconds(120), before.AddMinutes(30));   // the 120 s the tier asked for, not the hour
    }

    [Fact]
    public async Task A_429_without_Retry_After_cools_the_tier_down_for_the_configured_time()
    {
        var cooldowns = new InProcessTierCooldowns(TimeProvider.System);
        using var provider = Services("limited-bare", configure: o => { o.RateLimitCooldown = TimeSpan.FromHours(1); o.TierCooldowns = cooldowns; });
        var router = provider.GetRequiredService<TaskRouter>();
        var before = DateTimeOffset.UtcNow;

        Assert.Equal("mid answer", await router.RouteAsync(Review, "Review this clause", null, AnswerParsers.Text));

        Assert.True(cooldowns.IsCoolingDown("small", out var until));
        Assert.True(until >= before.AddMinutes(59), $"cooling down until {until:O}");
    }

    [Theory]
    [InlineData("broken")]
    [InlineData("unavailable")]
    [InlineData("html")]
    [InlineData("garbage")]
    [InlineData("reset")]
    public async Task A_failing_tier_hands_the_call_to_the_next_without_a_cooldown(string small)
    {
        var cooldowns = new InProcessTierCooldowns(TimeProvider.System);
        using var provider = Services(small, configure: o => o.TierCooldowns = cooldowns);
        var router = provider.GetRequiredService<TaskRouter>();

        Assert.Equal("mid answer", await router.RouteAsync(Review, "Review this clause", null, AnswerParsers.Text));

        Assert.False(cooldowns.IsCoolingDown("small", out _));
        Assert.DoesNotContain(router.Ledger.Snapshot().Entries, e => e.Tier == "small");   // a failed call costs nothing
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_chat_pipeline_falls_back_from_a_tier_that_fails(bool streaming)
    {
        using var provider = Services("garbage", "reset");
        using var chat = Pipeline(provider, "large");

        var (response, tier) = await AskAsync(chat, streaming);

        Assert.Equal("frontier answer", response.Text);
        Assert.Equal("frontier", tier);
    }

    [Fact]
    public async Task A_stream_reset_after_its_first_chunk_ends_the_call_in_an_exception_and_is_booked()
    {
        using var provider = Services("cut", "cut");
        using var chat = Pipeline(provider, "reset");
        var received = new List<ChatResponseUpdate>();

        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await foreach (var update in chat.GetStreamingResponseAsync("Review this clause")) received.Add(update);
        });

        Assert.Equal("a streamed answer", received.ToChatResponse().Text);   // what the caller saw before the reset
        Assert.Equal(1, Entry(provider.GetRequiredService<TaskRouter>(), "frontier", "chat").Calls);
    }

    // ---- scores that are not numbers ----

    [Fact]
    public async Task A_reported_confidence_that_is_not_a_finite_number_never_passes()
    {
        var services = new ServiceCollection();
        services.AddKeyedChatClient("small", Client(_server, "lp-null")).Use(inner => new Reporting(inner, "Infinity"));
        services.AddKeyedChatClient("mid", Client(_server, Sure));
        services.AddRoutingSdk();
        using var provider = services.BuildServiceProvider();
        var router = provider.GetRequiredService<TaskRouter>();

        Assert.Equal("mid answer", await router.RouteAsync(Review, "Review this clause", null, AnswerParsers.Text));
    }

    private static async Task<(ChatResponse Response, string? Tier)> AskAsync(IChatClient chat, bool streaming)
    {
        if (!streaming)
        {
            var response = await chat.GetResponseAsync("Review this clause");
            return (response, response.AdditionalProperties?[TaskRouter.TierProperty] as string);
        }

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in chat.GetStreamingResponseAsync("Review this clause")) updates.Add(update);
        return (updates.ToChatResponse(), updates.Select(u => u.AdditionalProperties?[TaskRouter.TierProperty] as string).FirstOrDefault(t => t is not null));
    }

    private static CostEntry Entry(TaskRouter router, string tier, string task = "Desk.ReviewAsync")
        => Assert.Single(router.Ledger.Snapshot().Entries, e => e.Tier == tier && e.TaskName == task);

    /// <summary>The router's services: small, mid and frontier keyed clients of the server's models, with log-probabilities asked for.</summary>
    private ServiceProvider Services(string small, string mid = Sure, string frontier = "large", Action<RoutingOptions>? configure = null)
    {
        var services = new ServiceCollection();
        foreach (var (tier, model) in new[] { ("small", small), ("mid", mid), ("frontier", frontier) })
            services.AddKeyedChatClient(tier, Client(_server, model)).UseOpenAILogProbabilities();
        services.AddRoutingSdk(configure ?? (_ => { }));
        return services.BuildServiceProvider();
    }

    /// <summary>The chat pipeline over the router's small and mid tiers, with <paramref name="last"/> as its inner client (the last tier).</summary>
    private IChatClient Pipeline(IServiceProvider services, string last)
        => new ChatClientBuilder(Client(_server, last)).UseTieredRouting(o => o.Plan = Chat).UseOpenAILogProbabilities().Build(services);

    /// <summary>The real OpenAI client of a server model, without the library's own retries (the router's fallback is under test).</summary>
    private static IChatClient Client(OpenAiServerProcess server, string model)
        => new ChatClient(model, new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = server.BaseUrl, RetryPolicy = new ClientRetryPolicy(0) }).AsIChatClient();

    /// <summary>Answers every request at once with one response.</summary>
    private sealed class Replaying(ChatResponse response) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => Task.FromResult(response);

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    /// <summary>Reports a confidence in the response's additional properties, as some providers' clients do.</summary>
    private sealed class Reporting(IChatClient inner, object confidence) : DelegatingChatClient(inner)
    {
        public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            (response.AdditionalProperties ??= new AdditionalPropertiesDictionary())[TaskRouter.ConfidenceProperty] = confidence;
            return response;
        }
    }

    /// <summary>One server for the tests of this class (a start takes seconds).</summary>
    public sealed class Server : IAsyncLifetime
    {
        internal OpenAiServerProcess Process { get; private set; } = null!;

        public async Task InitializeAsync() => Process = await OpenAiServerProcess.StartAsync(Models);

        public Task DisposeAsync()
        {
            Process.Dispose();
            return Task.CompletedTask;
        }
    }
}
