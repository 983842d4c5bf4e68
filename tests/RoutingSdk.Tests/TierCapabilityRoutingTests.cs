using System.Diagnostics.Metrics;
using static RoutingSdk.Tests.Routing;

namespace RoutingSdk.Tests;

/// <summary>
/// What tiers can do, at run time: a request too large for a tier's context window passes over it without a call or a
/// charge (a skip, counted as such, not a fault), and a structured result is asked of tiers with structured output in
/// the result's JSON schema, and of no other tier.
/// </summary>
[Collection(ListenerCollection.Name)]
public sealed class TierCapabilityRoutingTests
{
    private static readonly IAnswerParser<Category> Enum = AnswerParsers.Enum<Category>();
    private static readonly IAnswerParser<Invoice> InvoiceParser = AnswerParsers.Json<Invoice>();

    private static readonly TierCatalog Windows = new(new[]
    {
        new TierSpec("small", 0, 0.25m, 1.25m) { ContextWindowTokens = 1_000 },
        new TierSpec("mid", 1, 3m, 15m) { ContextWindowTokens = 10_000 },
        new TierSpec("frontier", 2, 15m, 75m),
    });

    private static readonly TierCatalog Structured = new(new[]
    {
        new TierSpec("small", 0, 0.25m, 1.25m) { Capabilities = TierCapabilities.None },
        new TierSpec("mid", 1, 3m, 15m) { Capabilities = TierCapabilities.StructuredOutput },
        new TierSpec("frontier", 2, 15m, 75m),
    });

    private static RoutePlan On(TierCatalog catalog, string task, double threshold = 0.5)
        => new(task, TaskKind.Classification, Complexity.Low, catalog, new[] { "small", "mid", "frontier" }, threshold, 0.9, 1m, 1m);

    [Fact]
    public async Task A_prompt_too_large_for_a_tiers_window_skips_it_uncharged_and_the_next_tier_answers()
    {
        var skips = new List<(string Tier, object? Reason)>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) => { if (instrument.Name == RoutingTelemetry.Skips) listener.EnableMeasurementEvents(instrument); };
        meters.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var copy = tags.ToArray().ToDictionary(t => t.Key, t => t.Value);
            if (Equals(copy[RoutingTelemetry.TaskTag], "Windows.Skip")) lock (skips) skips.Add(((string)copy[RoutingTelemetry.TierTag]!, copy["routingsdk.skip.reason"]));
        });
        meters.Start();
        var small = FakeChatClient.Answering("General", 0.99, FakeChatClient.Usage(10, 1));
        var mid = FakeChatClient.Answering("Billing", 0.99, FakeChatClient.Usage(3_000, 1));
        var ledger = new CostLedger();
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = small, ["mid"] = mid }, ledger);

        // 12,000 characters: about 3,000 tokens, more than small's 1,000, within mid's 10,000.
        var answer = await router.RouteAsync(On(Windows, "Windows.Skip"), new string('x', 12_000), null, Enum);

        Assert.Equal(Category.Billing, answer);
        Assert.Equal(0, small.Calls);
        Assert.Equal("mid", Assert.Single(ledger.Snapshot().Entries).Tier);
        Assert.Equal(("small", (object?)"context_window"), Assert.Single(skips));
    }

    [Fact]
    public async Task A_short_prompt_uses_the_small_window_tier_as_usual()
    {
        var small = FakeChatClient.Answering("Billing", 0.99, FakeChatClient.Usage(10, 1));
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = small });

        Assert.Equal(Category.Billing, await router.RouteAsync(On(Windows, "Windows.Fits"), "short", null, Enum));
        Assert.Equal(1, small.Calls);
    }

    [Fact]
    public async Task A_prompt_no_tier_can_hold_fails_with_an_exception_that_names_each_skip()
    {
        var only = new TierCatalog(new[] { new TierSpec("small", 0, 0.25m, 1.25m) { ContextWindowTokens = 100 }, new TierSpec("mid", 1, 3m, 15m) { ContextWindowTokens = 200 } });
        var plan = new RoutePlan("Windows.None", TaskKind.Classification, Complexity.Low, only, new[] { "small", "mid" }, 0.5, 0.9, 1m, 1m);
        var small = FakeChatClient.Answering("Billing");
        var mid = FakeChatClient.Answering("Billing");
        var ledger = new CostLedger();
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = small, ["mid"] = mid }, ledger);

        var failure = await Assert.ThrowsAsync<RoutingFailedException>(() => router.RouteAsync(plan, new string('x', 4_000), null, Enum));

        Assert.Contains("context window of 100", failure.Message);
        Assert.Contains("context window of 200", failure.Message);
        Assert.Equal(0, small.Calls + mid.Calls);
        Assert.Empty(ledger.Snapshot().Entries);
    }

    [Fact]
    public async Task A_structured_result_is_asked_in_its_json_schema_of_tiers_with_structured_output_only()
    {
        var formats = new Dictionary<string, ChatResponseFormat?>();
        FakeChatClient Tier(string name, string answer) => new((_, options, _) =>
        {
            lock (formats) formats[name] = options?.ResponseFormat;
            return Task.FromResult(FakeChatClient.Response(answer, 0.1, FakeChatClient.Usage(10, 5)));
        });
        var router = Router(new Dictionary<string, IChatClient>
        {
            ["small"] = Tier("small", "{\"Number\":\"A-1\",\"Amount\":5}"),
            ["mid"] = Tier("mid", "{\"Number\":\"A-1\",\"Amount\":5}"),
            ["frontier"] = Tier("frontier", "{\"Number\":\"A-1\",\"Amount\":5}"),
        });

        // Threshold 0.9 and confidence 0.1: every tier is called.
        var invoice = await router.RouteAsync(On(Structured, "Structured.Invoice", 0.9), "p", null, InvoiceParser);

        Assert.Equal(new Invoice("A-1", 5), invoice);
        Assert.Null(formats["small"]);          // declares its capabilities without structured output
        Assert.Null(formats["frontier"]);       // declares none: nothing is assumed
        var schema = Assert.IsType<ChatResponseFormatJson>(formats["mid"]);
        Assert.Equal("Invoice", schema.SchemaName);
        var properties = schema.Schema!.Value.GetProperty("properties");
        Assert.True(properties.TryGetProperty("Number", out _) || properties.TryGetProperty("number", out _), schema.Schema.Value.ToString());
    }

    [Fact]
    public async Task A_text_result_asks_no_tier_for_a_schema()
    {
        ChatResponseFormat? seen = ChatResponseFormat.Json;
        var mid = new FakeChatClient((_, options, _) =>
        {
            seen = options?.ResponseFormat;
            return Task.FromResult(FakeChatClient.Response("Billing", 0.99, FakeChatClient.Usage(10, 1)));
        });
        var plan = new RoutePlan("Structured.Text", TaskKind.Classification, Complexity.Low, Structured, new[] { "mid" }, 0.5, 0.9, 1m, 1m);
        var router = Router(new Dictionary<string, IChatClient> { ["mid"] = mid });

        Assert.Equal(Category.Billing, await router.RouteAsync(plan, "p", null, Enum));
        Assert.Null(seen);
    }
}
