using System.Diagnostics;
using System.Diagnostics.Metrics;
using RoutingSdk.Planning.Calibration;
using static RoutingSdk.Tests.Routing;

namespace RoutingSdk.Tests;

/// <summary>Tests that attach listeners to the process-wide RoutingSdk meter and activity source run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ListenerCollection
{
    public const string Name = "Telemetry listeners";
}

/// <summary>The RoutingSdk meter and activity source: what they record, with which tags, and that content stays out.</summary>
[Collection(ListenerCollection.Name)]
public sealed class TelemetryTests : IDisposable
{
    private static readonly IAnswerParser<Category> Enum = AnswerParsers.Enum<Category>();
    private readonly MeterListener _meters = new();
    private readonly List<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();
    private readonly ActivityListener _activities;
    private readonly List<Activity> _stopped = new();

    public TelemetryTests()
    {
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RoutingTelemetry.Name) listener.EnableMeasurementEvents(instrument);
        };
        _meters.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i.Name, v, tags));
        _meters.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i.Name, v, tags));
        _meters.Start();
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RoutingTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (_stopped) _stopped.Add(activity); },
        };
        ActivitySource.AddActivityListener(_activities);
    }

    public void Dispose()
    {
        _meters.Dispose();
        _activities.Dispose();
    }

    private void Add(string instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags) copy[tag.Key] = tag.Value;
        lock (_measurements) _measurements.Add((instrument, value, copy));
    }

    private List<(string Instrument, double Value, Dictionary<string, object?> Tags)> Of(string task, string instrument)
    {
        lock (_measurements) return _measurements.Where(m => m.Instrument == instrument && Equals(m.Tags.GetValueOrDefault(RoutingTelemetry.TaskTag), task)).ToList();
    }

    private static IChatClient Small(double confidence) => new MetadataClient(FakeChatClient.Answering("Billing", confidence, FakeChatClient.Usage(400, 10)), "openai");

    private sealed class MetadataClient(IChatClient inner, string provider) : DelegatingChatClient(inner)
    {
        public override object? GetService(Type serviceType, object? serviceKey = null)
            => serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata(provider, null, "gpt-small") : base.GetService(serviceType, serviceKey);
    }

    [Fact]
    public async Task Calls_escalations_fallbacks_cost_and_savings_are_counted_per_task_and_tier()
    {
        const string Task = "Telemetry.Counts";
        var router = Router(new Dictionary<string, IChatClient>
        {
            ["small"] = Small(0.1),
            ["mid"] = FakeChatClient.Throwing(() => new TimeoutException("down")),
            ["frontier"] = FakeChatClient.Answering("General", usage: FakeChatClient.Usage(400, 10)),
        });

        await router.RouteAsync(NamedPlan(Task), "p", null, Enum);

        Assert.Equal(new[] { "small:escalated", "frontier:accepted" },
            Of(Task, RoutingTelemetry.Calls).Select(m => $"{m.Tags[RoutingTelemetry.TierTag]}:{m.Tags[RoutingTelemetry.OutcomeTag]}"));
        Assert.Equal("small", Assert.Single(Of(Task, RoutingTelemetry.Escalations)).Tags[RoutingTelemetry.TierTag]);
        Assert.Equal("mid", Assert.Single(Of(Task, RoutingTelemetry.Fallbacks)).Tags[RoutingTelemetry.TierTag]);
        var small = TierCatalog.BuiltIn.Find("small")!.Cost(400, 10);
        var frontier = TierCatalog.BuiltIn.Find("frontier")!.Cost(400, 10);
        Assert.Equal((double)(small + frontier), Of(Task, RoutingTelemetry.Cost).Sum(m => m.Value), 12);
        Assert.Equal((double)(frontier - small - frontier), Assert.Single(Of(Task, RoutingTelemetry.Saved)).Value, 12);
    }

    [Fact]
    public async Task Token_usage_follows_the_GenAI_conventions()
    {
        const string Task = "Telemetry.Tokens";
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Small(0.99) });

        await router.RouteAsync(NamedPlan(Task), "p", null, Enum);

        var usage = Of(Task, "gen_ai.client.token.usage");
        Assert.Equal(new[] { ("input", 400.0), ("output", 10.0) }, usage.Select(m => ((string)m.Tags["gen_ai.token.type"]!, m.Value)));
        Assert.All(usage, m =>
        {
            Assert.Equal("chat", m.Tags["gen_ai.operation.name"]);
            Assert.Equal("small", m.Tags["gen_ai.request.model"]);
            Assert.Equal("openai", m.Tags["gen_ai.provider.name"]);
        });
        Assert.Single(Of(Task, "gen_ai.client.operation.duration"));
    }

    [Fact]
    public async Task A_routed_call_is_a_span_with_one_client_span_per_tier_call_and_no_content()
    {
        const string Task = "Telemetry.Spans";
        var router = Router(new Dictionary<string, IChatClient>
        {
            ["small"] = Small(0.1),
            ["mid"] = FakeChatClient.Answering("Technical", usage: FakeChatClient.Usage(400, 10)),
        });

        await router.RouteAsync(NamedPlan(Task), "secret prompt text", "secret instructions", Enum);

        List<Activity> spans;
        lock (_stopped) spans = _stopped.Where(a => Equals(a.GetTagItem(RoutingTelemetry.TaskTag), Task)).ToList();
        var route = Assert.Single(spans, a => a.OperationName == "route " + Task);
        var tiers = spans.Where(a => a.Kind == ActivityKind.Client).ToList();
        Assert.Equal(new[] { "chat small", "chat mid" }, tiers.Select(a => a.DisplayName));
        Assert.All(tiers, a => Assert.Equal(route.SpanId, a.ParentSpanId));
        Assert.Equal("mid", route.GetTagItem("routingsdk.final_tier"));
        Assert.Equal("escalated", tiers[0].GetTagItem(RoutingTelemetry.OutcomeTag));
        Assert.Equal(400L, tiers[1].GetTagItem("gen_ai.usage.input_tokens"));
        Assert.DoesNotContain(spans.SelectMany(a => a.TagObjects), t => t.Value is string s && (s.Contains("secret") || s.Contains("Technical")));
    }

    [Fact]
    public async Task A_skip_to_the_last_tier_is_tagged_on_the_route_span()
    {
        const string Task = "Telemetry.Skip";
        var router = Router(new Dictionary<string, IChatClient>
        {
            ["small"] = Small(0.2),
            ["mid"] = FakeChatClient.Answering("Technical"),
            ["frontier"] = FakeChatClient.Answering("General", usage: FakeChatClient.Usage(400, 10)),
        });
        // Position 0: p = σ(2.5 + 5·ln 0.2) = 0.004, below the skip level 0.1.
        var plan = new RoutePlan(Task, TaskKind.Classification, Complexity.Low, TierCatalog.BuiltIn, new[] { "small", "mid", "frontier" }, 0.85, 0.97, 0.1m, 6.75m,
            acceptors: new[] { new Planning.Calibration.Acceptor(2.5, new double[] { 5, 0, 0 }, 0.5, 0.1), new Planning.Calibration.Acceptor(-50, new double[6], 0.5) });

        await router.RouteAsync(plan, "p", null, Enum);

        List<Activity> spans;
        lock (_stopped) spans = _stopped.Where(a => Equals(a.GetTagItem(RoutingTelemetry.TaskTag), Task)).ToList();
        var route = Assert.Single(spans, a => a.OperationName == "route " + Task);
        Assert.Equal("small", route.GetTagItem("routingsdk.skipped_to_last"));
        Assert.Equal("frontier", route.GetTagItem("routingsdk.final_tier"));
        Assert.Equal(new[] { "chat small", "chat frontier" }, spans.Where(a => a.Kind == ActivityKind.Client).Select(a => a.DisplayName));
        Assert.Equal(new[] { "small:escalated", "frontier:accepted" },
            Of(Task, RoutingTelemetry.Calls).Select(m => $"{m.Tags[RoutingTelemetry.TierTag]}:{m.Tags[RoutingTelemetry.OutcomeTag]}"));
    }

    [Fact]
    public async Task Content_is_recorded_only_when_opted_in()
    {
        const string Task = "Telemetry.Content";
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Small(0.99) }, options: new RoutingOptions { RecordContent = true });

        await router.RouteAsync(NamedPlan(Task), "the prompt", null, Enum);

        Activity tier;
        lock (_stopped) tier = _stopped.Single(a => Equals(a.GetTagItem(RoutingTelemetry.TaskTag), Task) && a.Kind == ActivityKind.Client);
        Assert.Contains("the prompt", (string)tier.GetTagItem("gen_ai.input.messages")!);
        Assert.Equal("Billing", tier.GetTagItem("gen_ai.output.messages"));
    }

    [Fact]
    public async Task A_failed_call_marks_its_spans_as_errors()
    {
        const string Task = "Telemetry.Errors";
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = FakeChatClient.Throwing(() => new TimeoutException("down")) });

        await Assert.ThrowsAsync<RoutingFailedException>(() => router.RouteAsync(NamedPlan(Task, chain: ["small"]), "p", null, Enum));

        List<Activity> spans;
        lock (_stopped) spans = _stopped.Where(a => Equals(a.GetTagItem(RoutingTelemetry.TaskTag), Task)).ToList();
        Assert.All(spans, a => Assert.Equal(ActivityStatusCode.Error, a.Status));
        Assert.Contains(spans, a => Equals(a.GetTagItem("error.type"), typeof(TimeoutException).FullName));
        Assert.Contains(spans, a => Equals(a.GetTagItem("error.type"), typeof(RoutingFailedException).FullName));
    }
}

/// <summary>The hot path allocates nothing when the tier answers synchronously and nobody listens.</summary>
[Collection(ListenerCollection.Name)]
public sealed class HotPathTests
{
    // The point is that the call completes synchronously: reading Result of a completed ValueTask does not block.
#pragma warning disable xUnit1031
    [Fact]
    public void A_synchronous_accepted_call_allocates_nothing_beyond_the_messages()
    {
        var response = FakeChatClient.Response("Billing", usage: FakeChatClient.Usage(400, 10));
        var completed = Task.FromResult(response);
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = new CannedClient(completed) });
        var plan = NamedPlan("HotPath");
        var messages = new[] { new ChatMessage(ChatRole.User, "Classify: refund") };
        var parser = AnswerParsers.Enum<Category>();
        for (var i = 0; i < 1000; i++) _ = router.RouteValueAsync(plan, messages, parser, null, default).Result;

        var synchronous = 0;
        var billing = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            var pending = router.RouteValueAsync(plan, messages, parser, null, default);
            if (pending.IsCompletedSuccessfully) synchronous++;
            if (pending.Result == Category.Billing) billing++;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(10_000, synchronous);
        Assert.Equal(10_000, billing);
        Assert.Equal(11_000, router.Ledger.Snapshot().Entries.Single().Calls);
    }

    [Fact]
    public void A_synchronous_call_accepted_by_the_start_tiers_acceptor_allocates_nothing_beyond_the_messages()
    {
        // Confidence 0.9: p = σ(2 + 4·ln 0.9) = 0.83, above the acceptor's 0.8.
        var response = FakeChatClient.Response("Billing", confidence: 0.9, usage: FakeChatClient.Usage(400, 10));
        var small = new CannedClient(Task.FromResult(response));
        var mid = FakeChatClient.Answering("Technical", usage: FakeChatClient.Usage(400, 10));
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = small, ["mid"] = mid });
        var plan = new RoutePlan("HotPath.Acceptor", TaskKind.Classification, Complexity.Low, TierCatalog.BuiltIn, new[] { "small", "mid" }, 0.85, 0.97, 0.1m, 6.75m,
            acceptors: new[] { new Acceptor(2, new double[] { 4, 0, 0 }, 0.8) });
        var messages = new[] { new ChatMessage(ChatRole.User, "Classify: refund") };
        var parser = AnswerParsers.Enum<Category>();
        for (var i = 0; i < 1000; i++) _ = router.RouteValueAsync(plan, messages, parser, null, default).Result;

        var synchronous = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            var pending = router.RouteValueAsync(plan, messages, parser, null, default);
            if (pending.IsCompletedSuccessfully && pending.Result == Category.Billing) synchronous++;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(10_000, synchronous);
        Assert.Equal(0, mid.Calls);
        Assert.Equal(11_000, router.Ledger.Snapshot().Entries.Single().Calls);
    }

    [Fact]
    public async Task Calls_that_escalate_past_an_acceptor_lend_one_history_to_each_other_and_decide_alike()
    {
        // Confidence 0.5 at the start: p = σ(2 + 4·ln 0.5) = 0.32, escalated; mid's acceptor never accepts; frontier answers.
        var small = FakeChatClient.Answering("Billing", 0.5, FakeChatClient.Usage(400, 10));
        var mid = FakeChatClient.Answering("Billing", 0.99, FakeChatClient.Usage(400, 10));
        var frontier = FakeChatClient.Answering("General", usage: FakeChatClient.Usage(400, 10));
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = small, ["mid"] = mid, ["frontier"] = frontier });
        // Mid accepts only when small agreed with it (weight on agreement): the history must hold small's answer every call.
        var plan = new RoutePlan("HotPath.History", TaskKind.Classification, Complexity.Low, TierCatalog.BuiltIn, new[] { "small", "mid", "frontier" }, 0.85, 0.97, 0.1m, 6.75m,
            acceptors: new[] { new Acceptor(2, new double[] { 4, 0, 0 }, 0.8), new Acceptor(-5, new double[] { 0, 0, 0, 10, 0, 0 }, 0.8) });

        for (var i = 0; i < 50; i++) Assert.Equal(Category.Billing, await router.RouteAsync(plan, "p", null, AnswerParsers.Enum<Category>()));

        Assert.Equal(50, small.Calls);
        Assert.Equal(50, mid.Calls);
        Assert.Equal(0, frontier.Calls);
    }
#pragma warning restore xUnit1031

    private sealed class CannedClient(Task<ChatResponse> completed) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => completed;

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
