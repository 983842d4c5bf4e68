using Microsoft.Extensions.Logging;
using static RoutingSdk.Tests.Routing;

namespace RoutingSdk.Tests;

/// <summary>What a cascade escalates on: recorded per task, logged once, a warning when there is no confidence signal.</summary>
public sealed class EscalationSignalsTests
{
    private static readonly IAnswerParser<Category> Enum = AnswerParsers.Enum<Category>();

    [Fact]
    public async Task A_text_cascade_without_any_signal_warns_once_naming_the_task()
    {
        var logger = new RecordingLogger();
        var router = new TaskRouter(Tiers(FakeChatClient.Answering("a long answer")), new CostLedger(), null, logger);
        var plan = NamedPlan("Desk.ReviewAsync");

        for (var i = 0; i < 3; i++) await router.RouteAsync(plan, "p", null, AnswerParsers.Text);

        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("'Desk.ReviewAsync'", warning.Message);
        Assert.Contains("escalates on nothing", warning.Message);
        Assert.Contains("UseOpenAILogProbabilities()", warning.Message);
        Assert.Equal(EscalationSignals.None, router.GetEscalationSignals(plan));
    }

    [Fact]
    public async Task A_parsed_cascade_without_confidence_warns_that_only_parse_failures_escalate()
    {
        var logger = new RecordingLogger();
        var router = new TaskRouter(Tiers(FakeChatClient.Answering("Billing")), new CostLedger(), null, logger);
        var plan = NamedPlan("Desk.ClassifyAsync");

        Assert.Equal(Category.Billing, await router.RouteAsync(plan, "p", null, Enum));

        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("escalates only when an answer does not parse", warning.Message);
        Assert.Equal(EscalationSignals.ParseFailure, router.GetEscalationSignals(plan));
    }

    [Fact]
    public async Task Log_probabilities_and_a_validator_are_named_and_nothing_is_warned()
    {
        var logger = new RecordingLogger();
        var small = new FakeChatClient((_, _, _) =>
        {
            var response = FakeChatClient.Response("Billing");
            response.AdditionalProperties = new AdditionalPropertiesDictionary { [AnswerScorers.LogProbabilitiesProperty] = new[] { -0.01 } };
            return Task.FromResult(response);
        });
        var router = new TaskRouter(Tiers(small), new CostLedger(), null, logger);
        var plan = NamedPlan("Desk.ClassifyAsync");

        await router.RouteAsync(plan, "p", null, Enum, _ => 1.0, CancellationToken.None);

        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Warning);
        var info = Assert.Single(logger.Entries);
        Assert.Contains("escalates on: validator, log-probabilities, parse failure", info.Message);
        Assert.Equal(EscalationSignals.Validator | EscalationSignals.LogProbabilities | EscalationSignals.ParseFailure, router.GetEscalationSignals(plan));
    }

    [Fact]
    public async Task A_plan_that_cannot_escalate_records_no_signals_and_logs_nothing()
    {
        var logger = new RecordingLogger();
        var router = new TaskRouter(Tiers(FakeChatClient.Answering("text")), new CostLedger(), null, logger);
        var plan = NamedPlan("Desk.PinnedAsync", Escalation.None);

        await router.RouteAsync(plan, "p", null, AnswerParsers.Text);

        Assert.Empty(logger.Entries);
        Assert.Null(router.GetEscalationSignals(plan));
    }

    [Fact]
    public void A_responses_own_confidence_is_the_lower_of_its_reported_confidence_and_log_probabilities()
    {
        var response = FakeChatClient.Response("x", confidence: 0.9);
        Assert.Equal(0.9, AnswerScorers.ResponseConfidence(response));
        response.AdditionalProperties![AnswerScorers.LogProbabilitiesProperty] = new[] { Math.Log(0.5) };
        Assert.Equal(0.5, AnswerScorers.ResponseConfidence(response)!.Value, 10);
        Assert.Null(AnswerScorers.ResponseConfidence(FakeChatClient.Response("x")));
    }

    private static Func<string, IChatClient?> Tiers(IChatClient small)
        => tier => tier == "small" ? small : FakeChatClient.Answering("Technical");

    /// <summary>Keeps what is logged.</summary>
    internal sealed class RecordingLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries) Entries.Add((logLevel, formatter(state, exception)));
        }
    }
}
