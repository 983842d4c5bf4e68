using Microsoft.Extensions.DependencyInjection;
using static RoutingSdk.Tests.Routing;

namespace RoutingSdk.Tests;

/// <summary>Escalation.None and Escalation.Classifier at run time.</summary>
public class EscalationModeTests
{
    private static readonly IAnswerParser<Category> Enum = AnswerParsers.Enum<Category>();

    private sealed class PickingClassifier(string? tier) : ITierClassifier
    {
        public TierClassificationContext? Seen;

        public ValueTask<string?> ChooseStartTierAsync(TierClassificationContext context, CancellationToken cancellationToken)
        {
            Seen = context;
            return new ValueTask<string?>(tier);
        }
    }

    [Fact]
    public async Task None_calls_only_the_start_tier_and_accepts_its_parsable_answer()
    {
        var mid = FakeChatClient.Answering("Technical");
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = FakeChatClient.Answering("Billing", confidence: 0.1), ["mid"] = mid });

        Assert.Equal(Category.Billing, await router.RouteAsync(NamedPlan("None.Accept", Escalation.None), "p", null, Enum));
        Assert.Equal(0, mid.Calls);
    }

    [Fact]
    public async Task None_does_not_fall_back_when_the_start_tier_fails()
    {
        var mid = FakeChatClient.Answering("Technical");
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = FakeChatClient.Throwing(() => new TimeoutException("down")), ["mid"] = mid });

        var ex = await Assert.ThrowsAsync<RoutingFailedException>(() => router.RouteAsync(NamedPlan("None.Fail", Escalation.None), "p", null, Enum));

        Assert.Equal("small", Assert.Single(ex.Failures).Tier);
        Assert.Equal(0, mid.Calls);
    }

    [Fact]
    public async Task Classifier_picks_the_start_tier_before_any_call()
    {
        var small = FakeChatClient.Answering("Billing");
        var mid = FakeChatClient.Answering("Technical");
        var classifier = new PickingClassifier("mid");
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = small, ["mid"] = mid }, options: new RoutingOptions { Classifier = classifier });

        Assert.Equal(Category.Technical, await router.RouteAsync(NamedPlan("Classifier.Mid", Escalation.Classifier), "hello there", null, Enum));
        Assert.Equal(0, small.Calls);
        Assert.Equal("hello there".Length, classifier.Seen!.InputCharacters);
        Assert.Equal("hello there", classifier.Seen.Messages[^1].Text);
    }

    [Theory]
    [InlineData(null, "small")]          // no choice: the plan's start tier
    [InlineData("nonsense", "small")]    // unknown tier: the plan's start tier
    [InlineData("frontier-thinking", "frontier")]   // above the chain: its last tier
    public async Task Classifier_choices_outside_the_chain_map_onto_it(string? choice, string expected)
    {
        var clients = new Dictionary<string, IChatClient>
        {
            ["small"] = FakeChatClient.Answering("Billing"),
            ["mid"] = FakeChatClient.Answering("Technical"),
            ["frontier"] = FakeChatClient.Answering("General"),
        };
        var ledger = new CostLedger();
        var router = Router(clients, ledger, new RoutingOptions { Classifier = new PickingClassifier(choice) });

        await router.RouteAsync(NamedPlan("Classifier.Map", Escalation.Classifier), "p", null, Enum);

        Assert.Equal(expected, Assert.Single(ledger.Snapshot().Entries).Tier);
    }

    [Fact]
    public async Task Classifier_start_still_escalates_as_a_cascade()
    {
        var router = Router(new Dictionary<string, IChatClient>
        {
            ["mid"] = FakeChatClient.Answering("Technical", confidence: 0.2),
            ["frontier"] = FakeChatClient.Answering("General"),
        }, options: new RoutingOptions { Classifier = new PickingClassifier("mid") });

        Assert.Equal(Category.General, await router.RouteAsync(NamedPlan("Classifier.Cascade", Escalation.Classifier), "p", null, Enum));
    }

    [Fact]
    public void Heuristic_starts_larger_inputs_higher_up_the_chain()
    {
        var plan = NamedPlan("Heuristic", Escalation.Classifier);   // Classification expects 400 input tokens
        var heuristic = HeuristicTierClassifier.Default;

        Assert.Equal("small", heuristic.Choose(plan, 400 * 4));
        Assert.Equal("mid", heuristic.Choose(plan, 1000 * 4));
        Assert.Equal("frontier", heuristic.Choose(plan, 5000 * 4));
        Assert.Equal("small", heuristic.Choose(NamedPlan("Heuristic.Short", Escalation.Classifier, TaskKind.Classification, "small"), 5000 * 4));
    }

    [Fact]
    public async Task Without_a_classifier_the_heuristic_decides()
    {
        var small = FakeChatClient.Answering("Billing");
        var mid = FakeChatClient.Answering("Technical");
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = small, ["mid"] = mid });

        Assert.Equal(Category.Technical, await router.RouteAsync(NamedPlan("Heuristic.Default", Escalation.Classifier), new string('x', 1000 * 4), null, Enum));
        Assert.Equal(Category.Billing, await router.RouteAsync(NamedPlan("Heuristic.Default", Escalation.Classifier), "short", null, Enum));
    }

    [Fact]
    public async Task A_classifier_registered_in_the_service_collection_is_used()
    {
        var services = new ServiceCollection();
        services.AddKeyedChatClient("small", FakeChatClient.Answering("Billing"));
        services.AddKeyedChatClient("frontier", FakeChatClient.Answering("General"));
        services.AddSingleton<ITierClassifier>(new PickingClassifier("frontier"));
        services.AddRoutingSdk();
        using var provider = services.BuildServiceProvider();

        Assert.Equal(Category.General, await provider.GetRequiredService<TaskRouter>().RouteAsync(NamedPlan("Classifier.DI", Escalation.Classifier), "p", null, Enum));
    }

    [Fact]
    public async Task Model_classifier_asks_the_small_tier_and_books_that_call()
    {
        var small = new FakeChatClient((messages, _, _) => Task.FromResult(messages[0].Text == ModelTierClassifier.Instructions
            ? FakeChatClient.Response("Hard.", usage: FakeChatClient.Usage(50, 1))
            : FakeChatClient.Response("Billing", usage: FakeChatClient.Usage(10, 1))));
        var frontier = FakeChatClient.Answering("General", usage: FakeChatClient.Usage(10, 1));
        var ledger = new CostLedger();
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = small, ["frontier"] = frontier }, ledger,
            new RoutingOptions { Classifier = new ModelTierClassifier() });

        Assert.Equal(Category.General, await router.RouteAsync(NamedPlan("Classifier.Model", Escalation.Classifier), "the contract says", null, Enum));

        var entries = ledger.Snapshot().Entries;
        var smallEntry = Assert.Single(entries, e => e.Tier == "small");
        Assert.Equal(1, smallEntry.Calls);
        Assert.Equal(50, smallEntry.InputTokens);
        Assert.Equal(0m, smallEntry.AllFrontierUsd);   // the classification is not an answer
        Assert.Equal(1, Assert.Single(entries, e => e.Tier == "frontier").Calls);
    }
}
