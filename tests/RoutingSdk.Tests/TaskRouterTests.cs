using static RoutingSdk.Tests.Routing;

namespace RoutingSdk.Tests;

public class TaskRouterTests
{
    private static readonly IAnswerParser<Category> Enum = AnswerParsers.Enum<Category>();

    [Fact]
    public async Task A_plan_made_for_one_call_is_not_kept_alive_by_the_router()
    {
        var ledger = new CostLedger();
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = FakeChatClient.Answering("Billing", usage: FakeChatClient.Usage(10, 1)) }, ledger);
        var plans = new List<WeakReference>();
        for (var i = 0; i < 100; i++) plans.Add(await RouteOnFreshPlan(router));

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // The calls are booked; the plans, dropped by the caller, are gone (a router that kept every plan it saw would leak).
        Assert.Equal(100, Assert.Single(ledger.Snapshot().Entries).Calls);
        Assert.DoesNotContain(plans, p => p.IsAlive);

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        static async Task<WeakReference> RouteOnFreshPlan(TaskRouter router)
        {
            var plan = Plan();
            Assert.Equal(Category.Billing, await router.RouteAsync(plan, "p", null, Enum));
            return new WeakReference(plan);
        }
    }

    [Fact]
    public async Task Accepts_the_start_tier_answer_when_it_parses()
    {
        var small = FakeChatClient.Answering("Billing");
        var mid = FakeChatClient.Answering("Technical");
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = small, ["mid"] = mid });

        var result = await router.RouteAsync(Plan(), "Classify: refund please", null, Enum);

        Assert.Equal(Category.Billing, result);
        Assert.Equal(1, small.Calls);
        Assert.Equal(0, mid.Calls);
    }

    [Fact]
    public async Task Escalates_when_enum_answer_does_not_parse()
    {
        var mid = FakeChatClient.Answering("Technical");
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = FakeChatClient.Answering("I think it is about money"), ["mid"] = mid });

        Assert.Equal(Category.Technical, await router.RouteAsync(Plan(), "p", null, Enum));
        Assert.Equal(1, mid.Calls);
    }

    [Fact]
    public async Task Escalates_when_json_answer_does_not_parse()
    {
        var router = Router(new Dictionary<string, IChatClient>
        {
            ["small"] = FakeChatClient.Answering("{\"id\": \"A1\", \"amount\": "),
            ["mid"] = FakeChatClient.Answering("{\"id\": \"A1\", \"amount\": 12.5}"),
        });

        var order = await router.RouteAsync(Plan(), "p", null, AnswerParsers.Json<Order>());

        Assert.Equal(new Order("A1", 12.5m), order);
    }

    [Fact]
    public async Task Escalates_when_confidence_is_below_the_threshold()
    {
        var router = Router(new Dictionary<string, IChatClient>
        {
            ["small"] = FakeChatClient.Answering("Billing", confidence: 0.84),
            ["mid"] = FakeChatClient.Answering("Technical", confidence: 0.9),
        });

        Assert.Equal(Category.Technical, await router.RouteAsync(Plan(threshold: 0.85), "p", null, Enum));
    }

    [Fact]
    public async Task Accepts_confidence_equal_to_the_threshold()
    {
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = FakeChatClient.Answering("Billing", confidence: 0.85) });

        Assert.Equal(Category.Billing, await router.RouteAsync(Plan(threshold: 0.85), "p", null, Enum));
    }

    [Fact]
    public async Task Each_tier_is_held_to_its_own_acceptance_threshold()
    {
        // The plan accepts the small tier at 0.6 and the mid tier only at 0.95: 0.7 passes at small, 0.9 fails at mid.
        var plan = new RoutePlan(TaskName, TaskKind.Classification, Complexity.Low, TierCatalog.BuiltIn, new[] { "small", "mid", "frontier" },
            0.85, 0.97, 0.1m, 6.75m, acceptanceThresholds: new[] { 0.6, 0.95, 0 });
        var accepting = Router(new Dictionary<string, IChatClient> { ["small"] = FakeChatClient.Answering("Billing", confidence: 0.7) });
        Assert.Equal(Category.Billing, await accepting.RouteAsync(plan, "p", null, Enum));

        var frontier = FakeChatClient.Answering("General", confidence: 0.1);
        var escalating = Router(new Dictionary<string, IChatClient>
        {
            ["small"] = FakeChatClient.Answering("Billing", confidence: 0.5),
            ["mid"] = FakeChatClient.Answering("Technical", confidence: 0.9),
            ["frontier"] = frontier,
        });
        Assert.Equal(Category.General, await escalating.RouteAsync(plan, "p", null, Enum));
        Assert.Equal(1, frontier.Calls);
    }

    [Fact]
    public void A_plan_needs_one_acceptance_threshold_per_tier()
    {
        var error = Assert.Throws<ArgumentException>(() => new RoutePlan(TaskName, TaskKind.Classification, Complexity.Low, TierCatalog.BuiltIn,
            new[] { "small", "mid" }, 0.85, 0.97, 0.1m, 6.75m, acceptanceThresholds: new[] { 0.6 }));
        Assert.Contains("2 tiers but 1 acceptance thresholds", error.Message);
        Assert.Equal(new[] { 0.85, 0.85 }, Plan(0.85, null, "small", "mid").AcceptanceThresholds);
    }

    public static TheoryData<object> LowConfidences => new()
    {
        "0.2",
        0.2f,
        0.2m,
        0L,
        System.Text.Json.JsonDocument.Parse("0.2").RootElement,
        System.Text.Json.JsonDocument.Parse("\"0.2\"").RootElement,
    };

    [Theory]
    [MemberData(nameof(LowConfidences))]
    public async Task Reads_confidence_reported_as_any_number_type(object confidence)
    {
        var low = FakeChatClient.Response("Billing");
        low.AdditionalProperties = new AdditionalPropertiesDictionary { [TaskRouter.ConfidenceProperty] = confidence };
        var router = Router(new Dictionary<string, IChatClient>
        {
            ["small"] = new FakeChatClient((_, _, _) => Task.FromResult(low)),
            ["mid"] = FakeChatClient.Answering("General"),
        });

        Assert.Equal(Category.General, await router.RouteAsync(Plan(), "p", null, Enum));
    }

    [Fact]
    public async Task Accepts_the_last_tier_parsable_answer_even_with_low_confidence()
    {
        var router = Router(new Dictionary<string, IChatClient>
        {
            ["small"] = FakeChatClient.Answering("Billing", confidence: 0.1),
            ["mid"] = FakeChatClient.Answering("Technical", confidence: 0.2),
            ["frontier"] = FakeChatClient.Answering("General", confidence: 0.3),
        });

        Assert.Equal(Category.General, await router.RouteAsync(Plan(), "p", null, Enum));
    }

    [Fact]
    public async Task Falls_back_when_a_tier_throws()
    {
        var router = Router(new Dictionary<string, IChatClient>
        {
            ["small"] = FakeChatClient.Throwing(() => new HttpRequestExceptionStandIn("503 Service Unavailable")),
            ["mid"] = FakeChatClient.Answering("Technical"),
        });

        Assert.Equal(Category.Technical, await router.RouteAsync(Plan(), "p", null, Enum));
    }

    [Fact]
    public async Task Falls_back_when_a_tier_has_no_registered_client()
    {
        var router = Router(new Dictionary<string, IChatClient> { ["mid"] = FakeChatClient.Answering("Technical") });

        Assert.Equal(Category.Technical, await router.RouteAsync(Plan(), "p", null, Enum));
    }

    [Fact]
    public async Task Falls_back_when_a_tier_times_out_on_its_own_token()
    {
        var mid = FakeChatClient.Answering("Technical");
        var router = Router(new Dictionary<string, IChatClient>
        {
            ["small"] = new FakeChatClient(async (_, _, _) =>
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(10));
                await Task.Delay(Timeout.Infinite, timeout.Token);
                throw new InvalidOperationException("unreachable");
            }),
            ["mid"] = mid,
        });

        using var caller = new CancellationTokenSource();
        Assert.Equal(Category.Technical, await router.RouteAsync(Plan(), "p", null, Enum, caller.Token));
        Assert.Equal(1, mid.Calls);
    }

    [Fact]
    public async Task Caller_cancellation_propagates_and_the_next_tier_is_never_called()
    {
        using var caller = new CancellationTokenSource();
        var mid = FakeChatClient.Answering("Technical");
        var router = Router(new Dictionary<string, IChatClient>
        {
            ["small"] = new FakeChatClient(async (_, _, token) =>
            {
                caller.Cancel();
                await Task.Delay(Timeout.Infinite, token);
                return FakeChatClient.Response("Billing");
            }),
            ["mid"] = mid,
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => router.RouteAsync(Plan(), "p", null, Enum, caller.Token));
        Assert.Equal(0, mid.Calls);
    }

    [Fact]
    public async Task Caller_cancellation_before_the_call_calls_no_tier()
    {
        var small = FakeChatClient.Answering("Billing");
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = small });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => router.RouteAsync(Plan(), "p", null, Enum, new CancellationToken(true)));
        Assert.Equal(0, small.Calls);
    }

    [Fact]
    public async Task Caller_cancellation_after_a_tier_failed_is_not_swallowed()
    {
        using var caller = new CancellationTokenSource();
        var mid = FakeChatClient.Answering("Technical");
        var router = Router(new Dictionary<string, IChatClient>
        {
            ["small"] = new FakeChatClient((_, _, _) =>
            {
                caller.Cancel();
                throw new InvalidOperationException("connection reset");
            }),
            ["mid"] = mid,
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => router.RouteAsync(Plan(), "p", null, Enum, caller.Token));
        Assert.Equal(0, mid.Calls);
    }

    [Fact]
    public async Task When_every_tier_fails_the_exception_names_each_tier_and_its_failure()
    {
        var router = Router(new Dictionary<string, IChatClient>
        {
            ["small"] = FakeChatClient.Answering("no idea"),
            ["mid"] = FakeChatClient.Throwing(() => new InvalidOperationException("mid is overloaded")),
            ["frontier"] = FakeChatClient.Answering("still no idea"),
        });

        var ex = await Assert.ThrowsAsync<RoutingFailedException>(() => router.RouteAsync(Plan(), "p", null, Enum));

        Assert.Equal(TaskName, ex.TaskName);
        Assert.Equal(new[] { "small", "mid", "frontier" }, ex.Failures.Select(f => f.Tier));
        Assert.Contains("'small': the answer could not be read as Category (7 characters", ex.Message);
        Assert.Contains("'mid': InvalidOperationException (RoutingOptions.RecordContent shows its message)", ex.Message);
        Assert.DoesNotContain("mid is overloaded", ex.Message);   // a provider's message may quote the prompt
        Assert.Equal("mid is overloaded", ex.Failures[1].Exception!.Message);
        Assert.Contains("'frontier'", ex.Message);
        Assert.DoesNotContain("no idea", ex.Message);   // answers stay out of exceptions unless RecordContent is on
        Assert.IsType<InvalidOperationException>(ex.InnerException);
    }

    [Fact]
    public async Task With_RecordContent_the_exception_quotes_the_unreadable_answers()
    {
        var clients = new Dictionary<string, IChatClient> { ["small"] = FakeChatClient.Answering("no idea") };
        var router = new TaskRouter(tier => clients.TryGetValue(tier, out var c) ? c : null, new CostLedger(), new RoutingOptions { RecordContent = true });

        var ex = await Assert.ThrowsAsync<RoutingFailedException>(() => router.RouteAsync(Plan(chain: ["small"]), "p", null, Enum));

        Assert.Contains("'small': the answer could not be read as Category: \"no idea\"", ex.Message);
    }

    [Fact]
    public async Task When_later_tiers_fail_the_exception_names_the_low_confidence_answer_too()
    {
        var router = Router(new Dictionary<string, IChatClient>
        {
            ["small"] = FakeChatClient.Answering("Billing", confidence: 0.2),
            ["mid"] = FakeChatClient.Throwing(() => new TimeoutException("mid timed out")),
        });

        var ex = await Assert.ThrowsAsync<RoutingFailedException>(() => router.RouteAsync(Plan(chain: ["small", "mid"]), "p", null, Enum));

        Assert.Contains("'small': the answer's confidence 0.2 is below the acceptance threshold 0.85", ex.Message);
        Assert.Contains("'mid': TimeoutException", ex.Message);
        Assert.Equal("mid timed out", ex.Failures[1].Exception!.Message);
    }

    [Fact]
    public async Task When_no_tier_has_a_client_the_exception_says_how_to_register_one()
    {
        var router = Router(new Dictionary<string, IChatClient>());

        var ex = await Assert.ThrowsAsync<RoutingFailedException>(() => router.RouteAsync(Plan(chain: "small"), "p", null, Enum));

        Assert.Contains("AddKeyedChatClient(\"small\"", ex.Message);
    }

    [Fact]
    public async Task System_message_carries_the_instructions_before_the_prompt()
    {
        var small = FakeChatClient.Answering("Billing");
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = small });

        await router.RouteAsync(Plan(), "Classify: refund please", "Answer with one label.", Enum);

        Assert.Collection(small.LastMessages!,
            m => { Assert.Equal(ChatRole.System, m.Role); Assert.Equal("Answer with one label.", m.Text); },
            m => { Assert.Equal(ChatRole.User, m.Role); Assert.Equal("Classify: refund please", m.Text); });
    }

    [Fact]
    public async Task Without_instructions_only_the_prompt_is_sent()
    {
        var small = FakeChatClient.Answering("Billing");
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = small });

        await router.RouteAsync(Plan(), "Classify: refund please", null, Enum);

        Assert.Equal(ChatRole.User, Assert.Single(small.LastMessages!).Role);
    }

    [Fact]
    public async Task Tier_client_is_told_the_task_name_kind_complexity_and_model()
    {
        var catalog = new TierCatalog(new[] { new TierSpec("small", 0, 1, 1, modelId: "gpt-small-1") });
        var small = FakeChatClient.Answering("Billing");
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = small });

        await router.RouteAsync(Plan(catalog: catalog, chain: "small"), "p", null, Enum);

        var props = small.LastOptions!.AdditionalProperties!;
        Assert.Equal(TaskName, props[TaskRouter.TaskNameProperty]);
        Assert.Equal("Classification", props[TaskRouter.KindProperty]);
        Assert.Equal("Low", props[TaskRouter.ComplexityProperty]);
        Assert.Equal("gpt-small-1", small.LastOptions.ModelId);
    }

    [Fact]
    public async Task Text_task_returns_the_trimmed_answer()
    {
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = FakeChatClient.Answering("  The clause is one-sided.\n") });

        Assert.Equal("The clause is one-sided.", await router.RouteAsync(Plan(), "p", null, AnswerParsers.Text));
    }

    [Fact]
    public async Task Concurrent_calls_share_one_router()
    {
        var small = FakeChatClient.Answering("Billing", usage: FakeChatClient.Usage(10, 1));
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = small });

        var results = await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => Task.Run(() => router.RouteAsync(Plan(), "p", null, Enum))));

        Assert.All(results, r => Assert.Equal(Category.Billing, r));
        Assert.Equal(500, Assert.Single(router.Ledger.Snapshot().Entries).Calls);
    }

    private sealed class HttpRequestExceptionStandIn(string message) : Exception(message);
}
