using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenAI;
using OpenAI.Chat;
using RoutingSdk.Planning;
using RoutingSdk.Testing;

namespace RoutingSdk.Providers.Tests;

public enum Category
{
    Billing,
    Technical,
    General,
}

/// <summary>
/// Three tiers of the local OpenAI-compatible server through the real OpenAI client library (Microsoft.Extensions.AI.OpenAI),
/// registered as a user registers them, routed by the router from the service collection.
/// </summary>
public sealed class OpenAILogProbabilitiesTests : IClassFixture<OpenAILogProbabilitiesTests.Server>
{
    private readonly OpenAiServerProcess _server;

    public OpenAILogProbabilitiesTests(Server server) => _server = server.Process;

    // tiny is sure of "billing" for a refund (exp(-0.05) = 0.95) and unsure of anything else (exp(-2) = 0.14);
    // medium and large are sure of their answers.
    private const string Models = """
        {
          "models": {
            "tiny":   { "answer": "general", "logprob": -2.0, "rules": [ { "when": "refund", "answer": "billing", "logprob": -0.05 } ] },
            "medium": { "answer": "technical", "logprob": -0.02 },
            "large":  { "answer": "general", "logprob": -0.01 },
            "words":  { "answer": "three word answer", "logprob": -0.3 }
          }
        }
        """;

    private static readonly RoutePlan Classify = new("Desk.ClassifyAsync", TaskKind.Classification, Complexity.Low, TierCatalog.BuiltIn,
        new[] { "small", "mid", "frontier" }, 0.85, 0.97, 0.1m, 6.75m);

    private static readonly RoutePlan Review = new("Desk.ReviewAsync", TaskKind.Analysis, Complexity.Medium, TierCatalog.BuiltIn,
        new[] { "small", "mid", "frontier" }, 0.85, 0.97, 0.1m, 6.75m);

    [Fact]
    public async Task A_low_log_probability_on_the_small_tier_escalates_and_a_high_one_is_accepted()
    {
        var logs = new RecordingLoggerFactory();
        using var provider = Services(_server, logs, wrap: true);
        var router = provider.GetRequiredService<TaskRouter>();

        Assert.Equal(Category.Billing, await router.RouteAsync(Classify, "I want a refund", null, AnswerParsers.Enum<Category>()));
        Assert.Equal(Category.Technical, await router.RouteAsync(Classify, "My screen stays black", null, AnswerParsers.Enum<Category>()));

        var entries = router.Ledger.Snapshot().Entries;
        var small = Assert.Single(entries, e => e.Tier == "small");
        Assert.Equal(2, small.Calls);
        Assert.Equal(1, small.Escalations);
        Assert.Equal(1, Assert.Single(entries, e => e.Tier == "mid").Calls);
        Assert.DoesNotContain(entries, e => e.Tier == "frontier");
        Assert.Equal(EscalationSignals.LogProbabilities | EscalationSignals.ParseFailure, router.GetEscalationSignals(Classify));
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Without_log_probabilities_the_warning_is_logged_once_and_names_the_task()
    {
        var logs = new RecordingLoggerFactory();
        using var provider = Services(_server, logs, wrap: false);
        var router = provider.GetRequiredService<TaskRouter>();

        for (var i = 0; i < 3; i++) Assert.Equal("general", await router.RouteAsync(Review, "Review this clause", null, AnswerParsers.Text));

        var warning = Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("'Desk.ReviewAsync'", warning.Message);
        Assert.Contains("escalates on nothing", warning.Message);
        Assert.Equal(3, Assert.Single(router.Ledger.Snapshot().Entries).Calls);   // every answer of the small tier was accepted
        Assert.Equal(EscalationSignals.None, router.GetEscalationSignals(Review));
    }

    [Fact]
    public async Task The_log_probabilities_of_the_answer_are_reported_in_token_order()
    {
        var client = Client(_server, "words").WithOpenAILogProbabilities();

        var response = await client.GetResponseAsync("hi");

        Assert.Equal(new[] { -0.3, -0.3, -0.3 }, Assert.IsType<double[]>(response.AdditionalProperties![AnswerScorers.LogProbabilitiesProperty]), new Close());
        var context = new AnswerScoringContext(Classify, Classify.Tiers[0], 0, response, response.Text, null);
        Assert.Equal(Math.Exp(-0.3), AnswerScorers.LogProbabilities().Score(in context)!.Value, 6);   // what the router's default scorer makes of them
    }

    [Fact]
    public void The_callers_raw_options_are_kept_and_log_probabilities_are_asked_for_on_a_copy()
    {
        var callers = new ChatOptions { RawRepresentationFactory = _ => new ChatCompletionOptions { EndUserId = "user-7" } };

        var asked = OpenAILogProbabilitiesChatClient.Ask(callers);

        var raw = Assert.IsType<ChatCompletionOptions>(asked.RawRepresentationFactory!(null!));
        Assert.True(raw.IncludeLogProbabilities);
        Assert.Equal("user-7", raw.EndUserId);
        Assert.NotSame(callers, asked);
        Assert.NotEqual(true, Assert.IsType<ChatCompletionOptions>(callers.RawRepresentationFactory!(null!)).IncludeLogProbabilities);
        Assert.True(Assert.IsType<ChatCompletionOptions>(OpenAILogProbabilitiesChatClient.Ask(null).RawRepresentationFactory!(null!)).IncludeLogProbabilities);
    }

    private static ServiceProvider Services(OpenAiServerProcess server, ILoggerFactory logs, bool wrap)
    {
        var services = new ServiceCollection();
        services.AddSingleton(logs);
        foreach (var (tier, model) in new[] { ("small", "tiny"), ("mid", "medium"), ("frontier", "large") })
        {
            var builder = services.AddKeyedChatClient(tier, Client(server, model));
            if (wrap) builder.UseOpenAILogProbabilities();
        }

        services.AddRoutingSdk();
        return services.BuildServiceProvider();
    }

    private static IChatClient Client(OpenAiServerProcess server, string model)
        => new ChatClient(model, new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = server.BaseUrl }).AsIChatClient();

    private sealed class Close : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) < 1e-6;   // the wire carries float log-probabilities

        public int GetHashCode(double obj) => 0;
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

    /// <summary>Keeps what every logger it creates logs.</summary>
    private sealed class RecordingLoggerFactory : ILoggerFactory, ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries) Entries.Add((logLevel, formatter(state, exception)));
        }

        public void Dispose()
        {
        }
    }
}
