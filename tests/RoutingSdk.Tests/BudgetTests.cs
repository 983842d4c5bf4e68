using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static RoutingSdk.Tests.Routing;

namespace RoutingSdk.Tests;

/// <summary>Budgets: reserve before a call, settle after, Throw or Downgrade, per task or overall, per period.</summary>
public class BudgetTests
{
    private static readonly IAnswerParser<Category> Enum = AnswerParsers.Enum<Category>();

    // A Classification call on small with 400 input and 10 output tokens costs exactly $0.0001125; on mid $0.00135.
    private static FakeChatClient Client(string answer, double? confidence = null) => FakeChatClient.Answering(answer, confidence, FakeChatClient.Usage(400, 10));

    private static string Prompt => new('x', 1600);   // 400 estimated input tokens: the reservation equals the cost

    [Fact]
    public async Task Throw_budget_refuses_the_call_that_would_not_fit_and_says_why()
    {
        var options = new RoutingOptions();
        options.Budgets.Add(new RoutingBudget("daily", 0.0003m));
        var small = Client("Billing");
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = small }, options: options);
        var plan = NamedPlan("Budget.Throw");

        await router.RouteAsync(plan, Prompt, null, Enum);
        await router.RouteAsync(plan, Prompt, null, Enum);
        var ex = await Assert.ThrowsAsync<BudgetExceededException>(() => router.RouteAsync(plan, Prompt, null, Enum));

        Assert.Equal(2, small.Calls);
        Assert.Equal("daily", ex.BudgetName);
        Assert.Equal("small", ex.Tier);
        Assert.Equal(0.000225m, ex.SpentUsd);
        Assert.Equal(0.0001125m, ex.NeededUsd);
        Assert.Contains("Budget 'daily' (limit $0.0003)", ex.Message);
        Assert.Contains("$0.000225 spent", ex.Message);
        Assert.Contains("needs about $0.000113", ex.Message);
    }

    /// <summary>
    /// The small tier: as the model classifier (its instructions first) it says <paramref name="word"/> with 400 input and
    /// 1 output tokens ($0.00010125), or throws when <paramref name="word"/> is null; as a tier it answers Billing ($0.0001125).
    /// </summary>
    private static (FakeChatClient Small, Func<int> Classifications) ClassifyingSmall(string? word)
    {
        var classifications = 0;
        var small = new FakeChatClient((messages, _, _) =>
        {
            if (messages[0].Text != ModelTierClassifier.Instructions) return Task.FromResult(FakeChatClient.Response("Billing", usage: FakeChatClient.Usage(400, 10)));
            Interlocked.Increment(ref classifications);
            return word is null ? throw new InvalidOperationException("classifier down") : Task.FromResult(FakeChatClient.Response(word, usage: FakeChatClient.Usage(400, 1)));
        });
        return (small, () => classifications);
    }

    [Fact]
    public async Task A_classifier_call_the_budget_cannot_pay_for_is_not_made()
    {
        // Neither the classifier's call nor the small tier's fits in $0.0001: the classifier is skipped, the tier refused.
        var options = new RoutingOptions { Classifier = new ModelTierClassifier() };
        options.Budgets.Add(new RoutingBudget("tiny", 0.0001m));
        var (small, classifications) = ClassifyingSmall("easy");
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = small }, options: options);

        var ex = await Assert.ThrowsAsync<BudgetExceededException>(() => router.RouteAsync(NamedPlan("Budget.Classifier.Tiny", Escalation.Classifier), Prompt, null, Enum));

        Assert.Equal(0, classifications());
        Assert.Equal(0, small.Calls);
        Assert.Equal("small", ex.Tier);
    }

    [Fact]
    public async Task A_classifier_call_is_reserved_and_settled_like_a_tier_call()
    {
        // Call 1: the classifier ($0.00010125) and small ($0.0001125) fit in $0.0003. Call 2: the classifier's reservation
        // does not fit, so it is skipped; small's does not either. Spent is exactly call 1's two calls, nothing left reserved.
        var options = new RoutingOptions { Classifier = new ModelTierClassifier() };
        options.Budgets.Add(new RoutingBudget("daily", 0.0003m));
        var (small, classifications) = ClassifyingSmall("easy");
        var ledger = new CostLedger();
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = small }, ledger, options);
        var plan = NamedPlan("Budget.Classifier", Escalation.Classifier);

        Assert.Equal(Category.Billing, await router.RouteAsync(plan, Prompt, null, Enum));
        var ex = await Assert.ThrowsAsync<BudgetExceededException>(() => router.RouteAsync(plan, Prompt, null, Enum));

        Assert.Equal(1, classifications());
        Assert.Equal(2, small.Calls);
        Assert.Equal(0.00021375m, ex.SpentUsd);
        Assert.Equal(0m, ex.ReservedUsd);
        Assert.Equal(0.00021375m, ledger.Snapshot().Entries.Sum(e => e.Usd));
    }

    [Fact]
    public async Task A_failed_classifier_call_releases_its_reservation_and_costs_nothing()
    {
        // The classifier fails every time: its reservations are released, so two small calls fit in $0.0003 and only they are spent.
        var options = new RoutingOptions { Classifier = new ModelTierClassifier() };
        options.Budgets.Add(new RoutingBudget("daily", 0.0003m));
        var (small, classifications) = ClassifyingSmall(null);
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = small }, options: options);
        var plan = NamedPlan("Budget.Classifier.Down", Escalation.Classifier);

        Assert.Equal(Category.Billing, await router.RouteAsync(plan, Prompt, null, Enum));
        Assert.Equal(Category.Billing, await router.RouteAsync(plan, Prompt, null, Enum));
        var ex = await Assert.ThrowsAsync<BudgetExceededException>(() => router.RouteAsync(plan, Prompt, null, Enum));

        Assert.Equal(2, classifications());
        Assert.Equal(0.000225m, ex.SpentUsd);
        Assert.Equal(0m, ex.ReservedUsd);
    }

    [Fact]
    public async Task A_budget_holds_across_escalations()
    {
        // small fits, the escalation to mid does not: the call ends before mid is called.
        var options = new RoutingOptions();
        options.Budgets.Add(new RoutingBudget("tight", 0.001m));
        var mid = Client("Technical");
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Client("Billing", confidence: 0.1), ["mid"] = mid }, options: options);

        var ex = await Assert.ThrowsAsync<BudgetExceededException>(() => router.RouteAsync(NamedPlan("Budget.Escalation"), Prompt, null, Enum));

        Assert.Equal("mid", ex.Tier);
        Assert.Equal(0.0001125m, ex.SpentUsd);
        Assert.Equal(0, mid.Calls);
    }

    [Fact]
    public async Task A_task_budget_applies_to_its_task_only()
    {
        var options = new RoutingOptions();
        options.Budgets.Add(new RoutingBudget("one task", 0.0002m) { TaskName = "Budget.Mine" });
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Client("Billing") }, options: options);

        await router.RouteAsync(NamedPlan("Budget.Mine"), Prompt, null, Enum);
        await Assert.ThrowsAsync<BudgetExceededException>(() => router.RouteAsync(NamedPlan("Budget.Mine"), Prompt, null, Enum));
        for (var i = 0; i < 5; i++) await router.RouteAsync(NamedPlan("Budget.Other"), Prompt, null, Enum);
    }

    [Fact]
    public async Task A_period_budget_starts_again_in_the_next_period()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 23, 0, 0, TimeSpan.Zero));
        var options = new RoutingOptions { TimeProvider = time };
        options.Budgets.Add(new RoutingBudget("daily", 0.0002m) { Period = TimeSpan.FromDays(1) });
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Client("Billing") }, options: options);
        var plan = NamedPlan("Budget.Period");

        await router.RouteAsync(plan, Prompt, null, Enum);
        await Assert.ThrowsAsync<BudgetExceededException>(() => router.RouteAsync(plan, Prompt, null, Enum));
        time.Advance(TimeSpan.FromMinutes(59));
        await Assert.ThrowsAsync<BudgetExceededException>(() => router.RouteAsync(plan, Prompt, null, Enum));
        time.Advance(TimeSpan.FromMinutes(1));   // midnight UTC: a new day
        await router.RouteAsync(plan, Prompt, null, Enum);
    }

    [Fact]
    public async Task Downgrade_budget_caps_the_chain_once_its_mark_is_passed()
    {
        // Limit $0.01, downgrade at 90%: the mid-tier answers cost $0.00135 each; after 7 calls ($0.00945) calls stay on small.
        var options = new RoutingOptions();
        options.Budgets.Add(new RoutingBudget("run", 0.01m) { Action = BudgetAction.Downgrade, DowngradeAt = 0.9 });
        var small = Client("Billing", confidence: 0.1);   // never confident enough: every call escalates while it may
        var mid = Client("Technical");
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = small, ["mid"] = mid }, options: options);
        var plan = NamedPlan("Budget.Downgrade", chain: ["small", "mid"]);

        var answers = new List<Category>();
        for (var i = 0; i < 10; i++) answers.Add(await router.RouteAsync(plan, Prompt, null, Enum));

        Assert.Equal(Enumerable.Repeat(Category.Technical, 6).Concat(Enumerable.Repeat(Category.Billing, 4)), answers);
        Assert.Equal(6, mid.Calls);
        Assert.True(router.Ledger.Snapshot().TotalUsd <= 0.01m);
    }

    [Fact]
    public async Task Downgrade_to_a_tier_below_the_chain_calls_that_tier()
    {
        var options = new RoutingOptions();
        options.Budgets.Add(new RoutingBudget("run", 0.0001m) { Action = BudgetAction.Downgrade, DowngradeAt = 0, DowngradeTier = "small" });
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = FakeChatClient.Answering("Billing", usage: FakeChatClient.Usage(1, 1)), ["mid"] = Client("Technical") }, options: options);

        Assert.Equal(Category.Billing, await router.RouteAsync(NamedPlan("Budget.Below", chain: ["mid", "frontier"]), "p", null, Enum));
    }

    [Fact]
    public async Task Downgrade_budget_still_throws_when_even_the_cheap_tier_does_not_fit()
    {
        var options = new RoutingOptions();
        options.Budgets.Add(new RoutingBudget("run", 0.0001m) { Action = BudgetAction.Downgrade });
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Client("Billing") }, options: options);

        await Assert.ThrowsAsync<BudgetExceededException>(() => router.RouteAsync(NamedPlan("Budget.Hard"), Prompt, null, Enum));
    }

    [Fact]
    public async Task Failed_calls_release_their_reservation()
    {
        var options = new RoutingOptions();
        options.Budgets.Add(new RoutingBudget("run", 0.0002m));
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = FakeChatClient.Throwing(() => new TimeoutException("down")) }, options: options);
        var plan = NamedPlan("Budget.Release", chain: ["small"]);

        for (var i = 0; i < 10; i++) await Assert.ThrowsAsync<RoutingFailedException>(() => router.RouteAsync(plan, Prompt, null, Enum));
    }

    [Fact]
    public async Task Concurrent_calls_never_overspend_beyond_what_is_in_flight()
    {
        // Every call is slow, costs exactly its reservation, and 64 run at once: spending stops exactly at the limit.
        var options = new RoutingOptions();
        options.Budgets.Add(new RoutingBudget("run", 0.01m));
        var small = new FakeChatClient(async (_, _, _) =>
        {
            await Task.Yield();
            return FakeChatClient.Response("Billing", usage: FakeChatClient.Usage(400, 10));
        });
        var ledger = new CostLedger();
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = small }, ledger, options);
        var plan = NamedPlan("Budget.Concurrent", chain: ["small"]);
        var refused = 0;

        await Parallel.ForEachAsync(Enumerable.Range(0, 500), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (_, _) =>
        {
            try { await router.RouteAsync(plan, Prompt, null, Enum); }
            catch (BudgetExceededException) { Interlocked.Increment(ref refused); }
        });

        var spent = ledger.Snapshot().TotalUsd;
        Assert.True(spent <= 0.01m, $"spent {spent}");
        Assert.Equal(88, small.Calls);   // floor(0.01 / 0.0001125)
        Assert.Equal(500 - 88, refused);
    }

    [Fact]
    public async Task Calls_that_cost_more_than_reserved_overspend_by_at_most_the_calls_in_flight()
    {
        // Each call reserves $0.0001125 but really costs 4x that; with at most 8 in flight the overshoot is bounded.
        const int InFlight = 8;
        var options = new RoutingOptions();
        options.Budgets.Add(new RoutingBudget("run", 0.01m));
        var small = new FakeChatClient(async (_, _, _) =>
        {
            await Task.Yield();
            return FakeChatClient.Response("Billing", usage: FakeChatClient.Usage(1600, 40));
        });
        var ledger = new CostLedger();
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = small }, ledger, options);
        var plan = NamedPlan("Budget.Overshoot", chain: ["small"]);

        await Parallel.ForEachAsync(Enumerable.Range(0, 400), new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (_, _) =>
        {
            try { await router.RouteAsync(plan, Prompt, null, Enum); }
            catch (BudgetExceededException) { }
        });

        var perCall = TierCatalog.BuiltIn.Find("small")!.Cost(1600, 40);
        var spent = ledger.Snapshot().TotalUsd;
        Assert.True(spent <= 0.01m + InFlight * perCall, $"spent {spent}");
        Assert.True(spent > 0.01m - perCall, $"spent {spent}");
    }

    [Fact]
    public async Task Budgets_are_configured_through_the_service_collection()
    {
        var services = new ServiceCollection();
        services.AddKeyedChatClient("small", Client("Billing"));
        services.AddRoutingSdk();
        services.AddRoutingBudget(new RoutingBudget("di", 0.0002m));
        services.AddRoutingSdk(o => o.Budgets.Add(new RoutingBudget("second", 1m)));
        using var provider = services.BuildServiceProvider();
        var router = provider.GetRequiredService<TaskRouter>();

        Assert.Equal(new[] { "di", "second" }, router.Options.Budgets.Select(b => b.Name));
        await router.RouteAsync(NamedPlan("Budget.DI"), Prompt, null, Enum);
        await Assert.ThrowsAsync<BudgetExceededException>(() => router.RouteAsync(NamedPlan("Budget.DI"), Prompt, null, Enum));
    }
}
