using System.Net.Http;
using System.Runtime.CompilerServices;
using static RoutingSdk.Tests.FakeStreamingChatClient;

namespace RoutingSdk.Tests;

/// <summary>
/// Tiers that ignore the caller's token on the paths beside the buffered tier call: the streamed tier of a streaming
/// request, a buffered tier of a streaming request, and the model classifier's call. The caller's cancellation ends the
/// call at once; what the abandoned tier reports later is booked and charged, its reservation released meanwhile, and an
/// abandoned stream is disposed when it ends.
/// </summary>
public class CancellationRaceTests
{
    /// <summary>How long a call may take to end after the caller cancelled before the test calls it held: generous, so that a loaded machine does not fail it.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);

    private static RoutePlan Chain(params string[] tiers) => new("race", TaskKind.General, Complexity.Low, TierCatalog.BuiltIn, tiers, 0.9, 0.9, 1m, 1m);

    private static RoutingOptions WithBudget()
    {
        var options = new RoutingOptions();
        options.Budgets.Add(new RoutingBudget("run", 1m));
        return options;
    }

    private static IChatClient Pipeline(IChatClient lastTier, TaskRouter router, RoutePlan plan)
        => new ChatClientBuilder(lastTier).UseTieredRouting(router, o => o.Plan = plan).Build();

    /// <summary>Asserts that <paramref name="call"/> ends, within <see cref="Prompt"/>, with an OperationCanceledException carrying <paramref name="token"/>.</summary>
    private static async Task AssertCancelledPromptly(Task call, CancellationToken token)
    {
        Assert.True(call == await Task.WhenAny(call, Task.Delay(Prompt)), "the call was still held by the tier after the caller cancelled");
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(token, error.CancellationToken);
    }

    /// <summary>Waits until <paramref name="condition"/> holds (a late booking runs on the thread pool), failing after <see cref="Prompt"/>.</summary>
    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Prompt;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(5);
        }
    }

    /// <summary>The ledger holds what the tiers reported, and every budget spent exactly that with nothing left reserved.</summary>
    private static void AssertBudgetsMatchLedger(TaskRouter router, CostLedger ledger)
    {
        var total = ledger.Snapshot().TotalUsd;
        foreach (var usage in router.Budgets.Usages()) Assert.Equal((total, 0m), usage);
    }

    /// <summary>A streamed tier that ignores the token: what <paramref name="before"/> holds, then it waits for <paramref name="gate"/>, then <paramref name="after"/>.</summary>
    private sealed class DeafStream(TaskCompletionSource gate, ChatResponseUpdate[] before, Func<IEnumerable<ChatResponseUpdate>> after)
    {
        public TaskCompletionSource Waiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Disposed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async IAsyncEnumerable<ChatResponseUpdate> Updates([EnumeratorCancellation] CancellationToken ignored = default)
        {
            try
            {
                foreach (var update in before) yield return update;
                Waiting.TrySetResult();
                await gate.Task;   // the caller's token is not watched
                foreach (var update in after()) yield return update;
            }
            finally
            {
                Disposed.TrySetResult();
            }
        }
    }

    [Fact]
    public async Task A_streamed_tier_that_ignores_the_token_before_its_first_update_ends_the_call_at_once_and_is_booked_when_it_answers()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var deaf = new DeafStream(gate, [], () => [Text("late answer"), Usage(40, 8)]);
        var lastTier = new FakeStreamingChatClient(ct => deaf.Updates(ct));
        var ledger = new CostLedger();
        var router = new TaskRouter(_ => null, ledger, WithBudget());
        using var client = Pipeline(lastTier, router, Chain("mid"));
        using var cancellation = new CancellationTokenSource();

        var received = new List<ChatResponseUpdate>();
        var reading = Task.Run(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("hello", cancellationToken: cancellation.Token)) received.Add(update);
        });
        await deaf.Waiting.Task.WaitAsync(Prompt);
        cancellation.Cancel();

        await AssertCancelledPromptly(reading, cancellation.Token);
        Assert.Empty(received);
        Assert.Empty(ledger.Snapshot().Entries);       // nothing answered yet
        AssertBudgetsMatchLedger(router, ledger);      // the reservation was released with the call

        gate.SetResult();
        await deaf.Disposed.Task.WaitAsync(Prompt);    // the abandoned stream is disposed when it ends
        await Eventually(() => ledger.Snapshot().Entries.Count == 1, "the late answer was never booked");

        var entry = Assert.Single(ledger.Snapshot().Entries);
        Assert.Equal(("mid", 1L, 40L, 8L, 0L), (entry.Tier, entry.Calls, entry.InputTokens, entry.OutputTokens, entry.EstimatedCalls));
        Assert.Equal(TierCatalog.BuiltIn.Find("mid")!.Cost(40, 8), entry.Usd);
        Assert.Empty(received);                        // never returned
        AssertBudgetsMatchLedger(router, ledger);
    }

    [Fact]
    public async Task A_streamed_tier_that_ignores_the_token_mid_stream_ends_the_call_at_once_and_its_final_usage_is_booked()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var deaf = new DeafStream(gate, [Text("Hel")], () => [Usage(40, 8)]);
        var lastTier = new FakeStreamingChatClient(ct => deaf.Updates(ct));
        var ledger = new CostLedger();
        var router = new TaskRouter(_ => null, ledger, WithBudget());
        using var client = Pipeline(lastTier, router, Chain("mid"));
        using var cancellation = new CancellationTokenSource();

        var updates = client.GetStreamingResponseAsync("hello", cancellationToken: cancellation.Token).GetAsyncEnumerator();
        Assert.True(await updates.MoveNextAsync().AsTask().WaitAsync(Prompt));
        Assert.Equal("Hel", updates.Current.Text);
        var next = updates.MoveNextAsync().AsTask();   // held by the tier at its gate
        await deaf.Waiting.Task.WaitAsync(Prompt);
        cancellation.Cancel();

        await AssertCancelledPromptly(next, cancellation.Token);
        await updates.DisposeAsync();
        Assert.Empty(ledger.Snapshot().Entries);
        AssertBudgetsMatchLedger(router, ledger);

        gate.SetResult();
        await deaf.Disposed.Task.WaitAsync(Prompt);
        await Eventually(() => ledger.Snapshot().Entries.Count == 1, "the abandoned stream was never booked");

        var entry = Assert.Single(ledger.Snapshot().Entries);
        Assert.Equal((1L, 40L, 8L, 0L), (entry.Calls, entry.InputTokens, entry.OutputTokens, entry.EstimatedCalls));   // the usage of its final update
        AssertBudgetsMatchLedger(router, ledger);
    }

    [Fact]
    public async Task A_streamed_tier_that_fails_after_the_caller_left_is_booked_with_what_it_had_sent()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var deaf = new DeafStream(gate, [Text("abcdefgh")], () => throw new HttpRequestException("connection reset"));
        var lastTier = new FakeStreamingChatClient(ct => deaf.Updates(ct));
        var ledger = new CostLedger();
        var router = new TaskRouter(_ => null, ledger, WithBudget());
        using var client = Pipeline(lastTier, router, Chain("mid"));
        using var cancellation = new CancellationTokenSource();

        var updates = client.GetStreamingResponseAsync("hello", cancellationToken: cancellation.Token).GetAsyncEnumerator();
        Assert.True(await updates.MoveNextAsync().AsTask().WaitAsync(Prompt));
        var next = updates.MoveNextAsync().AsTask();
        await deaf.Waiting.Task.WaitAsync(Prompt);
        cancellation.Cancel();
        await AssertCancelledPromptly(next, cancellation.Token);
        await updates.DisposeAsync();

        gate.SetResult();
        await deaf.Disposed.Task.WaitAsync(Prompt);
        await Eventually(() => ledger.Snapshot().Entries.Count == 1, "the abandoned stream was never booked");

        var entry = Assert.Single(ledger.Snapshot().Entries);
        Assert.Equal((1L, 1L), (entry.Calls, entry.EstimatedCalls));   // no usage came: estimated from what it sent
        Assert.Equal(TokenProfile.EstimateTokens("abcdefgh".Length), entry.OutputTokens);
        AssertBudgetsMatchLedger(router, ledger);
    }

    [Fact]
    public async Task A_streamed_tier_that_watches_the_token_and_is_cancelled_while_holding_an_update_is_booked_once_with_what_it_sent()
    {
        // Whichever notices the cancellation first, the caller's race or the tier's own token, the call is booked once.
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lastTier = new FakeStreamingChatClient(ct => Watching(ct));
        var ledger = new CostLedger();
        var router = new TaskRouter(_ => null, ledger, WithBudget());
        using var client = Pipeline(lastTier, router, Chain("mid"));
        using var cancellation = new CancellationTokenSource();

        var updates = client.GetStreamingResponseAsync("hello", cancellationToken: cancellation.Token).GetAsyncEnumerator();
        Assert.True(await updates.MoveNextAsync().AsTask().WaitAsync(Prompt));
        var next = updates.MoveNextAsync().AsTask();
        await waiting.Task.WaitAsync(Prompt);
        cancellation.Cancel();
        await AssertCancelledPromptly(next, cancellation.Token);
        await updates.DisposeAsync();
        await Eventually(() => ledger.Snapshot().Entries.Count == 1, "the cancelled stream was never booked");

        var entry = Assert.Single(ledger.Snapshot().Entries);
        Assert.Equal((1L, 1L), (entry.Calls, entry.EstimatedCalls));
        Assert.Equal(TokenProfile.EstimateTokens("abcdefgh".Length), entry.OutputTokens);
        AssertBudgetsMatchLedger(router, ledger);

        async IAsyncEnumerable<ChatResponseUpdate> Watching([EnumeratorCancellation] CancellationToken ct = default)
        {
            yield return Text("abcdefgh");
            waiting.SetResult();
            await Task.Delay(System.Threading.Timeout.Infinite, ct);
            yield return Text("never");
        }
    }

    [Fact]
    public async Task A_buffered_tier_of_a_streamed_request_that_ignores_the_token_ends_the_call_at_once_and_its_late_answer_is_booked()
    {
        var called = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = new TaskCompletionSource<ChatResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var small = new FakeChatClient((_, _, _) =>
        {
            called.TrySetResult();
            return answer.Task;   // ignores the token
        });
        var frontier = new FakeStreamingChatClient(_ => StreamingUpdates.Updates(Text("frontier")));
        var ledger = new CostLedger();
        var router = new TaskRouter(tier => tier == "small" ? small : null, ledger, WithBudget());
        using var client = Pipeline(frontier, router, Chain("small", "frontier"));
        using var cancellation = new CancellationTokenSource();

        var reading = Task.Run(() => StreamingUpdates.Collect(client.GetStreamingResponseAsync("hello", cancellationToken: cancellation.Token)));
        await called.Task.WaitAsync(Prompt);
        cancellation.Cancel();

        await AssertCancelledPromptly(reading, cancellation.Token);
        Assert.Empty(ledger.Snapshot().Entries);
        AssertBudgetsMatchLedger(router, ledger);

        answer.SetResult(FakeChatClient.Response("small says hi", 0.99, FakeChatClient.Usage(100, 20)));
        await Eventually(() => ledger.Snapshot().Entries.Count == 1, "the late answer was never booked");

        var entry = Assert.Single(ledger.Snapshot().Entries);
        Assert.Equal(("small", 1L, 100L, 20L), (entry.Tier, entry.Calls, entry.InputTokens, entry.OutputTokens));
        Assert.Equal((0, 0), (frontier.StreamingCalls, frontier.ResponseCalls));   // never escalated after the caller left
        AssertBudgetsMatchLedger(router, ledger);
    }

    [Fact]
    public async Task A_model_classifier_call_that_ignores_the_token_ends_the_call_at_once_and_its_late_answer_is_booked()
    {
        var classifying = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var classification = new TaskCompletionSource<ChatResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var small = new FakeChatClient((messages, _, _) =>
        {
            if (messages[0].Text != ModelTierClassifier.Instructions) return Task.FromResult(FakeChatClient.Response("Billing", usage: FakeChatClient.Usage(10, 1)));
            classifying.TrySetResult();
            return classification.Task;   // ignores the token
        });
        var ledger = new CostLedger();
        var options = WithBudget();
        options.Classifier = new ModelTierClassifier();
        var router = Routing.Router(new Dictionary<string, IChatClient> { ["small"] = small }, ledger, options);
        using var cancellation = new CancellationTokenSource();

        var call = Task.Run(() => router.RouteAsync(Routing.NamedPlan("Race.Classifier", Escalation.Classifier), "the contract says", null, AnswerParsers.Enum<Category>(), cancellation.Token));
        await classifying.Task.WaitAsync(Prompt);
        cancellation.Cancel();

        await AssertCancelledPromptly(call, cancellation.Token);
        Assert.Equal(1, small.Calls);                  // the task's own call never made
        Assert.Empty(ledger.Snapshot().Entries);
        AssertBudgetsMatchLedger(router, ledger);

        classification.SetResult(FakeChatClient.Response("easy", usage: FakeChatClient.Usage(50, 1)));
        await Eventually(() => ledger.Snapshot().Entries.Count == 1, "the late classification was never booked");

        var entry = Assert.Single(ledger.Snapshot().Entries);
        Assert.Equal(("small", 1L, 50L, 1L), (entry.Tier, entry.Calls, entry.InputTokens, entry.OutputTokens));
        Assert.Equal(0m, entry.AllFrontierUsd);        // booked as a classification, not an answer
        Assert.Equal(1, small.Calls);
        AssertBudgetsMatchLedger(router, ledger);
    }

    [Fact]
    public async Task A_classifier_of_the_application_that_ignores_the_token_ends_the_call_at_once_and_no_tier_is_called()
    {
        var small = new FakeChatClient((_, _, _) => Task.FromResult(FakeChatClient.Response("Billing", usage: FakeChatClient.Usage(10, 1))));
        var classifier = new DeafClassifier();
        var ledger = new CostLedger();
        var options = WithBudget();
        options.Classifier = classifier;
        var router = Routing.Router(new Dictionary<string, IChatClient> { ["small"] = small }, ledger, options);
        using var cancellation = new CancellationTokenSource();

        var call = Task.Run(() => router.RouteAsync(Routing.NamedPlan("Race.Custom", Escalation.Classifier), "the contract says", null, AnswerParsers.Enum<Category>(), cancellation.Token));
        await classifier.Asked.Task.WaitAsync(Prompt);
        cancellation.Cancel();

        await AssertCancelledPromptly(call, cancellation.Token);
        classifier.Answer.SetException(new InvalidOperationException("the classifier failed after the caller left"));   // observed, not thrown anywhere
        Assert.Equal(0, small.Calls);
        Assert.Empty(ledger.Snapshot().Entries);
        AssertBudgetsMatchLedger(router, ledger);
    }

    /// <summary>A classifier that ignores the token: it answers when the test says so.</summary>
    private sealed class DeafClassifier : ITierClassifier
    {
        public TaskCompletionSource Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<string?> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask<string?> ChooseStartTierAsync(TierClassificationContext context, CancellationToken cancellationToken)
        {
            Asked.TrySetResult();
            return new ValueTask<string?>(Answer.Task);
        }
    }
}
