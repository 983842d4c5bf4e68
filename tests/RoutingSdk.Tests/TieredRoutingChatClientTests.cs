using System.Diagnostics;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RoutingSdk.Tests;

/// <summary>UseTieredRouting: a DelegatingChatClient step that routes arbitrary chat requests and composes with the M.E.AI pipeline.</summary>
[Collection(ListenerCollection.Name)]
public class TieredRoutingChatClientTests
{
    private static ChatResponse Answer(string text, double? confidence = null) => FakeChatClient.Response(text, confidence, FakeChatClient.Usage(100, 20));

    private static (TaskRouter Router, FakeChatClient Small, FakeChatClient Mid, CostLedger Ledger) Tiers(double smallConfidence)
    {
        var small = new FakeChatClient((_, _, _) => Task.FromResult(Answer("small says hi", smallConfidence)));
        var mid = new FakeChatClient((_, _, _) => Task.FromResult(Answer("mid says hi", 0.99)));
        var ledger = new CostLedger();
        var clients = new Dictionary<string, IChatClient> { ["small"] = small, ["mid"] = mid };
        return (new TaskRouter(t => clients.TryGetValue(t, out var c) ? c : null, ledger), small, mid, ledger);
    }

    [Fact]
    public async Task A_confident_cheap_tier_answers_and_the_inner_client_is_not_called()
    {
        var (router, small, _, ledger) = Tiers(0.95);
        var frontier = new FakeChatClient((_, _, _) => Task.FromResult(Answer("frontier says hi")));
        using var client = new ChatClientBuilder(frontier).UseTieredRouting(router, o => o.Kind = TaskKind.Classification).Build();

        var response = await client.GetResponseAsync("hello");

        Assert.Equal("small says hi", response.Text);
        Assert.Equal("small", response.AdditionalProperties![TaskRouter.TierProperty]);
        Assert.Equal(0, frontier.Calls);
        Assert.Equal("chat", ledger.Snapshot().Entries.Single().TaskName);
    }

    [Fact]
    public async Task An_unconfident_answer_escalates_with_the_callers_options_minus_its_model()
    {
        var (router, small, mid, ledger) = Tiers(0.1);
        var frontier = new FakeChatClient((_, _, _) => Task.FromResult(Answer("frontier says hi")));
        using var client = new ChatClientBuilder(frontier)
            .UseTieredRouting(router, o => { o.Kind = TaskKind.Classification; o.Complexity = Complexity.Low; o.QualityThreshold = 0.85; })
            .Build();

        var response = await client.GetResponseAsync("hello", new ChatOptions { ModelId = "caller-model", Temperature = 0.2f });

        Assert.Equal("mid says hi", response.Text);
        Assert.Equal(1, small.Calls);
        Assert.Equal(1, mid.Calls);
        Assert.Equal(0, frontier.Calls);
        Assert.Null(small.LastOptions!.ModelId);            // the caller's model does not reach the tiers
        Assert.Equal(0.2f, small.LastOptions.Temperature);   // the rest of the caller's options does
        Assert.Equal(new[] { "small", "mid" }, ledger.Snapshot().Entries.Select(e => e.Tier));
    }

    [Fact]
    public async Task The_inner_client_serves_the_last_tier()
    {
        var (router, _, _, _) = Tiers(0.1);
        var frontier = new FakeChatClient((_, _, _) => Task.FromResult(Answer("frontier says hi")));
        using var client = new ChatClientBuilder(frontier)
            .UseTieredRouting(router, o => o.Plan = new RoutePlan("chat", TaskKind.General, Complexity.Low, TierCatalog.BuiltIn, new[] { "small", "frontier" }, 0.9, 0.9, 1m, 1m))
            .Build();

        var response = await client.GetResponseAsync("hello");

        Assert.Equal("frontier says hi", response.Text);
        Assert.Equal("frontier", response.AdditionalProperties![TaskRouter.TierProperty]);
    }

    [Fact]
    public async Task Composes_with_distributed_caching_outside_the_routing_step()
    {
        var (router, small, _, ledger) = Tiers(0.95);
        var cache = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        using var client = new ChatClientBuilder(new FakeChatClient((_, _, _) => Task.FromResult(Answer("frontier"))))
            .UseDistributedCache(cache)
            .UseTieredRouting(router, o => o.Kind = TaskKind.Classification)
            .Build();

        var first = await client.GetResponseAsync("same question");
        var second = await client.GetResponseAsync("same question");

        Assert.Equal(first.Text, second.Text);
        Assert.Equal(1, small.Calls);                                   // the second answer came from the cache
        Assert.Equal(1, ledger.Snapshot().Entries.Single().Calls);       // and cost nothing
    }

    [Fact]
    public async Task Composes_with_OpenTelemetry_whose_span_parents_the_routing_spans()
    {
        var (router, _, _, _) = Tiers(0.95);
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Composition.App" or RoutingTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (stopped) stopped.Add(a); },
        };
        ActivitySource.AddActivityListener(listener);
        using var client = new ChatClientBuilder(new FakeChatClient((_, _, _) => Task.FromResult(Answer("frontier"))))
            .UseOpenTelemetry(sourceName: "Composition.App")
            .UseTieredRouting(router, o => { o.Kind = TaskKind.Classification; o.TaskName = "Composition.Chat"; })
            .Build();

        await client.GetResponseAsync("hello");

        List<Activity> spans;
        lock (stopped) spans = stopped.ToList();
        var outer = Assert.Single(spans, a => a.Source.Name == "Composition.App");
        var route = Assert.Single(spans, a => a.OperationName == "route Composition.Chat");
        Assert.Equal(outer.SpanId, route.ParentSpanId);
        Assert.Equal(route.SpanId, Assert.Single(spans, a => a.Source.Name == RoutingTelemetry.Name && a.Kind == ActivityKind.Client).ParentSpanId);
    }

    [Fact]
    public async Task Streaming_requests_are_routed_and_streamed_from_the_accepted_answer()
    {
        var (router, small, _, _) = Tiers(0.95);
        using var client = new ChatClientBuilder(new FakeChatClient((_, _, _) => Task.FromResult(Answer("frontier"))))
            .UseTieredRouting(router, o => o.Kind = TaskKind.Classification).Build();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("hello")) updates.Add(update);

        Assert.Equal("small says hi", string.Concat(updates.Select(u => u.Text)));
    }

    [Fact]
    public async Task The_router_comes_from_the_service_provider()
    {
        var services = new ServiceCollection();
        services.AddKeyedChatClient("small", new FakeChatClient((_, _, _) => Task.FromResult(Answer("small says hi", 0.95))));
        services.AddRoutingSdk();
        services.AddChatClient(new FakeChatClient((_, _, _) => Task.FromResult(Answer("frontier")))).UseTieredRouting(o => o.Kind = TaskKind.Classification);
        using var provider = services.BuildServiceProvider();

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync("hello");

        Assert.Equal("small says hi", response.Text);
        Assert.Equal(1, provider.GetRequiredService<ICostLedger>().Snapshot().Entries.Single().Calls);
    }

    [Fact]
    public void Settings_that_cannot_be_planned_fail_when_the_pipeline_is_built()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ChatClientBuilder(new FakeChatClient((_, _, _) => Task.FromResult(Answer("x"))))
            .UseTieredRouting(Tiers(1).Router, o => o.MaxTier = "galactic"));
        Assert.Contains("galactic", error.Message);
    }
}
