using System.Diagnostics;
using System.Net.Http;
using System.Runtime.CompilerServices;
using static RoutingSdk.Tests.FakeStreamingChatClient;
using static RoutingSdk.Tests.StreamingUpdates;

namespace RoutingSdk.Tests;

/// <summary>
/// Streaming through UseTieredRouting: tiers whose answer may still be rejected are called whole and scored; the call that
/// ends the chain streams to the caller as it arrives and is booked once, when its stream ends, however it ends.
/// </summary>
[Collection(ListenerCollection.Name)]
public class TieredRoutingStreamingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static RoutePlan Chain(params string[] tiers) => new("chat", TaskKind.General, Complexity.Low, TierCatalog.BuiltIn, tiers, 0.9, 0.9, 1m, 1m);

    private static TaskRouter Router(CostLedger ledger, IChatClient? small = null, RoutingOptions? options = null)
        => new(tier => tier == "small" ? small : null, ledger, options);

    private static IChatClient Pipeline(IChatClient lastTier, TaskRouter router, RoutePlan plan)
        => new ChatClientBuilder(lastTier).UseTieredRouting(router, o => o.Plan = plan).Build();

    /// <summary>What a call reserves in a budget: the request's estimated input and the kind's expected output, at the tier's prices.</summary>
    private static decimal Reservation(string tier, string prompt, TaskKind kind = TaskKind.General)
    {
        var spec = TierCatalog.BuiltIn.Find(tier)!;
        var profile = TokenProfile.For(kind);
        return spec.Cost(TokenProfile.EstimateTokens(prompt.Length), profile.OutputTokens, spec.ExtendedThinking ? profile.ReasoningTokens : 0);
    }

    public static TheoryData<string> ChainEndingPlans => new() { "one tier", "Escalation.None" };

    [Theory]
    [MemberData(nameof(ChainEndingPlans))]
    public async Task The_tier_that_ends_the_chain_streams_its_first_update_while_it_is_still_answering(string kind)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = false;
        var lastTier = new FakeStreamingChatClient(ct => Gated(ct));
        var ledger = new CostLedger();
        var router = Router(ledger);
        using var client = new ChatClientBuilder(lastTier).UseTieredRouting(router, o =>
        {
            if (kind == "one tier") o.Plan = Chain("mid");
            else (o.Kind, o.Complexity, o.Escalation) = (TaskKind.Classification, Complexity.Low, Escalation.None);
        }).Build();

        await using var updates = client.GetStreamingResponseAsync("hello").GetAsyncEnumerator();
        Assert.True(await updates.MoveNextAsync().AsTask().WaitAsync(Timeout));

        Assert.Equal("Hello", updates.Current.Text);
        Assert.False(finished);                        // the tier is still held at the gate
        Assert.Empty(ledger.Snapshot().Entries);       // booked when the stream ends, not before

        gate.SetResult();
        var rest = new List<ChatResponseUpdate>();
        while (await updates.MoveNextAsync()) rest.Add(updates.Current);

        Assert.Equal(", world", string.Concat(rest.Select(u => u.Text)));
        Assert.Equal((1, 0), (lastTier.StreamingCalls, lastTier.ResponseCalls));
        var entry = Assert.Single(ledger.Snapshot().Entries);
        Assert.Equal((1L, 50L, 7L, 0L), (entry.Calls, entry.InputTokens, entry.OutputTokens, entry.EstimatedCalls));

        async IAsyncEnumerable<ChatResponseUpdate> Gated([EnumeratorCancellation] CancellationToken ct = default)
        {
            yield return Text("Hello");
            await gate.Task.WaitAsync(ct);
            yield return Text(", world");
            yield return Usage(50, 7);
            finished = true;
        }
    }

    [Fact]
    public async Task A_rejected_cheap_tier_is_called_whole_and_the_last_tier_is_streamed()
    {
        var small = FakeChatClient.Answering("small says hi", 0.1, FakeChatClient.Usage(100, 20));   // its streaming API throws
        var frontier = new FakeStreamingChatClient(_ => Updates(Text("frontier "), Text("says hi"), Usage(120, 30)));
        var ledger = new CostLedger();
        using var client = Pipeline(frontier, Router(ledger, small), Chain("small", "frontier"));

        var updates = await Collect(client.GetStreamingResponseAsync("hello", new ChatOptions { ModelId = "caller-model", Temperature = 0.2f }));

        Assert.Equal("frontier says hi", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal("frontier", updates[0].AdditionalProperties![TaskRouter.TierProperty]);
        Assert.Equal(1, small.Calls);
        Assert.Equal((1, 0), (frontier.StreamingCalls, frontier.ResponseCalls));
        Assert.Equal(TierCatalog.BuiltIn.Find("frontier")!.ModelId, frontier.LastOptions!.ModelId);   // the tier's options, as a buffered call gets them
        Assert.Equal(0.2f, frontier.LastOptions.Temperature);
        Assert.Equal(
            new[] { ("small", 1L, 1L, 100L, 20L, 0L), ("frontier", 1L, 0L, 120L, 30L, 0L) },
            ledger.Snapshot().Entries.Select(e => (e.Tier, e.Calls, e.Escalations, e.InputTokens, e.OutputTokens, e.EstimatedCalls)));
    }

    [Fact]
    public async Task An_accepted_cheap_tier_is_replayed_and_the_last_tier_is_never_called()
    {
        var small = FakeChatClient.Answering("small says hi", 0.95, FakeChatClient.Usage(100, 20));
        var frontier = new FakeStreamingChatClient(_ => Updates(Text("frontier")));
        var ledger = new CostLedger();
        using var client = Pipeline(frontier, Router(ledger, small), Chain("small", "frontier"));

        var updates = await Collect(client.GetStreamingResponseAsync("hello"));

        Assert.Equal("small says hi", string.Concat(updates.Select(u => u.Text)));
        Assert.Contains(updates, u => u.AdditionalProperties?.TryGetValue(TaskRouter.TierProperty, out var tier) == true && Equals(tier, "small"));
        Assert.Equal((0, 0), (frontier.StreamingCalls, frontier.ResponseCalls));
        Assert.Equal("small", Assert.Single(ledger.Snapshot().Entries).Tier);
    }

    [Fact]
    public async Task A_stream_without_usage_is_booked_on_an_estimate()
    {
        var lastTier = new FakeStreamingChatClient(_ => Updates(Text("abcdefgh"), Text("ijkl")));
        var ledger = new CostLedger();
        using var client = Pipeline(lastTier, Router(ledger), Chain("mid"));

        await Collect(client.GetStreamingResponseAsync("hello"));

        var entry = Assert.Single(ledger.Snapshot().Entries);
        Assert.Equal((1L, 1L), (entry.Calls, entry.EstimatedCalls));
        Assert.Equal(TokenProfile.EstimateTokens("hello".Length), entry.InputTokens);
        Assert.Equal(TokenProfile.EstimateTokens("abcdefghijkl".Length), entry.OutputTokens);
    }

    [Fact]
    public async Task A_stream_that_fails_after_two_updates_reaches_the_caller_booked_once_with_its_reservation_settled()
    {
        // The budget holds exactly one reservation plus what the failed call really cost: a reservation left behind would
        // refuse the second call; the third is refused because the second one spent as much again.
        var cost = TierCatalog.BuiltIn.Find("mid")!.Cost(40, 8);
        var options = new RoutingOptions();
        options.Budgets.Add(new RoutingBudget("run", Reservation("mid", "hello") + cost));
        var calls = 0;
        var lastTier = new FakeStreamingChatClient(_ => Interlocked.Increment(ref calls) == 1 ? Failing() : Updates(Text("fine"), Usage(40, 8)));
        var ledger = new CostLedger();
        using var client = Pipeline(lastTier, Router(ledger, options: options), Chain("mid"));

        var received = new List<ChatResponseUpdate>();
        var error = await Assert.ThrowsAsync<HttpRequestException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hello")) received.Add(update);
        });

        Assert.Equal("connection reset", error.Message);
        Assert.Equal(2, received.Count);
        var entry = Assert.Single(ledger.Snapshot().Entries);
        Assert.Equal((1L, 40L, 8L, 0L), (entry.Calls, entry.InputTokens, entry.OutputTokens, entry.EstimatedCalls));
        Assert.Equal(cost, ledger.Snapshot().TotalUsd);

        Assert.Equal("fine", string.Concat((await Collect(client.GetStreamingResponseAsync("hello"))).Select(u => u.Text)));
        await Assert.ThrowsAsync<BudgetExceededException>(() => Collect(client.GetStreamingResponseAsync("hello")));
        Assert.Equal(2, calls);

        static async IAsyncEnumerable<ChatResponseUpdate> Failing()
        {
            yield return Text("Hel");
            await Task.Yield();
            yield return Usage(40, 8);
            throw new HttpRequestException("connection reset");
        }
    }

    [Fact]
    public async Task A_caller_that_stops_reading_early_still_gets_the_call_booked_once()
    {
        var disposed = false;
        var lastTier = new FakeStreamingChatClient(_ => Endless());
        var ledger = new CostLedger();
        using var client = Pipeline(lastTier, Router(ledger), Chain("mid"));

        await foreach (var update in client.GetStreamingResponseAsync("hello"))
        {
            Assert.Equal("first", update.Text);
            break;
        }

        Assert.True(disposed);
        var entry = Assert.Single(ledger.Snapshot().Entries);
        Assert.Equal((1L, 1L), (entry.Calls, entry.EstimatedCalls));   // the usage never came: estimated from what was received
        Assert.Equal(TokenProfile.EstimateTokens("first".Length), entry.OutputTokens);

        async IAsyncEnumerable<ChatResponseUpdate> Endless()
        {
            try
            {
                while (true)
                {
                    await Task.Yield();
                    yield return Text("first");
                }
            }
            finally
            {
                disposed = true;
            }
        }
    }

    [Fact]
    public async Task The_callers_cancellation_mid_stream_ends_it_at_once_booked_and_never_retried()
    {
        var small = FakeChatClient.Answering("small says hi", 0.1, FakeChatClient.Usage(100, 20));
        var frontier = new FakeStreamingChatClient(ct => Waiting(ct));
        var ledger = new CostLedger();
        using var client = Pipeline(frontier, Router(ledger, small), Chain("small", "frontier"));
        using var cancellation = new CancellationTokenSource();

        await using var updates = client.GetStreamingResponseAsync("hello", cancellationToken: cancellation.Token).GetAsyncEnumerator();
        Assert.True(await updates.MoveNextAsync());
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => updates.MoveNextAsync().AsTask().WaitAsync(Timeout));
        Assert.Equal((1, 1), (small.Calls, frontier.StreamingCalls));
        Assert.Equal(new[] { ("small", 1L), ("frontier", 1L) }, ledger.Snapshot().Entries.Select(e => (e.Tier, e.Calls)));

        static async IAsyncEnumerable<ChatResponseUpdate> Waiting([EnumeratorCancellation] CancellationToken ct = default)
        {
            yield return Text("first");
            await Task.Delay(System.Threading.Timeout.Infinite, ct);
            yield return Text("never");
        }
    }

    [Fact]
    public async Task The_callers_cancellation_before_the_first_update_is_not_a_tier_failure()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lastTier = new FakeStreamingChatClient(ct => Silent(ct));
        var ledger = new CostLedger();
        using var client = Pipeline(lastTier, Router(ledger), Chain("mid"));
        using var cancellation = new CancellationTokenSource();

        var reading = Collect(client.GetStreamingResponseAsync("hello", cancellationToken: cancellation.Token));
        await started.Task.WaitAsync(Timeout);
        cancellation.Cancel();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.WaitAsync(Timeout));
        Assert.Equal(cancellation.Token, error.CancellationToken);
        Assert.Empty(ledger.Snapshot().Entries);   // nothing was received

        async IAsyncEnumerable<ChatResponseUpdate> Silent([EnumeratorCancellation] CancellationToken ct = default)
        {
            started.SetResult();
            await Task.Delay(System.Threading.Timeout.Infinite, ct);
            yield return Text("never");
        }
    }

    [Fact]
    public async Task A_stream_without_content_is_rejected_like_an_empty_answer()
    {
        var lastTier = new FakeStreamingChatClient(_ => Updates(Usage(40, 0)));
        var ledger = new CostLedger();
        using var client = Pipeline(lastTier, Router(ledger), Chain("mid"));

        var error = await Assert.ThrowsAsync<RoutingFailedException>(() => Collect(client.GetStreamingResponseAsync("hello")));

        Assert.Equal("the answer was empty", Assert.Single(error.Failures).Reason);
        var entry = Assert.Single(ledger.Snapshot().Entries);
        Assert.Equal((1L, 40L, 0L), (entry.Calls, entry.InputTokens, entry.OutputTokens));   // the tier answered: its call is booked
    }

    [Fact]
    public async Task A_last_tier_that_fails_before_its_first_update_fails_the_request_like_a_failing_last_tier()
    {
        var small = FakeChatClient.Answering("small says hi", 0.1, FakeChatClient.Usage(100, 20));
        var frontier = new FakeStreamingChatClient(_ => Throwing(new TimeoutException("down")));
        var ledger = new CostLedger();
        using var client = Pipeline(frontier, Router(ledger, small), Chain("small", "frontier"));

        var error = await Assert.ThrowsAsync<RoutingFailedException>(() => Collect(client.GetStreamingResponseAsync("hello")));

        Assert.Equal(new[] { "small", "frontier" }, error.Failures.Select(f => f.Tier));
        Assert.IsType<TimeoutException>(error.Failures[1].Exception);
        Assert.Equal("small", Assert.Single(ledger.Snapshot().Entries).Tier);
    }

    [Fact]
    public async Task A_downgrade_budget_that_ends_the_chain_streams_the_tier_it_ends_at()
    {
        // After small's reservation the budget cannot pay for mid: small ends the chain, so its answer is streamed.
        var options = new RoutingOptions();
        options.Budgets.Add(new RoutingBudget("run", Reservation("small", "hello") + Reservation("mid", "hello") / 2) { Action = BudgetAction.Downgrade });
        var small = new FakeStreamingChatClient(_ => Updates(Text("small "), Text("streams"), Usage(5, 2)));
        var mid = new FakeStreamingChatClient(_ => Updates(Text("mid")));
        var ledger = new CostLedger();
        using var client = Pipeline(mid, Router(ledger, small, options), Chain("small", "mid"));

        var updates = await Collect(client.GetStreamingResponseAsync("hello"));

        Assert.Equal("small streams", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal((1, 0), (small.StreamingCalls, small.ResponseCalls));
        Assert.Equal((0, 0), (mid.StreamingCalls, mid.ResponseCalls));
        Assert.Equal("small", Assert.Single(ledger.Snapshot().Entries).Tier);
    }

    [Fact]
    public async Task With_a_last_tier_minimum_score_every_tier_is_called_whole()
    {
        var lastTier = new FakeStreamingChatClient(_ => Updates(Text("whole answer"), Usage(5, 2)));
        var ledger = new CostLedger();
        using var client = Pipeline(lastTier, Router(ledger, options: new RoutingOptions { LastTierMinimumScore = 0.5 }), Chain("mid"));

        var updates = await Collect(client.GetStreamingResponseAsync("hello"));

        Assert.Equal("whole answer", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal((0, 1), (lastTier.StreamingCalls, lastTier.ResponseCalls));
        Assert.Equal(1, Assert.Single(ledger.Snapshot().Entries).Calls);
    }

    [Fact]
    public async Task The_streamed_tier_runs_under_the_routers_tier_span_which_ends_with_the_stream()
    {
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == RoutingTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (stopped) stopped.Add(a); },
        };
        ActivitySource.AddActivityListener(listener);
        Activity? current = null;
        var lastTier = new FakeStreamingChatClient(_ => Observed());
        using var client = new ChatClientBuilder(lastTier).UseTieredRouting(Router(new CostLedger()), o => o.Plan = new RoutePlan("Streaming.Spans", TaskKind.General, Complexity.Low, TierCatalog.BuiltIn, new[] { "mid" }, 0.9, 0.9, 1m, 1m))
            .Build();

        await Collect(client.GetStreamingResponseAsync("hello"));

        List<Activity> spans;
        lock (stopped) spans = stopped.ToList();
        var route = Assert.Single(spans, a => a.OperationName == "route Streaming.Spans");
        var tier = Assert.Single(spans, a => a.Kind == ActivityKind.Client && a.ParentSpanId == route.SpanId);
        Assert.Same(tier, current);
        Assert.Equal(2L, tier.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal("accepted", tier.GetTagItem(RoutingTelemetry.OutcomeTag));

        async IAsyncEnumerable<ChatResponseUpdate> Observed()
        {
            current = Activity.Current;
            await Task.Yield();
            yield return Text("spans");
            yield return Usage(5, 2);
        }
    }

    [Fact]
    public async Task Concurrent_streams_book_every_answered_tier_call_once_and_leave_no_reservation()
    {
        // Even requests are answered by small; odd ones stream from frontier, which by request ends normally, fails after its
        // first update, fails before it, or is left by the caller after two updates.
        const int Requests = 2000;
        var options = new RoutingOptions();
        options.Budgets.Add(new RoutingBudget("run", 1_000_000m));
        var small = new FakeChatClient((messages, _, _) =>
            Task.FromResult(FakeChatClient.Response("small", Number(messages) % 2 == 0 ? 0.95 : 0.1, FakeChatClient.Usage(100, 20))));
        var frontier = new FakeStreamingChatClient((messages, ct) => Frontier(Number(messages) / 2 % 4, ct));
        var ledger = new CostLedger();
        var router = Router(ledger, small, options);
        using var client = Pipeline(frontier, router, Chain("small", "frontier"));
        var failedAfter = 0;
        var failedBefore = 0;

        await Parallel.ForEachAsync(Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            try
            {
                var read = 0;
                await foreach (var update in client.GetStreamingResponseAsync($"q{i}"))
                {
                    if (++read == 2 && i % 2 == 1 && i / 2 % 4 == 3) break;
                }
            }
            catch (HttpRequestException) { Interlocked.Increment(ref failedAfter); }
            catch (RoutingFailedException) { Interlocked.Increment(ref failedBefore); }
        });

        var streamed = Requests / 2;
        Assert.Equal((streamed / 4, streamed / 4), (failedAfter, failedBefore));
        Assert.Equal((Requests, 0), (small.Calls, frontier.ResponseCalls));
        Assert.Equal(streamed, frontier.StreamingCalls);
        var snapshot = ledger.Snapshot();
        var booked = streamed - streamed / 4;   // all but the ones that failed before their first update
        Assert.Equal(
            new[] { ("small", (long)Requests, (long)streamed, 100L * Requests), ("frontier", (long)booked, 0L, 120L * booked) },
            snapshot.Entries.Select(e => (e.Tier, e.Calls, e.Escalations, e.InputTokens)));
        var usage = Assert.Single(Budgets(router));
        Assert.Equal((snapshot.TotalUsd, 0m), usage);

        static int Number(IReadOnlyList<ChatMessage> messages) => int.Parse(messages[^1].Text.AsSpan(1));

        static async IAsyncEnumerable<ChatResponseUpdate> Frontier(int mode, [EnumeratorCancellation] CancellationToken ct = default)
        {
            await Task.Yield();
            if (mode == 2) throw new TimeoutException("down");
            yield return Text("frontier ");
            await Task.Yield();
            yield return Usage(120, 30);
            if (mode == 1) throw new HttpRequestException("connection reset");
            await Task.Delay(1, ct);
            yield return Text("says hi");
        }
    }

    /// <summary>The router's budgets' usage (internal state: read here only to prove no reservation is left behind).</summary>
    private static (decimal Spent, decimal Reserved)[] Budgets(TaskRouter router) => router.Budgets.Usages();
}
