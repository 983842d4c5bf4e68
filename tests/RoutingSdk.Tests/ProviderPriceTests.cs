using System.Diagnostics;
using static RoutingSdk.Tests.Routing;

namespace RoutingSdk.Tests;

/// <summary>
/// Prices as providers charge them: cached input at its own price, long-context calls at theirs, booked exactly in the
/// ledger (per call and summed), on the tier spans as the GenAI cost attributes, on a routed chat response, and in the
/// caller's own <see cref="CostScope"/>.
/// </summary>
[Collection(ListenerCollection.Name)]
public sealed class ProviderPriceTests
{
    private static readonly IAnswerParser<Category> Enum = AnswerParsers.Enum<Category>();

    /// <summary>A small tier at $0.40 / $1.60 per million, cached input at $0.10; above 200,000 input tokens $0.80 / $3.20, cached $0.20.</summary>
    private static readonly TierSpec Small = new("small", 0, 0.40m, 1.60m, typicalLatencyMs: 400)
    {
        CachedInputCostPerMillion = 0.10m,
        LongContextThresholdTokens = 200_000,
        LongContextInputCostPerMillion = 0.80m,
        LongContextOutputCostPerMillion = 3.20m,
        LongContextCachedInputCostPerMillion = 0.20m,
    };

    private static readonly TierSpec Frontier = new("frontier", 1, 10m, 40m, typicalLatencyMs: 4000) { CachedInputCostPerMillion = 2.5m };

    private static readonly TierCatalog Catalog = new(new[] { Small, Frontier });

    private static UsageDetails Usage(long input, long cached, long output) => new() { InputTokenCount = input, CachedInputTokenCount = cached, OutputTokenCount = output };

    [Fact]
    public void A_call_prices_cached_input_at_the_cached_price_and_the_rest_at_the_input_price()
    {
        // 10,000 input of which 8,000 cached, 500 output: 2,000 at the input price, 8,000 at the cached price, 500 at the output price.
        Assert.Equal((2_000 * 0.40m + 8_000 * 0.10m + 500 * 1.60m) / 1_000_000m, Small.Cost(10_000, 8_000, 500, 0));
        // Without a cached price the cached tokens cost what input costs: never less than the provider charges.
        var plain = new TierSpec("plain", 0, 0.40m, 1.60m);
        Assert.Equal(plain.Cost(10_000, 500), plain.Cost(10_000, 8_000, 500, 0));
        // More cached tokens than input tokens is impossible: at most the input is cached.
        Assert.Equal(Small.Cost(1_000, 1_000, 0, 0), Small.Cost(1_000, 5_000, 0, 0));
    }

    [Fact]
    public void A_call_above_the_long_context_threshold_is_charged_at_the_long_context_prices_whole()
    {
        Assert.False(Small.IsLongContext(200_000));
        Assert.True(Small.IsLongContext(200_001));
        Assert.Equal((200_000 * 0.40m + 100 * 1.60m) / 1_000_000m, Small.Cost(200_000, 0, 100, 0));
        Assert.Equal((150_001 * 0.80m + 50_000 * 0.20m + 100 * 3.20m) / 1_000_000m, Small.Cost(200_001, 50_000, 100, 0));
    }

    [Fact]
    public async Task The_ledger_books_cached_and_long_context_calls_exactly_and_reports_the_cached_tokens()
    {
        var calls = new[] { Usage(10_000, 8_000, 500), Usage(250_000, 100_000, 900), Usage(1_000, 0, 20), Usage(300_000, 0, 1) };
        var next = 0;
        var small = new FakeChatClient((_, _, _) => Task.FromResult(FakeChatClient.Response("Billing", 0.99, calls[next++])));
        var ledger = new CostLedger();
        var router = new TaskRouter(t => t == "small" ? small : null, ledger);
        var plan = Plan(0.5, Catalog, "small", "frontier");

        for (var i = 0; i < calls.Length; i++) Assert.Equal(Category.Billing, await router.RouteAsync(plan, "p", null, Enum));

        var entry = Assert.Single(ledger.Snapshot().Entries);
        Assert.Equal(calls.Length, entry.Calls);
        Assert.Equal(calls.Sum(c => c.InputTokenCount!.Value), entry.InputTokens);
        Assert.Equal(calls.Sum(c => c.CachedInputTokenCount!.Value), entry.CachedInputTokens);
        // Each call priced at its own level, summed: the ledger's figure is the sum of the per-call prices, to the last digit.
        Assert.Equal(calls.Sum(c => Small.Cost(c.InputTokenCount!.Value, c.CachedInputTokenCount!.Value, c.OutputTokenCount!.Value, 0)), entry.Usd);
        // The all-frontier figure prices the same calls, cache included, at the reference tier.
        Assert.Equal(calls.Sum(c => Frontier.Cost(c.InputTokenCount!.Value, c.CachedInputTokenCount!.Value, c.OutputTokenCount!.Value, 0)), entry.AllFrontierUsd);
    }

    [Fact]
    public void A_record_handed_to_the_ledger_keeps_its_cached_tokens_and_price()
    {
        var ledger = new CostLedger();
        var record = new CostRecord("T", Small, Frontier, 10_000, 500, 0, CallOutcome.Accepted, cachedInputTokens: 8_000);
        ledger.Record(record);

        var entry = Assert.Single(ledger.Snapshot().Entries);
        Assert.Equal(8_000, entry.CachedInputTokens);
        Assert.Equal(record.Usd, entry.Usd);
        Assert.Equal(Small.Cost(10_000, 8_000, 500, 0), record.Usd);
    }

    [Fact]
    public async Task A_cost_scope_adds_up_the_calls_made_inside_it_and_only_those()
    {
        var small = FakeChatClient.Answering("General", 0.1, Usage(1_000, 400, 10));     // rejected: escalates
        var frontier = FakeChatClient.Answering("Billing", 0.99, Usage(1_000, 400, 10));
        var ledger = new CostLedger();
        var router = new TaskRouter(t => t == "small" ? small : t == "frontier" ? frontier : null, ledger);
        var plan = Plan(0.9, Catalog, "small", "frontier");

        await router.RouteAsync(plan, "before", null, Enum);
        decimal inner, outer;
        using (var scope = CostScope.Begin())
        {
            using (var nested = CostScope.Begin())
            {
                await router.RouteAsync(plan, "mine", null, Enum);
                inner = nested.TotalUsd;
                Assert.Equal(2, nested.Calls);
                Assert.Same(nested, CostScope.Current);
            }

            Assert.Same(scope, CostScope.Current);
            await router.RouteAsync(plan, "mine too", null, Enum);
            outer = scope.TotalUsd;
            Assert.Equal(4, scope.Calls);
            Assert.Equal(new[] { "small", "frontier", "small", "frontier" }, scope.Records.Select(r => r.Tier.Name));
        }

        Assert.Null(CostScope.Current);
        var perRoute = Small.Cost(1_000, 400, 10, 0) + Frontier.Cost(1_000, 400, 10, 0);
        Assert.Equal(perRoute, inner);
        Assert.Equal(2 * perRoute, outer);
        Assert.Equal(3 * perRoute, ledger.Snapshot().TotalUsd);
    }

    [Fact]
    public async Task A_cost_scope_sees_calls_that_take_the_allocation_free_path_too()
    {
        // One tier, a synchronous answer with usage: outside a scope this is the router's fast path.
        var small = FakeChatClient.Answering("Billing", 0.99, Usage(2_000, 1_000, 5));
        var router = new TaskRouter(t => t == "small" ? small : null, new CostLedger());
        var plan = Plan(0.5, Catalog, "small");
        using var scope = CostScope.Begin();

        await router.RouteAsync(plan, "p", null, Enum);

        Assert.Equal(Small.Cost(2_000, 1_000, 5, 0), scope.TotalUsd);
    }

    [Fact]
    public async Task A_routed_chat_response_carries_the_whole_calls_cost()
    {
        var small = new FakeChatClient((_, _, _) => Task.FromResult(FakeChatClient.Response("small says hi", 0.2, Usage(1_000, 0, 10))));
        var frontier = new FakeChatClient((_, _, _) => Task.FromResult(FakeChatClient.Response("frontier says hi", 0.99, Usage(1_000, 600, 10))));
        var router = new TaskRouter(t => t == "small" ? small : null, new CostLedger());
        using var client = new ChatClientBuilder(frontier)
            .UseTieredRouting(router, o => o.Plan = new RoutePlan("chat", TaskKind.General, Complexity.Low, Catalog, new[] { "small", "frontier" }, 0.9, 0.9, 1m, 1m))
            .Build();

        var response = await client.GetResponseAsync("hello");

        Assert.Equal("frontier", response.AdditionalProperties![TaskRouter.TierProperty]);
        Assert.Equal(Small.Cost(1_000, 0, 10, 0) + Frontier.Cost(1_000, 600, 10, 0), Assert.IsType<decimal>(response.AdditionalProperties[TaskRouter.CostProperty]));
    }

    [Fact]
    public async Task Each_tier_span_carries_its_cost_and_cached_tokens_as_the_GenAI_attributes()
    {
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RoutingTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (stopped) stopped.Add(activity); },
        };
        ActivitySource.AddActivityListener(listener);
        var small = FakeChatClient.Answering("Billing", 0.99, Usage(10_000, 8_000, 500));
        var router = new TaskRouter(t => t == "small" ? small : null, new CostLedger());

        await router.RouteAsync(NamedPlanOn("Prices.Span"), "p", null, Enum);

        Activity tier;
        lock (stopped) tier = stopped.Single(a => Equals(a.GetTagItem(RoutingTelemetry.TaskTag), "Prices.Span") && a.GetTagItem(RoutingTelemetry.TierTag) is not null);
        Assert.Equal((double)Small.Cost(10_000, 8_000, 500, 0), tier.GetTagItem("gen_ai.usage.cost.amount"));
        Assert.Equal("USD", tier.GetTagItem("gen_ai.usage.cost.currency"));
        Assert.Equal("local", tier.GetTagItem("gen_ai.usage.cost.source"));
        Assert.Equal(8_000L, tier.GetTagItem("gen_ai.usage.cache_read.input_tokens"));
    }

    private static RoutePlan NamedPlanOn(string task) => new(task, TaskKind.Classification, Complexity.Low, Catalog, new[] { "small" }, 0.5, 0.9, 1m, 1m);
}
