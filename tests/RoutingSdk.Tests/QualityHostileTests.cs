using System.IO;
using static RoutingSdk.Tests.Routing;

namespace RoutingSdk.Tests;

/// <summary>
/// The shadow guardrail and the calibration sample against hostile collaborators: a ledger that cannot be read or is slow,
/// tiers that hang, an outcome writer that throws, parsed values JSON cannot write. The promise under test: the caller is
/// never delayed or failed, every answered background call is booked, and the spending caps hold.
/// </summary>
public sealed class QualityHostileTests
{
    private static readonly IAnswerParser<Category> Enum = AnswerParsers.Enum<Category>();
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static FakeChatClient Tier(string answer, double confidence) => FakeChatClient.Answering(answer, confidence, FakeChatClient.Usage(400, 10));

    /// <summary>Waits (generously) until <paramref name="condition"/> holds; fails if it never does.</summary>
    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "never: " + what);
            await Task.Delay(5);
        }
    }

    /// <summary>A tier client whose calls wait until the test opens the gate, then answer <paramref name="answer"/>.</summary>
    private static FakeChatClient Hanging(string answer, TaskCompletionSource gate)
        => new(async (_, _, _) =>
        {
            await gate.Task;
            return FakeChatClient.Response(answer, 0.99, FakeChatClient.Usage(400, 10));
        });

    [Fact]
    public async Task A_ledger_that_cannot_be_read_never_fails_the_caller_whose_call_is_shadowed_or_sampled()
    {
        var options = new RoutingOptions
        {
            Shadow = new ShadowOptions { Rate = 1, MaxShareOfCost = 0.5, CalibrationRate = 1, MaxCalibrationShareOfCost = 0.5, Outcomes = new StringWriter() },
        };
        var ledger = new UnreadableLedger();
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Tier("Billing", 0.95), ["frontier"] = Tier("Billing", 0.99) }, ledger, options);

        // The answer was accepted and booked: a spending cap that cannot read the ledger does not turn it into a failure.
        Assert.Equal(Category.Billing, await router.RouteAsync(Plan(chain: new[] { "small", "frontier" }), "Where is my invoice?", null, Enum));
        await Eventually(() => router.Shadow!.InFlight == 0 && router.Sampler!.InFlight == 0, "the background calls end");
        Assert.Equal(1, ledger.Inner.Snapshot().Entries.Sum(e => e.Calls));   // the routed call only: no background call was made blind
    }

    [Fact]
    public async Task A_ledger_slow_to_read_does_not_hold_the_caller_whose_call_is_shadowed()
    {
        var options = new RoutingOptions { Shadow = new ShadowOptions { Rate = 1, MaxShareOfCost = 0.5 } };
        using var open = new ManualResetEventSlim();
        var ledger = new SlowLedger(open);
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Tier("Billing", 0.95), ["frontier"] = Tier("Billing", 0.99) }, ledger, options);

        var routed = Task.Run(() => router.RouteAsync(Plan(chain: new[] { "small", "frontier" }), "Where is my invoice?", null, Enum));
        try
        {
            // The ledger answers only when the test opens it, and the test waits for the caller first.
            Assert.Equal(Category.Billing, await routed.WaitAsync(Patience));
        }
        finally
        {
            open.Set();
        }

        await Eventually(() => router.Shadow!.InFlight == 0, "the shadow call ends");
    }

    [Fact]
    public async Task The_shadow_spending_cap_counts_the_shadow_calls_still_in_flight()
    {
        // A small call costs $0.0001125; a frontier shadow call is expected to cost $0.00675. At a 90 % cap one shadow call
        // fits from the 67th call on, two only from the 134th: of 80 calls one is shadowed, however long it takes to answer.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var frontier = Hanging("Billing", gate);
        var ledger = new CostLedger();
        var options = new RoutingOptions { Shadow = new ShadowOptions { Rate = 1, MaxShareOfCost = 0.9 } };
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Tier("Billing", 0.95), ["frontier"] = frontier }, ledger, options);

        for (var i = 0; i < 80; i++) Assert.Equal(Category.Billing, await router.RouteAsync(Plan(chain: new[] { "small", "frontier" }), new string('x', 1600), null, Enum));
        // Every shadow call still in flight is waiting for the frontier (the others were refused by the cap).
        await Eventually(() => router.Shadow!.InFlight == frontier.Calls, "the shadow calls reach the frontier or are refused");
        gate.SetResult();
        await Eventually(() => router.Shadow!.InFlight == 0, "the shadow calls end");

        Assert.Equal(1, frontier.Calls);
        var snapshot = ledger.Snapshot();
        Assert.True(snapshot.ShadowUsd <= (snapshot.TotalUsd - snapshot.ShadowUsd) * 0.9m, $"shadow {snapshot.ShadowUsd} of routed {snapshot.TotalUsd - snapshot.ShadowUsd}");
    }

    [Fact]
    public async Task The_shadow_spending_cap_holds_under_concurrent_callers()
    {
        // 200 callers at once, every accepted answer eligible, the frontier answering only once all of them returned. The
        // routed spend reaches 200 × $0.0001125 = $0.0225: at a 90 % cap, room for three shadow calls of $0.00675.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var frontier = Hanging("Billing", gate);
        var ledger = new CostLedger();
        var options = new RoutingOptions { Shadow = new ShadowOptions { Rate = 1, MaxShareOfCost = 0.9 } };
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Tier("Billing", 0.95), ["frontier"] = frontier }, ledger, options);

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => router.RouteAsync(Plan(chain: new[] { "small", "frontier" }), new string('x', 1600), null, Enum))));
        Assert.All(answers, answer => Assert.Equal(Category.Billing, answer));
        await Eventually(() => router.Shadow!.InFlight == frontier.Calls, "the shadow calls reach the frontier or are refused");
        gate.SetResult();
        await Eventually(() => router.Shadow!.InFlight == 0, "the shadow calls end");

        Assert.InRange(frontier.Calls, 1, 3);
        var snapshot = ledger.Snapshot();
        Assert.True(snapshot.ShadowUsd <= (snapshot.TotalUsd - snapshot.ShadowUsd) * 0.9m, $"shadow {snapshot.ShadowUsd} of routed {snapshot.TotalUsd - snapshot.ShadowUsd}");
    }

    [Fact]
    public async Task The_calibration_spending_cap_counts_the_samples_still_in_flight()
    {
        // A sample (small $0.0001125, frontier $0.00675 expected) fits a 90 % cap from the 68th call on, a second one far later.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var frontier = Hanging("Billing", gate);
        var ledger = new CostLedger();
        var options = new RoutingOptions { Shadow = new ShadowOptions { Rate = 0, CalibrationRate = 1, MaxCalibrationShareOfCost = 0.9, Outcomes = new StringWriter() } };
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Tier("Billing", 0.95), ["frontier"] = frontier }, ledger, options);

        for (var i = 0; i < 80; i++) Assert.Equal(Category.Billing, await router.RouteAsync(Plan(chain: new[] { "small", "frontier" }), new string('x', 1600), null, Enum));
        await Eventually(() => router.Sampler!.InFlight == frontier.Calls, "the samples reach the frontier or are refused");
        gate.SetResult();
        await Eventually(() => router.Sampler!.InFlight == 0, "the samples end");

        Assert.Equal(1, frontier.Calls);
        var snapshot = ledger.Snapshot();
        Assert.True(snapshot.SampleUsd <= (snapshot.TotalUsd - snapshot.ShadowUsd) * 0.9m, $"samples {snapshot.SampleUsd} of routed {snapshot.TotalUsd - snapshot.ShadowUsd}");
    }

    [Fact]
    public async Task An_outcome_writer_that_throws_loses_its_rows_but_not_the_guardrails_comparisons()
    {
        // The application disposed the writer (shutting down) while the router still runs.
        var outcomes = new StringWriter();
        outcomes.Dispose();
        var statistics = new CountingStatistics();
        var options = new RoutingOptions { Shadow = new ShadowOptions { Rate = 1, MaxShareOfCost = 1, Outcomes = outcomes, Statistics = statistics } };
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Tier("Billing", 0.95), ["frontier"] = Tier("Technical", 0.99) }, options: options);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(Category.Billing, await router.RouteAsync(Plan(chain: new[] { "small", "frontier" }), "Where is my invoice?", null, Enum));
            await Eventually(() => router.Shadow!.InFlight == 0, "the shadow call ends");
        }

        Assert.Equal(3, statistics.Added);
        Assert.Equal(3, router.Shadow!.Failures);   // the lost rows are counted as failed shadow calls
    }

    [Fact]
    public async Task The_shadow_spending_cap_expects_a_thinking_tier_to_think()
    {
        // A shadow call to frontier-thinking is expected to cost $0.08175 with a Classification's 1,000 thinking tokens
        // ($0.00675 without them). At a 90 % cap it fits after some 810 small calls ($0.0001125 each), not within 70.
        var thinking = Tier("Billing", 0.99);
        var options = new RoutingOptions { Shadow = new ShadowOptions { Rate = 1, MaxShareOfCost = 0.9 } };
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Tier("Billing", 0.95), ["frontier-thinking"] = thinking }, options: options);

        for (var i = 0; i < 70; i++)
        {
            Assert.Equal(Category.Billing, await router.RouteAsync(Plan(chain: new[] { "small", "frontier-thinking" }), new string('x', 1600), null, Enum));
            await Eventually(() => router.Shadow!.InFlight == 0, "the shadow call ends");
        }

        Assert.Equal(0, thinking.Calls);
    }

    [Fact]
    public async Task A_shadow_call_to_a_thinking_tier_reserves_its_thinking_in_the_budget_as_a_routed_call_does()
    {
        // $0.01 a day: the small call ($0.0001125) fits, and a frontier-thinking call expected at $0.08175 does not, routed or shadowed.
        var thinking = Tier("Billing", 0.99);
        var options = new RoutingOptions { Shadow = new ShadowOptions { Rate = 1, MaxShareOfCost = 1 } };
        options.Budgets.Add(new RoutingBudget("daily", 0.01m));
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Tier("Billing", 0.95), ["frontier-thinking"] = thinking }, options: options);

        Assert.Equal(Category.Billing, await router.RouteAsync(Plan(chain: new[] { "small", "frontier-thinking" }), new string('x', 1600), null, Enum));
        await Eventually(() => router.Shadow!.InFlight == 0, "the shadow call ends");

        Assert.Equal(0, thinking.Calls);
        Assert.Equal(0m, router.Budgets.Usages()[0].Reserved);
    }

    [Fact]
    public async Task A_last_tier_that_gives_no_answer_is_no_evidence_against_the_accepted_one()
    {
        // The calibration recorded that small's accepted answers agreed with the frontier 0.9 of the time: ten
        // disagreements would close the position. The frontier answers nothing (an empty response, a content filter's).
        var frontier = FakeChatClient.Answering("", 0.99, FakeChatClient.Usage(400, 0));
        var ledger = new CostLedger();
        var options = new RoutingOptions { Shadow = new ShadowOptions { Rate = 1, Window = 10, MinSamples = 10, MaxShareOfCost = 1, RequiredAgreement = 0.7 } };
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Tier("Billing", 0.95), ["frontier"] = frontier }, ledger, options);
        var plan = Plan(chain: new[] { "small", "frontier" });
        plan = new RoutePlan(plan.TaskName, plan.Kind, plan.Complexity, plan.Catalog, plan.Chain, plan.QualityThreshold, plan.ProjectedQuality, plan.ProjectedUsdPerThousandCalls,
            plan.AllFrontierUsdPerThousandCalls, plan.AcceptanceThresholds, plan.Escalation, plan.Acceptors, new[] { 0.9 });

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(Category.Billing, await router.RouteAsync(plan, "Where is my invoice?", null, Enum));
            await Eventually(() => router.Shadow!.InFlight == 0, "the shadow call ends");
        }

        Assert.Equal(0, router.GetGuardrailLevel(TaskName, 0));
        Assert.Equal(10, router.Shadow!.Failures);
        Assert.Equal(10, Assert.Single(ledger.Snapshot().Entries, e => e.Tier == "frontier").ShadowCalls);   // paid for, and booked
    }

    [Fact]
    public async Task A_shadow_answer_the_ledger_fails_to_book_is_still_charged_to_the_budgets()
    {
        var options = new RoutingOptions { Shadow = new ShadowOptions { Rate = 1, MaxShareOfCost = 1 } };
        options.Budgets.Add(new RoutingBudget("daily", 1m));
        var ledger = new RefusingLedger(CallOutcome.Shadow);
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Tier("Billing", 0.95), ["frontier"] = Tier("Billing", 0.99) }, ledger, options);

        Assert.Equal(Category.Billing, await router.RouteAsync(Plan(chain: new[] { "small", "frontier" }), new string('x', 1600), null, Enum));
        await Eventually(() => router.Shadow!.InFlight == 0, "the shadow call ends");

        // The frontier answered: its $0.00675 was spent, whatever the ledger did with the booking.
        Assert.Equal(1, router.Shadow!.Failures);
        var usage = router.Budgets.Usages()[0];
        Assert.Equal(0.0001125m + 0.00675m, usage.Spent);
        Assert.Equal(0m, usage.Reserved);
    }

    [Fact]
    public async Task A_last_tier_whose_client_cannot_be_created_never_fails_the_caller_whose_call_is_shadowed_or_sampled()
    {
        // The frontier's client factory throws (a missing API key, say): the call small answers never needed it.
        var options = new RoutingOptions
        {
            Shadow = new ShadowOptions { Rate = 1, MaxShareOfCost = 1, CalibrationRate = 1, MaxCalibrationShareOfCost = 1, Outcomes = new StringWriter() },
        };
        var small = Tier("Billing", 0.95);
        var router = new TaskRouter(tier => tier == "small" ? small : throw new InvalidOperationException("no API key for " + tier), new CostLedger(), options);

        Assert.Equal(Category.Billing, await router.RouteAsync(Plan(chain: new[] { "small", "frontier" }), "Where is my invoice?", null, Enum));
        Assert.Equal(0, router.Shadow!.InFlight + router.Sampler!.InFlight);
        Assert.Equal(1, small.Calls);
    }

    [Fact]
    public async Task A_routed_chat_request_is_shadowed_and_sampled_on_the_pipelines_last_tier()
    {
        // UseTieredRouting: the cheaper tiers are keyed clients, the last tier is the pipeline's inner client (no keyed "frontier").
        var small = FakeChatClient.Answering("small says hi", 0.95, FakeChatClient.Usage(100, 20));
        var frontier = FakeChatClient.Answering("frontier says hi", 0.99, FakeChatClient.Usage(100, 20));
        var options = new RoutingOptions
        {
            Shadow = new ShadowOptions { Rate = 1, MaxShareOfCost = 1, CalibrationRate = 1, MaxCalibrationShareOfCost = 1, Outcomes = new StringWriter() },
        };
        var router = new TaskRouter(tier => tier == "small" ? small : null, new CostLedger(), options);
        using var client = new ChatClientBuilder(frontier).UseTieredRouting(router, o => o.Plan = ChatPlan()).Build();

        Assert.Equal("small says hi", (await client.GetResponseAsync("hello")).Text);
        await Eventually(() => router.Shadow!.InFlight == 0 && router.Sampler!.InFlight == 0, "the background calls end");

        Assert.Equal(2, frontier.Calls);   // the shadow call and the sample's
        Assert.Equal(2, small.Calls);      // the routed call and the sample's
        Assert.Equal(0, router.Shadow!.Failures);
    }

    [Fact]
    public async Task A_chat_request_that_offers_tools_is_never_made_again_in_the_background()
    {
        // A tier client that invokes functions would run the caller's tools again: the request is neither shadowed nor sampled.
        var small = FakeChatClient.Answering("small says hi", 0.95, FakeChatClient.Usage(100, 20));
        var frontier = FakeChatClient.Answering("frontier says hi", 0.99, FakeChatClient.Usage(100, 20));
        var options = new RoutingOptions
        {
            Shadow = new ShadowOptions { Rate = 1, MaxShareOfCost = 1, CalibrationRate = 1, MaxCalibrationShareOfCost = 1, Outcomes = new StringWriter() },
        };
        var router = new TaskRouter(tier => tier == "small" ? small : null, new CostLedger(), options);
        using var client = new ChatClientBuilder(frontier).UseTieredRouting(router, o => o.Plan = ChatPlan()).Build();
        var tools = new ChatOptions { Tools = [AIFunctionFactory.Create(() => "sent", "send_email")] };

        Assert.Equal("small says hi", (await client.GetResponseAsync("email the customer", tools)).Text);
        Assert.Equal(0, router.Shadow!.InFlight + router.Sampler!.InFlight);

        Assert.Equal(0, frontier.Calls);
        Assert.Equal(1, small.Calls);
    }

    private static RoutePlan ChatPlan() => new("chat", TaskKind.Classification, Complexity.Low, TierCatalog.BuiltIn, new[] { "small", "frontier" }, 0.85, 0.97, 0.1m, 6.75m);

    public sealed record Reading(string Id, double Value);

    public sealed class Node
    {
        public string Name { get; set; } = "";

        public Node? Next { get; set; }
    }

    public sealed class Fragile
    {
        public string Id { get; set; } = "";

        public string Detail => throw new InvalidOperationException("not loaded");
    }

    public struct Reading2
    {
        public string Id;
        public double Value;
    }

    [Fact]
    public void Values_that_hold_their_data_in_fields_are_compared_by_their_fields()
    {
        // A result type of public fields (or a tuple) from a parser of the application's own: JSON without fields writes "{}".
        Assert.False(DefaultAgreement.Agree("x", new Reading2 { Id = "a", Value = 1 }, "y", new Reading2 { Id = "b", Value = 2 }));
        Assert.True(DefaultAgreement.Agree("x", new Reading2 { Id = "a", Value = 1 }, "y", new Reading2 { Id = "a", Value = 1.0 }));
        Assert.False(DefaultAgreement.Agree("x", ("Billing", 0.9), "y", ("Technical", 0.9)));
    }

    [Fact]
    public void Values_holding_NaN_or_infinity_are_compared_not_thrown_on()
    {
        Assert.True(DefaultAgreement.Agree("x", new Reading("r", double.NaN), "y", new Reading("r", double.NaN)));
        Assert.True(DefaultAgreement.Agree("x", new Reading("r", double.PositiveInfinity), "y", new Reading("r", double.PositiveInfinity)));
        Assert.False(DefaultAgreement.Agree("x", new Reading("r", double.NaN), "y", new Reading("r", 1.5)));
        Assert.False(DefaultAgreement.Agree("x", new Reading("r", double.PositiveInfinity), "y", new Reading("r", double.NegativeInfinity)));
    }

    [Fact]
    public void Values_with_a_cycle_are_compared_not_thrown_on()
    {
        Node Loop(string name)
        {
            var node = new Node { Name = name };
            node.Next = node;
            return node;
        }

        Assert.True(DefaultAgreement.Agree("x", Loop("a"), "y", Loop("a")));
        Assert.False(DefaultAgreement.Agree("x", Loop("a"), "y", Loop("b")));
    }

    [Fact]
    public void Values_JSON_cannot_write_fall_back_to_their_answer_text()
    {
        Assert.True(DefaultAgreement.Agree("A1", new Fragile { Id = "A1" }, " a1 ", new Fragile { Id = "A1" }));
        Assert.False(DefaultAgreement.Agree("A1", new Fragile { Id = "A1" }, "A2", new Fragile { Id = "A2" }));
    }

    [Fact]
    public async Task A_calibration_sample_whose_rows_cannot_be_written_is_booked_and_never_fails_the_caller()
    {
        var outcomes = new StringWriter();
        outcomes.Dispose();
        var ledger = new CostLedger();
        var options = new RoutingOptions { Shadow = new ShadowOptions { Rate = 0, CalibrationRate = 1, MaxCalibrationShareOfCost = 1, Outcomes = outcomes } };
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Tier("Billing", 0.95), ["frontier"] = Tier("Billing", 0.99) }, ledger, options);

        Assert.Equal(Category.Billing, await router.RouteAsync(Plan(chain: new[] { "small", "frontier" }), "Where is my invoice?", null, Enum));
        await Eventually(() => router.Sampler!.InFlight == 0, "the sample ends");

        Assert.Equal(2, ledger.Snapshot().Entries.Sum(e => e.SampleCalls));
    }

    /// <summary>A ledger whose snapshot fails, as a shared ledger's does while its store does not answer.</summary>
    private sealed class UnreadableLedger : ICostLedger
    {
        public CostLedger Inner { get; } = new();

        public void Record(in CostRecord record) => Inner.Record(record);

        public CostSnapshot Snapshot() => throw new InvalidOperationException("The shared ledger did not answer.");
    }

    /// <summary>A ledger that throws on the bookings of one outcome, as a ledger of the application's own may.</summary>
    private sealed class RefusingLedger(CallOutcome refused) : ICostLedger
    {
        private readonly CostLedger _inner = new();

        public void Record(in CostRecord record)
        {
            if (record.Outcome == refused) throw new InvalidOperationException("The ledger refused the booking.");
            _inner.Record(record);
        }

        public CostSnapshot Snapshot() => _inner.Snapshot();
    }

    /// <summary>A ledger whose snapshot waits until the test opens it, as a shared ledger's round trip does.</summary>
    private sealed class SlowLedger(ManualResetEventSlim open) : ICostLedger
    {
        private readonly CostLedger _inner = new();

        public void Record(in CostRecord record) => _inner.Record(record);

        public CostSnapshot Snapshot()
        {
            open.Wait(TimeSpan.FromSeconds(60));
            return _inner.Snapshot();
        }
    }

    /// <summary>This process's statistics, counting the comparisons added.</summary>
    private sealed class CountingStatistics : IAgreementStatistics
    {
        private readonly InProcessAgreementStatistics _inner = new();
        private int _added;

        public int Added => Volatile.Read(ref _added);

        public int GetLevel(string taskName, int position) => _inner.GetLevel(taskName, position);

        public ValueTask<AgreementState> AddAsync(string taskName, int position, bool agreed, int window, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _added);
            return _inner.AddAsync(taskName, position, agreed, window, cancellationToken);
        }

        public ValueTask<bool> TryApplyAsync(string taskName, int position, AgreementState observed, int level, double baseline, CancellationToken cancellationToken = default)
            => _inner.TryApplyAsync(taskName, position, observed, level, baseline, cancellationToken);
    }
}
