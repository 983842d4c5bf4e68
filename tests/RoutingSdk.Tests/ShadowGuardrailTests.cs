using Microsoft.Extensions.Logging;
using static RoutingSdk.Tests.Routing;

namespace RoutingSdk.Tests;

/// <summary>The shadow guardrail at run time: background calls to the last tier, their booking, the tightening it drives.</summary>
public sealed class ShadowGuardrailTests
{
    private static readonly IAnswerParser<Category> Enum = AnswerParsers.Enum<Category>();

    private static FakeChatClient Tier(string answer, double confidence) => FakeChatClient.Answering(answer, confidence, FakeChatClient.Usage(400, 10));

    private static RoutingOptions Options(double rate = 1, int window = 10, double maxShare = 1) => new()
    {
        Shadow = new ShadowOptions { Rate = rate, Window = window, MinSamples = window, MaxShareOfCost = maxShare, RequiredAgreement = 0.7 },
    };

    private static async Task Settled(TaskRouter router)
    {
        for (var i = 0; i < 500 && router.Shadow!.InFlight > 0; i++) await Task.Delay(10);
        Assert.Equal(0, router.Shadow!.InFlight);
    }

    [Fact]
    public async Task A_sampled_accepted_answer_is_also_sent_to_the_last_tier_and_booked_as_shadow_cost()
    {
        var frontier = Tier("Billing", 0.99);
        var ledger = new CostLedger();
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Tier("Billing", 0.95), ["mid"] = Tier("Billing", 0.99), ["frontier"] = frontier }, ledger, Options(rate: 0.5));

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(Category.Billing, await router.RouteAsync(Plan(), "Where is my invoice?", null, Enum));
            await Settled(router);
        }

        var snapshot = ledger.Snapshot();
        var shadowEntry = Assert.Single(snapshot.Entries, e => e.Tier == "frontier");
        Assert.Equal(2, frontier.Calls);
        Assert.Equal(2, shadowEntry.ShadowCalls);
        Assert.Equal(shadowEntry.Usd, shadowEntry.ShadowUsd);
        Assert.Equal(0m, shadowEntry.AllFrontierUsd);   // a shadow answer is nobody's accepted answer
        Assert.Equal(2 * TierCatalog.BuiltIn.Find("frontier")!.Cost(400, 10), snapshot.ShadowUsd);
        Assert.Equal(0, Assert.Single(snapshot.Entries, e => e.Tier == "small").ShadowCalls);
    }

    [Fact]
    public async Task Answers_that_stop_agreeing_with_the_last_tier_tighten_the_position_and_the_next_call_escalates()
    {
        var logger = new ListLogger();
        var options = Options();
        options.Shadow!.Logger = logger;
        var frontierCalls = 0;
        // The last tier agrees with small on the first 10 shadow calls (the baseline: 1), then no more.
        var frontier = new FakeChatClient((_, _, _) => Task.FromResult(FakeChatClient.Response(Interlocked.Increment(ref frontierCalls) <= 10 ? "Billing" : "Technical", 0.99, FakeChatClient.Usage(400, 10))));
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Tier("Billing", 0.9), ["mid"] = Tier("Technical", 0.99), ["frontier"] = frontier }, options: options);

        for (var i = 0; i < 16; i++)
        {
            Assert.Equal(Category.Billing, await router.RouteAsync(Plan(), "Where is my invoice?", null, Enum));
            await Settled(router);
            // 5 of the last 10 agreeing leaves the upper bound (0.731) above the need: no change yet.
            if (i == 14) Assert.Equal(0, router.GetGuardrailLevel(TaskName, 0));
        }

        // 4 of the last 10 agree: upper bound 0.648, below 0.7 of the baseline. The top level: small accepts nothing.
        Assert.Equal(4, router.GetGuardrailLevel(TaskName, 0));
        Assert.Equal(Category.Technical, await router.RouteAsync(Plan(), "Where is my invoice?", null, Enum));
        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("agreed with the last tier in 0.4 of the last 10 shadow comparisons (upper bound 0.648, needed 0.7)", warning.Message);
        Assert.Contains("tightened to level 4", warning.Message);

        // The ledger snapshot says so too: the latest call booked at small was made at level 4; the last tier is never tightened.
        var entries = router.Ledger.Snapshot().Entries;
        Assert.Equal(4, Assert.Single(entries, e => e.Tier == "small").GuardrailLevel);
        Assert.Equal(0, Assert.Single(entries, e => e.Tier == "frontier").GuardrailLevel);
    }

    [Fact]
    public async Task At_the_top_level_a_position_accepts_nothing_and_relaxes_when_its_probes_agree_again()
    {
        var frontierCalls = 0;
        // Calls 1-10 agree with small (the baseline), 11-16 disagree (the top level at call 16), then agree again.
        var frontier = new FakeChatClient((_, _, _) =>
        {
            var call = Interlocked.Increment(ref frontierCalls);
            return Task.FromResult(FakeChatClient.Response(call is > 10 and <= 16 ? "Technical" : "Billing", 0.99, FakeChatClient.Usage(400, 10)));
        });
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Tier("Billing", 0.99), ["mid"] = Tier("Technical", 0.99), ["frontier"] = frontier }, options: Options());

        for (var i = 0; i < 16; i++)
        {
            Assert.Equal(Category.Billing, await router.RouteAsync(Plan(), "Where is my invoice?", null, Enum));
            await Settled(router);
        }

        // Level 4, the top: small's 0.99 is not accepted; it is above level 3's 0.98125, so each answer is a probe, shadowed.
        Assert.Equal(4, router.GetGuardrailLevel(TaskName, 0));
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(Category.Technical, await router.RouteAsync(Plan(), "Where is my invoice?", null, Enum));
            await Settled(router);
        }

        // 10 of 10 probes agree: lower bound 0.787, at least 0.7 of the baseline: one level down.
        Assert.Equal(3, router.GetGuardrailLevel(TaskName, 0));
        Assert.Equal(Category.Billing, await router.RouteAsync(Plan(), "Where is my invoice?", null, Enum));
    }

    [Fact]
    public async Task A_plan_with_its_calibrated_baseline_is_guarded_from_its_first_comparisons()
    {
        // The calibration recorded that small's accepted answers agreed with the last tier 0.9 of the time: the need is
        // 0.63, and no window has to be learned first. The last tier disagrees from the first shadow call on.
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Tier("Billing", 0.9), ["mid"] = Tier("Technical", 0.99), ["frontier"] = Tier("Technical", 0.99) }, options: Options());
        var plan = WithBaselines(Plan(), 0.9, 0.9);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(Category.Billing, await router.RouteAsync(plan, "Where is my invoice?", null, Enum));
            await Settled(router);
        }

        Assert.Equal(4, router.GetGuardrailLevel(TaskName, 0));
        Assert.Equal(Category.Technical, await router.RouteAsync(plan, "Where is my invoice?", null, Enum));

        // Without a recorded baseline the same comparisons are the position's first window: it learns 0 and never tightens.
        var learning = Router(new Dictionary<string, IChatClient> { ["small"] = Tier("Billing", 0.9), ["mid"] = Tier("Technical", 0.99), ["frontier"] = Tier("Technical", 0.99) }, options: Options());
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(Category.Billing, await learning.RouteAsync(Plan(), "Where is my invoice?", null, Enum));
            await Settled(learning);
        }

        Assert.Equal(0, learning.GetGuardrailLevel(TaskName, 0));
    }

    private static RoutePlan WithBaselines(RoutePlan plan, params double[] baselines)
        => new(plan.TaskName, plan.Kind, plan.Complexity, plan.Catalog, plan.Chain, plan.QualityThreshold, plan.ProjectedQuality, plan.ProjectedUsdPerThousandCalls,
            plan.AllFrontierUsdPerThousandCalls, plan.AcceptanceThresholds, plan.Escalation, plan.Acceptors, baselines);

    [Fact]
    public async Task Answers_that_agree_keep_the_plan_as_it_was()
    {
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Tier("Billing", 0.9), ["mid"] = Tier("Billing", 0.99), ["frontier"] = Tier("billing.", 0.99) }, options: Options());

        for (var i = 0; i < 20; i++)
        {
            await router.RouteAsync(Plan(), "Where is my invoice?", null, Enum);
            await Settled(router);
        }

        Assert.Equal(0, router.GetGuardrailLevel(TaskName, 0));
    }

    [Fact]
    public async Task A_failing_shadow_call_never_fails_the_caller_and_is_counted()
    {
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Tier("Billing", 0.95), ["frontier"] = FakeChatClient.Throwing(() => new InvalidOperationException("down")) }, options: Options());

        Assert.Equal(Category.Billing, await router.RouteAsync(Plan(), "Where is my invoice?", null, Enum));
        await Settled(router);

        Assert.Equal(1, router.Shadow!.Failures);
    }

    [Fact]
    public async Task A_shadow_call_a_budget_cannot_pay_for_is_not_made()
    {
        var options = Options();
        options.Budgets.Add(new RoutingBudget("daily", 0.0003m));
        var frontier = Tier("Billing", 0.99);
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Tier("Billing", 0.95), ["frontier"] = frontier }, options: options);

        Assert.Equal(Category.Billing, await router.RouteAsync(Plan(), new string('x', 1600), null, Enum));
        await Settled(router);

        Assert.Equal(0, frontier.Calls);
        Assert.Equal(0.0001125m, router.Budgets.Usages()[0].Spent);
        Assert.Equal(0m, router.Budgets.Usages()[0].Reserved);
    }

    [Fact]
    public async Task A_calibration_sample_a_budget_cannot_pay_for_in_full_is_given_up_within_the_budget()
    {
        var options = Options(rate: 0.01);   // the first call is not shadowed
        var outcomes = new System.IO.StringWriter();
        options.Shadow!.CalibrationRate = 1;
        options.Shadow.MaxCalibrationShareOfCost = 1;
        options.Shadow.Outcomes = outcomes;
        options.Budgets.Add(new RoutingBudget("daily", 0.0003m));
        var small = Tier("Billing", 0.95);
        var mid = Tier("Billing", 0.99);
        var frontier = Tier("Billing", 0.99);
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = small, ["mid"] = mid, ["frontier"] = frontier }, options: options);

        Assert.Equal(Category.Billing, await router.RouteAsync(Plan(), new string('x', 1600), null, Enum));
        for (var i = 0; i < 500 && router.Sampler!.InFlight > 0; i++) await Task.Delay(10);

        // The sample asked small again (the budget could pay), then could not reserve mid: given up, nothing written.
        Assert.Equal(0, router.Sampler!.InFlight);
        Assert.Equal(2, small.Calls);
        Assert.Equal(0, mid.Calls + frontier.Calls);
        Assert.Equal(string.Empty, outcomes.ToString());
        Assert.Equal(2 * 0.0001125m, router.Budgets.Usages()[0].Spent);
        Assert.Equal(0m, router.Budgets.Usages()[0].Reserved);
        Assert.Equal(0.0001125m, router.Ledger.Snapshot().ShadowUsd);
    }

    [Fact]
    public async Task A_shadow_call_and_a_calibration_sample_are_charged_to_the_tenant_whose_call_they_follow()
    {
        var options = Options();
        options.Shadow!.CalibrationRate = 1;
        options.Shadow.MaxCalibrationShareOfCost = 1;
        options.Shadow.Outcomes = new System.IO.StringWriter();
        options.Budgets.Add(new RoutingBudget("per-tenant", 1m) { KeyedBy = RoutingContext.TenantKey });
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Tier("Billing", 0.95), ["mid"] = Tier("Billing", 0.99), ["frontier"] = Tier("Billing", 0.99) }, options: options);

        using (RoutingContext.Begin(tenant: "acme")) Assert.Equal(Category.Billing, await router.RouteAsync(Plan(), new string('x', 1600), null, Enum));
        await Settled(router);
        for (var i = 0; i < 500 && router.Sampler!.InFlight > 0; i++) await Task.Delay(10);

        // The routed call, its shadow call and the sample's three calls: all acme's, none the calls without a tenant's.
        var budget = options.Budgets[0];
        var acme = await router.Budgets.Store.ReadAsync(budget, "acme");
        var none = await router.Budgets.Store.ReadAsync(budget, string.Empty);
        Assert.Equal(4, router.Ledger.Snapshot().Entries.Sum(e => e.ShadowCalls));
        Assert.Equal(router.Ledger.Snapshot().TotalUsd, acme.SpentUsd);
        Assert.Equal(0m, none.SpentUsd);
    }

    [Theory]
    [InlineData(0.05, 0)]
    [InlineData(0.9, 1)]
    public async Task The_spending_cap_refuses_a_shadow_call_that_would_take_shadow_spend_over_its_share(double maxShare, int shadowCalls)
    {
        // Every 40th call is sampled. 40 small calls cost 40 × $0.0001125 = $0.0045, 80 cost $0.009; a frontier shadow call
        // is expected to cost $0.00675 (400 input tokens, a Classification's 10 expected output tokens): never within 5 % of
        // the routed spend; within 90 % at the 80th call only.
        var frontier = Tier("Billing", 0.99);
        var options = Options(rate: 1.0 / 40, maxShare: maxShare);
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Tier("Billing", 0.95), ["frontier"] = frontier }, options: options);

        for (var i = 0; i < 80; i++)
        {
            await router.RouteAsync(Plan(), new string('x', 1600), null, Enum);
            await Settled(router);
        }

        Assert.Equal(shadowCalls, frontier.Calls);
    }

    [Fact]
    public async Task Calibration_samples_have_their_own_cap_and_never_take_the_shadow_calls_share()
    {
        // As above at a 90 % cap: the shadow call at the 80th call fits. Every 20th call is also sampled (small and frontier,
        // $0.0068625 expected), within a cap of its own; counted in the shadow calls' cap, the samples would have taken it.
        var frontier = Tier("Billing", 0.99);
        var options = Options(rate: 1.0 / 40, maxShare: 0.9);
        options.Shadow!.CalibrationRate = 1.0 / 20;
        options.Shadow.MaxCalibrationShareOfCost = 1;
        options.Shadow.Outcomes = new System.IO.StringWriter();
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Tier("Billing", 0.95), ["frontier"] = frontier }, options: options);

        for (var i = 0; i < 80; i++)
        {
            await router.RouteAsync(Plan(chain: new[] { "small", "frontier" }), new string('x', 1600), null, Enum);
            await Settled(router);
            for (var w = 0; w < 500 && router.Sampler!.InFlight > 0; w++) await Task.Delay(10);
        }

        Assert.Equal(4 + 1, frontier.Calls);   // four samples and the shadow call
        var ledger = router.Ledger.Snapshot();
        Assert.True(ledger.SampleUsd > 0 && ledger.SampleUsd < ledger.ShadowUsd, $"samples {ledger.SampleUsd} of {ledger.ShadowUsd}");
    }

    [Fact]
    public async Task The_callers_cancellation_does_not_stop_a_shadow_call_but_the_applications_does()
    {
        using var stopping = new CancellationTokenSource();
        var answered = new TaskCompletionSource<ChatResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var frontier = new FakeChatClient(async (_, _, token) =>
        {
            using var _ = token.Register(() => answered.TrySetCanceled(token));
            return await answered.Task;
        });
        var options = Options();
        options.Shadow!.Stopping = stopping.Token;
        var ledger = new CostLedger();
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Tier("Billing", 0.95), ["frontier"] = frontier }, ledger, options);
        using var caller = new CancellationTokenSource();

        Assert.Equal(Category.Billing, await router.RouteAsync(Plan(), "Where is my invoice?", null, Enum, caller.Token));
        caller.Cancel();
        await Task.Delay(50);
        Assert.Equal(1, router.Shadow!.InFlight);

        stopping.Cancel();
        await Settled(router);
        Assert.Equal(1, router.Shadow.Failures);
        Assert.Equal(0m, ledger.Snapshot().ShadowUsd);
    }

    [Fact]
    public void Shadow_options_refuse_rates_outside_0_to_1()
    {
        var options = new ShadowOptions();

        Assert.Throws<ArgumentOutOfRangeException>(() => options.Rate = -0.01);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.Rate = double.NaN);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.Rate = 1.5);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxShareOfCost = double.NaN);
    }

    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Entries) Entries.Add((logLevel, formatter(state, exception)));
        }
    }
}
