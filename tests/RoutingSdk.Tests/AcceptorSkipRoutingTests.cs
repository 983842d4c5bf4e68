using RoutingSdk.Planning.Calibration;
using static RoutingSdk.Tests.FakeStreamingChatClient;
using static RoutingSdk.Tests.StreamingUpdates;

namespace RoutingSdk.Tests;

/// <summary>
/// An acceptor's skip level: an answer it trusts less than <see cref="Acceptor.SkipBelow"/> goes straight to the chain's
/// last tier; the tiers between are neither called nor booked.
/// </summary>
public class AcceptorSkipRoutingTests
{
    private static readonly IAnswerParser<Category> Enum = AnswerParsers.Enum<Category>();

    private static readonly string[] Chain = { "small", "mid", "frontier", "frontier-thinking" };

    private static string Prompt => new('x', 1600);   // 400 estimated input tokens: a Classification call reserves what Usage(400, 10) costs

    /// <summary>
    /// The start tier's acceptor: p = σ(2.5 + 5·ln c) for its confidence c. c = 0.7: p = 0.67, accepted; c = 0.5: p = 0.28,
    /// escalated; c = 0.2: p = 0.004, below the skip level 0.1.
    /// </summary>
    private static Acceptor Skipping(double skipBelow = 0.1) => new(2.5, new double[] { 5, 0, 0 }, 0.5, skipBelow);

    /// <summary>An acceptor that never accepts at <paramref name="position"/> (and never skips).</summary>
    private static Acceptor Never(int position) => new(-50, new double[Acceptor.FeatureCount(position)], 0.5);

    /// <summary>A plan over the first <paramref name="tiers"/> tiers of <see cref="Chain"/>: <paramref name="start"/> at position 0, then acceptors that never accept.</summary>
    private static RoutePlan Plan(int tiers, Acceptor start, string taskName = Routing.TaskName, TaskKind kind = TaskKind.Classification)
        => new(taskName, kind, Complexity.Low, TierCatalog.BuiltIn, Chain.Take(tiers).ToArray(), 0.85, 0.97, 0.1m, 6.75m,
            acceptors: new[] { start }.Concat(Enumerable.Range(1, tiers - 2).Select(Never)).ToArray());

    /// <summary>Tier clients: small answers Billing with <paramref name="confidence"/>, mid and frontier Technical, frontier-thinking General.</summary>
    private static Dictionary<string, IChatClient> Clients(double confidence, IChatClient? last = null) => new()
    {
        ["small"] = FakeChatClient.Answering("Billing", confidence, FakeChatClient.Usage(400, 10)),
        ["mid"] = FakeChatClient.Answering("Technical", usage: FakeChatClient.Usage(400, 10)),
        ["frontier"] = FakeChatClient.Answering("Technical", usage: FakeChatClient.Usage(400, 10)),
        ["frontier-thinking"] = last ?? FakeChatClient.Answering("General", usage: FakeChatClient.Usage(400, 20)),
    };

    private static string[] Called(Dictionary<string, IChatClient> clients)
        => Chain.Where(t => clients.TryGetValue(t, out var c) && ((FakeChatClient)c).Calls > 0).ToArray();

    private static decimal Cost(string tier, long input, long output) => TierCatalog.BuiltIn.Find(tier)!.Cost(input, output);

    /// <summary>What a Classification call on <paramref name="tier"/> reserves in a budget for <see cref="Prompt"/>.</summary>
    private static decimal Reservation(string tier)
    {
        var spec = TierCatalog.BuiltIn.Find(tier)!;
        var profile = TokenProfile.For(TaskKind.Classification);
        return spec.Cost(TokenProfile.EstimateTokens(Prompt.Length), profile.OutputTokens, spec.ExtendedThinking ? profile.ReasoningTokens : 0);
    }

    /// <summary>A ledger that keeps every record it is given, in order.</summary>
    private sealed class RecordingLedger : ICostLedger
    {
        private readonly CostLedger _totals = new();

        public List<CostRecord> Records { get; } = new();

        public void Record(in CostRecord record)
        {
            lock (Records) Records.Add(record);
            _totals.Record(record);
        }

        public CostSnapshot Snapshot() => _totals.Snapshot();
    }

    [Fact]
    public async Task An_answer_below_the_skip_level_goes_straight_to_the_last_tier_and_only_the_called_tiers_are_booked()
    {
        var clients = Clients(confidence: 0.2);
        var ledger = new CostLedger();
        var router = Routing.Router(clients, ledger);

        Assert.Equal(Category.General, await router.RouteAsync(Plan(4, Skipping()), "p", null, Enum));

        Assert.Equal(new[] { "small", "frontier-thinking" }, Called(clients));
        var entries = ledger.Snapshot().Entries;
        Assert.Equal(new[] { "small", "frontier-thinking" }, entries.Select(e => e.Tier).OrderBy(t => Array.IndexOf(Chain, t)));
        var small = entries.Single(e => e.Tier == "small");
        var last = entries.Single(e => e.Tier == "frontier-thinking");
        Assert.Equal((1L, 1L, 400L, 10L), (small.Calls, small.Escalations, small.InputTokens, small.OutputTokens));
        Assert.Equal((1L, 0L, 400L, 20L), (last.Calls, last.Escalations, last.InputTokens, last.OutputTokens));
        Assert.Equal(Cost("small", 400, 10) + Cost("frontier-thinking", 400, 20), ledger.Snapshot().TotalUsd);
    }

    [Fact]
    public async Task The_skipping_call_is_booked_as_an_escalation()
    {
        var ledger = new RecordingLedger();
        var router = Routing.Router(Clients(confidence: 0.2), ledger);

        await router.RouteAsync(Plan(4, Skipping()), "p", null, Enum);

        Assert.Equal(new[] { ("small", CallOutcome.Escalated), ("frontier-thinking", CallOutcome.Accepted) },
            ledger.Records.Select(r => (r.Tier.Name, r.Outcome)));
    }

    [Theory]
    [InlineData(0.7, Category.Billing, new[] { "small" })]                                          // p = 0.67: accepted
    [InlineData(0.5, Category.General, new[] { "small", "mid", "frontier", "frontier-thinking" })]  // p = 0.28: above the skip level, escalated
    public async Task Above_the_skip_level_the_acceptor_accepts_or_escalates_to_the_next_tier(double confidence, Category expected, string[] called)
    {
        var clients = Clients(confidence);
        var router = Routing.Router(clients);

        Assert.Equal(expected, await router.RouteAsync(Plan(4, Skipping()), "p", null, Enum));
        Assert.Equal(called, Called(clients));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_skip_level_of_zero_never_skips(bool threeArgumentConstructor)
    {
        var start = threeArgumentConstructor ? new Acceptor(2.5, new double[] { 5, 0, 0 }, 0.5) : Skipping(skipBelow: 0);
        var clients = Clients(confidence: 1e-6);   // floored at e^-10: p ≈ 2e-21, far below 0.1 yet not below 0
        var ledger = new CostLedger();
        var router = Routing.Router(clients, ledger);

        Assert.Equal(Category.General, await router.RouteAsync(Plan(4, start), "p", null, Enum));

        Assert.Equal(Chain, Called(clients));
        Assert.Equal(3, ledger.Snapshot().Entries.Sum(e => e.Escalations));
    }

    [Fact]
    public async Task An_answer_that_does_not_parse_escalates_to_the_next_tier_whatever_the_skip_level()
    {
        var clients = Clients(confidence: 0.2);
        clients["small"] = FakeChatClient.Answering("no idea", 0.2);
        var router = Routing.Router(clients);

        await router.RouteAsync(Plan(4, Skipping(skipBelow: 1)), "p", null, Enum);

        Assert.Equal(Chain, Called(clients));
    }

    [Fact]
    public async Task At_the_tier_before_the_last_a_skip_is_an_ordinary_escalation()
    {
        // Three tiers, the mid tier's acceptor skips below 0.1: its next tier is the last anyway.
        var clients = Clients(confidence: 0.2, last: null);
        clients["mid"] = FakeChatClient.Answering("Technical", 0.2);
        clients["frontier"] = FakeChatClient.Throwing(() => new TimeoutException("down"));
        var plan = new RoutePlan(Routing.TaskName, TaskKind.Classification, Complexity.Low, TierCatalog.BuiltIn, new[] { "small", "mid", "frontier" },
            0.85, 0.97, 0.1m, 6.75m, acceptors: new[] { Never(0), new Acceptor(2.5, new double[] { 5, 0, 0, 0, 0, 0 }, 0.5, 0.1) });

        var error = await Assert.ThrowsAsync<RoutingFailedException>(() => Routing.Router(clients).RouteAsync(plan, "p", null, Enum));

        Assert.Equal(new[] { "small", "mid", "frontier" }, error.Failures.Select(f => f.Tier));
        Assert.Equal("the acceptance model puts the answer's chance of being right at 0.004 (score 0.2), below its 0.5", error.Failures[1].Reason);
    }

    [Fact]
    public async Task When_the_last_tier_fails_after_a_skip_the_call_fails_and_names_the_skipped_answer()
    {
        // As after any last tier's failure: no answer below its acceptance level is returned, the skipped tiers are not
        // tried in its place, and the skipping call stays booked.
        var clients = Clients(confidence: 0.2, last: FakeChatClient.Throwing(() => new TimeoutException("down")));
        var ledger = new CostLedger();
        var router = Routing.Router(clients, ledger);

        var error = await Assert.ThrowsAsync<RoutingFailedException>(() => router.RouteAsync(Plan(4, Skipping()), "p", null, Enum));

        Assert.Equal(new[] { "small", "frontier-thinking" }, error.Failures.Select(f => f.Tier));
        // Only the tiers tried are named, and the message does not claim the whole chain was.
        Assert.StartsWith($"Task '{Routing.TaskName}' failed on every tier it tried: 'small': ", error.Message);
        Assert.Equal("the acceptance model puts the answer's chance of being right at 0.004 (score 0.2), below its skip level 0.1: the query went straight to the last tier 'frontier-thinking'",
            error.Failures[0].Reason);
        Assert.IsType<TimeoutException>(error.Failures[1].Exception);
        Assert.Equal(new[] { "small", "frontier-thinking" }, Called(clients));
        var small = Assert.Single(ledger.Snapshot().Entries);
        Assert.Equal(("small", 1L, 1L), (small.Tier, small.Calls, small.Escalations));
    }

    [Fact]
    public async Task A_skip_reserves_only_the_tiers_it_calls()
    {
        // The budget holds small and frontier; escalating through mid as well would not fit.
        var options = new RoutingOptions();
        options.Budgets.Add(new RoutingBudget("tight", Reservation("small") + Reservation("frontier")));
        var clients = Clients(confidence: 0.2);
        clients["frontier"] = FakeChatClient.Answering("General", usage: FakeChatClient.Usage(400, 10));
        var router = Routing.Router(clients, options: options);

        Assert.Equal(Category.General, await router.RouteAsync(Plan(3, Skipping()), Prompt, null, Enum));

        Assert.Equal(new[] { "small", "frontier" }, Called(clients));
        Assert.Equal(Reservation("small") + Reservation("frontier"), router.Ledger.Snapshot().TotalUsd);
    }

    [Fact]
    public async Task A_downgrade_budget_that_cannot_pay_for_the_last_tier_ends_the_chain_at_the_skipping_tier()
    {
        // After small's reservation the budget can pay for mid but not for frontier: the skip's next tier is frontier, so
        // small ends the chain and its answer is accepted, as when a downgrade budget cannot pay for the next tier.
        var options = new RoutingOptions();
        options.Budgets.Add(new RoutingBudget("run", Reservation("small") + Reservation("mid")) { Action = BudgetAction.Downgrade, DowngradeAt = 1 });
        var clients = Clients(confidence: 0.2);
        var router = Routing.Router(clients, options: options);

        Assert.Equal(Category.Billing, await router.RouteAsync(Plan(3, Skipping()), Prompt, null, Enum));

        Assert.Equal(new[] { "small" }, Called(clients));
        var small = Assert.Single(router.Ledger.Snapshot().Entries);
        Assert.Equal((1L, 0L), (small.Calls, small.Escalations));
    }

    [Fact]
    public async Task When_the_skipping_tier_ends_the_chain_and_its_answer_fails_there_the_next_tier_is_still_the_last()
    {
        // As the budget ends the chain at small, its answer is judged as the last tier's and fails LastTierMinimumScore: the
        // call goes on to the tier a skip calls next, frontier, which the budget refuses (as it would refuse the next tier
        // after a chain-ending tier today). mid, which the budget could pay, is never called in its place.
        var options = new RoutingOptions { LastTierMinimumScore = 0.5 };
        options.Budgets.Add(new RoutingBudget("run", Reservation("small") + Reservation("mid")) { Action = BudgetAction.Downgrade, DowngradeAt = 1 });
        var clients = Clients(confidence: 0.2);
        var router = Routing.Router(clients, options: options);

        var error = await Assert.ThrowsAsync<BudgetExceededException>(() => router.RouteAsync(Plan(3, Skipping()), Prompt, null, Enum));

        Assert.Equal("frontier", error.Tier);
        Assert.Equal(new[] { "small" }, Called(clients));
        var small = Assert.Single(router.Ledger.Snapshot().Entries);
        Assert.Equal((1L, 0L), (small.Calls, small.Escalations));   // booked as rejected: it ended the chain
    }

    [Fact]
    public async Task Under_a_downgrade_cap_a_skip_goes_to_the_capped_chains_last_tier()
    {
        var options = new RoutingOptions();
        options.Budgets.Add(new RoutingBudget("run", 1m) { Action = BudgetAction.Downgrade, DowngradeAt = 0, DowngradeTier = "frontier" });
        var clients = Clients(confidence: 0.2);
        clients["frontier"] = FakeChatClient.Answering("NeedsHuman", usage: FakeChatClient.Usage(400, 10));
        var router = Routing.Router(clients, options: options);

        Assert.Equal(Category.NeedsHuman, await router.RouteAsync(Plan(4, Skipping()), "p", null, Enum));

        Assert.Equal(new[] { "small", "frontier" }, Called(clients));
    }

    /// <summary>UseTieredRouting over small, mid (router tier clients) and <paramref name="frontier"/> (the inner client, the last tier).</summary>
    private static (IChatClient Pipeline, FakeChatClient Mid, CostLedger Ledger) Streaming(double confidence, IChatClient frontier)
    {
        var small = FakeChatClient.Answering("small says", confidence, FakeChatClient.Usage(400, 10));
        var mid = FakeChatClient.Answering("mid says", usage: FakeChatClient.Usage(400, 10));
        var ledger = new CostLedger();
        var router = new TaskRouter(tier => tier switch { "small" => small, "mid" => mid, _ => null }, ledger);
        var plan = Plan(3, Skipping(), "chat", TaskKind.General);
        return (new ChatClientBuilder(frontier).UseTieredRouting(router, o => o.Plan = plan).Build(), mid, ledger);
    }

    [Theory]
    [InlineData(0.2, "frontier streams", 0, new[] { "small", "frontier" })]          // below the skip level: mid skipped
    [InlineData(0.5, "frontier streams", 1, new[] { "small", "mid", "frontier" })]   // above it: escalated through mid
    [InlineData(0.7, "small says", 0, new[] { "small" })]                            // accepted, replayed
    public async Task Streaming_skips_as_a_task_call_does(double confidence, string text, int midCalls, string[] booked)
    {
        var frontier = new FakeStreamingChatClient(_ => Updates(Text("frontier "), Text("streams"), Usage(400, 10)));
        var (client, mid, ledger) = Streaming(confidence, frontier);

        var updates = await Collect(client.GetStreamingResponseAsync("hello"));

        Assert.Equal(text, string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(midCalls, mid.Calls);
        Assert.Equal(0, frontier.ResponseCalls);
        Assert.Equal(booked, ledger.Snapshot().Entries.Select(e => e.Tier).OrderBy(t => Array.IndexOf(Chain, t)));
        client.Dispose();
    }

    [Fact]
    public async Task Streaming_when_the_last_tier_fails_after_a_skip_the_call_fails_and_names_the_skipped_answer()
    {
        var frontier = new FakeStreamingChatClient(_ => Throwing(new TimeoutException("down")));
        var (client, mid, ledger) = Streaming(0.2, frontier);

        var error = await Assert.ThrowsAsync<RoutingFailedException>(() => Collect(client.GetStreamingResponseAsync("hello")));

        Assert.Equal(new[] { "small", "frontier" }, error.Failures.Select(f => f.Tier));
        Assert.Contains("below its skip level 0.1: the query went straight to the last tier 'frontier'", error.Failures[0].Reason);
        Assert.IsType<TimeoutException>(error.Failures[1].Exception);
        Assert.Equal(0, mid.Calls);
        Assert.Equal("small", Assert.Single(ledger.Snapshot().Entries).Tier);
        client.Dispose();
    }
}
