using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Tests;

/// <summary>A plan with calibrated acceptors: the router weighs each answer with the answers of the tiers already tried.</summary>
public class AcceptorRoutingTests
{
    private static readonly IAnswerParser<Category> Enum = AnswerParsers.Enum<Category>();

    /// <summary>Position 0 never accepts; position 1 accepts exactly when its answer agrees with position 0's.</summary>
    private static readonly Acceptor[] AgreementAcceptors =
    {
        new(-50, new double[] { 0, 0, 0 }, 0.5),
        new(-5, new double[] { 0, 0, 0, 10, 0, 0 }, 0.5),
    };

    private static RoutePlan Plan(params Acceptor[] acceptors) => new(Routing.TaskName, TaskKind.Classification, Complexity.Low, TierCatalog.BuiltIn,
        new[] { "small", "mid", "frontier" }.Take(acceptors.Length + 1).ToArray(), 0.85, 0.97, 0.1m, 6.75m, acceptors: acceptors);

    [Fact]
    public async Task An_answer_that_agrees_with_the_cheaper_tier_is_accepted_one_that_does_not_escalates()
    {
        // The start tier is sure (no confidence reported: score 1), but its acceptor never accepts: the plan's
        // acceptor decides, not the threshold, and the fast path does not short-circuit it.
        var frontier = FakeChatClient.Answering("General");
        var agreeing = Routing.Router(new Dictionary<string, IChatClient>
        {
            ["small"] = FakeChatClient.Answering("Billing"),
            ["mid"] = FakeChatClient.Answering(" billing.\n"),
            ["frontier"] = frontier,
        });
        Assert.Equal(Category.Billing, await agreeing.RouteAsync(Plan(AgreementAcceptors), "p", null, Enum));
        Assert.Equal(0, frontier.Calls);

        var disagreeing = Routing.Router(new Dictionary<string, IChatClient>
        {
            ["small"] = FakeChatClient.Answering("Billing"),
            ["mid"] = FakeChatClient.Answering("Technical"),
            ["frontier"] = frontier,
        });
        Assert.Equal(Category.General, await disagreeing.RouteAsync(Plan(AgreementAcceptors), "p", null, Enum));
        Assert.Equal(1, frontier.Calls);
    }

    [Fact]
    public async Task A_tier_that_failed_gives_later_tiers_nothing_to_agree_with()
    {
        var frontier = FakeChatClient.Answering("General");
        var router = Routing.Router(new Dictionary<string, IChatClient>
        {
            ["small"] = FakeChatClient.Throwing(() => new InvalidOperationException("down")),
            ["mid"] = FakeChatClient.Answering("Billing"),
            ["frontier"] = frontier,
        });

        Assert.Equal(Category.General, await router.RouteAsync(Plan(AgreementAcceptors), "p", null, Enum));
        Assert.Equal(1, frontier.Calls);
    }

    [Theory]
    [InlineData(0.7, Category.Billing)]   // 2.5 + 5·ln 0.7 = 0.72 > 0: p = 0.67, accepted
    [InlineData(0.5, Category.General)]   // 2.5 + 5·ln 0.5 = -0.97 < 0: p = 0.28, escalated
    public async Task The_tiers_score_enters_as_a_log_probability(double confidence, Category expected)
    {
        var router = Routing.Router(new Dictionary<string, IChatClient>
        {
            ["small"] = FakeChatClient.Answering("Billing", confidence),
            ["mid"] = FakeChatClient.Answering("General"),
        });

        Assert.Equal(expected, await router.RouteAsync(Plan(new Acceptor(2.5, new double[] { 5, 0, 0 }, 0.5)), "p", null, Enum));
    }

    [Theory]
    [InlineData(10, Category.Billing)]    // 9 − 3·ln 11 = 1.8 > 0: accepted
    [InlineData(100, Category.General)]   // 9 − 3·ln 101 = −4.8 < 0: escalated
    public async Task The_answers_length_comes_from_the_reported_output_tokens(long outputTokens, Category expected)
    {
        var router = Routing.Router(new Dictionary<string, IChatClient>
        {
            ["small"] = FakeChatClient.Answering("Billing", usage: FakeChatClient.Usage(40, outputTokens)),
            ["mid"] = FakeChatClient.Answering("General"),
        });

        Assert.Equal(expected, await router.RouteAsync(Plan(new Acceptor(9, new double[] { 0, 0, -3 }, 0.5)), "p", null, Enum));
    }

    [Theory]
    [InlineData(7, true)]       // 2 tokens at four characters a token: 9 − 3·ln 3 = 5.7 > 0, accepted
    [InlineData(200, false)]    // 50 tokens: 9 − 3·ln 51 = −2.8 < 0, escalated
    public async Task Without_usage_the_answers_length_is_estimated_from_its_characters(int characters, bool accepted)
    {
        // As TierTrial records tokens_out for such a tier, so that the acceptor reads what it was fitted on.
        var small = new string('s', characters);
        var router = Routing.Router(new Dictionary<string, IChatClient>
        {
            ["small"] = FakeChatClient.Answering(small),
            ["mid"] = FakeChatClient.Answering("mid"),
        });

        var answer = await router.RouteAsync(Plan(new Acceptor(9, new double[] { 0, 0, -3 }, 0.5)), "p", null, AnswerParsers.Text);
        Assert.Equal(accepted ? small : "mid", answer);
    }

    [Fact]
    public async Task A_rejection_by_the_acceptor_is_named_when_no_tier_delivers()
    {
        var router = Routing.Router(new Dictionary<string, IChatClient>
        {
            ["small"] = FakeChatClient.Answering("Billing", confidence: 0.5),
            ["mid"] = FakeChatClient.Throwing(() => new InvalidOperationException("down")),
        });

        var error = await Assert.ThrowsAsync<RoutingFailedException>(() => router.RouteAsync(Plan(new Acceptor(2.5, new double[] { 5, 0, 0 }, 0.5)), "p", null, Enum));
        var small = Assert.Single(error.Failures, f => f.Tier == "small");
        Assert.Equal("the acceptance model puts the answer's chance of being right at 0.276 (score 0.5), below its 0.5", small.Reason);
    }

    [Fact]
    public void A_plan_needs_one_acceptor_per_tier_but_the_last_each_with_the_weights_of_its_position()
    {
        var count = Assert.Throws<ArgumentException>(() => new RoutePlan(Routing.TaskName, TaskKind.Classification, Complexity.Low, TierCatalog.BuiltIn,
            new[] { "small", "mid", "frontier" }, 0.85, 0.97, 0.1m, 6.75m, acceptors: new[] { AgreementAcceptors[0] }));
        Assert.Contains("3 tiers but 1 acceptors", count.Message);

        var weights = Assert.Throws<ArgumentException>(() => new RoutePlan(Routing.TaskName, TaskKind.Classification, Complexity.Low, TierCatalog.BuiltIn,
            new[] { "small", "mid", "frontier" }, 0.85, 0.97, 0.1m, 6.75m, acceptors: new[] { AgreementAcceptors[0], AgreementAcceptors[0] }));
        Assert.Contains("at chain position 1 needs 6 weights", weights.Message);

        Assert.Null(Routing.Plan().Acceptors);
        Assert.Same(AgreementAcceptors, Plan(AgreementAcceptors).Acceptors);
    }
}
