namespace RoutingSdk.Tests;

/// <summary>
/// Tiers that ignore the caller's token on the paths beside the buffered tier call: the model classifier's call. The
/// caller's cancellation ends the call at once; what the abandoned tier reports later is booked and charged, its
/// reservation released meanwhile.
/// </summary>
public class CancellationRaceTests
{
    /// <summary>How long a call may take to end after the caller cancelled before the test calls it held: generous, so that a loaded machine does not fail it.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);

    private static RoutingOptions WithBudget()
    {
        var options = new RoutingOptions();
        options.Budgets.Add(new RoutingBudget("run", 1m));
        return options;
    }

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
}
