using static RoutingSdk.Tests.Routing;

namespace RoutingSdk.Tests;

/// <summary>Cascade by confidence: the scorers, the validator, self-reported confidence and log-probabilities.</summary>
public class ScoringTests
{
    private static readonly IAnswerParser<Category> Enum = AnswerParsers.Enum<Category>();

    private sealed class FixedScorer(double? score) : IAnswerScorer
    {
        public int Calls;

        public double? Score(in AnswerScoringContext context)
        {
            Interlocked.Increment(ref Calls);
            return score;
        }
    }

    [Fact]
    public async Task The_lowest_opinion_of_the_scorers_decides()
    {
        var options = new RoutingOptions();
        options.Scorers.Add(new FixedScorer(0.95));
        options.Scorers.Add(new FixedScorer(0.5));
        options.Scorers.Add(new FixedScorer(null));   // no opinion: ignored
        var router = Router(new Dictionary<string, IChatClient>
        {
            ["small"] = FakeChatClient.Answering("Billing", confidence: 0.99),
            ["mid"] = FakeChatClient.Answering("Technical", confidence: 0.99),
            ["frontier"] = FakeChatClient.Answering("General"),
        }, options: options);

        // 0.5 is below 0.85 on small and mid; the frontier is the last tier and accepts what parses.
        Assert.Equal(Category.General, await router.RouteAsync(Plan(), "p", null, Enum));
    }

    [Fact]
    public async Task Without_any_opinion_a_parsed_answer_scores_one()
    {
        var options = new RoutingOptions();
        options.Scorers.Clear();
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = FakeChatClient.Answering("Billing", confidence: 0.1) }, options: options);

        Assert.Equal(Category.Billing, await router.RouteAsync(Plan(), "p", null, Enum));
    }

    [Fact]
    public async Task Scorers_are_not_asked_about_answers_that_do_not_parse()
    {
        var scorer = new FixedScorer(1);
        var options = new RoutingOptions();
        options.Scorers.Add(scorer);
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = FakeChatClient.Answering("no idea"), ["mid"] = FakeChatClient.Answering("Billing") }, options: options);

        Assert.Equal(Category.Billing, await router.RouteAsync(Plan(), "p", null, Enum));
        Assert.Equal(1, scorer.Calls);
    }

    [Fact]
    public async Task A_validator_that_says_no_escalates_and_its_score_counts_as_an_opinion()
    {
        var seen = new List<Category>();
        var router = Router(new Dictionary<string, IChatClient>
        {
            ["small"] = FakeChatClient.Answering("Billing"),
            ["mid"] = FakeChatClient.Answering("Technical"),
        });

        var result = await router.RouteAsync(Plan(), "p", null, Enum, c => { seen.Add(c); return c == Category.Billing ? 0.0 : 1.0; }, CancellationToken.None);

        Assert.Equal(Category.Technical, result);
        Assert.Equal(new[] { Category.Billing, Category.Technical }, seen);
    }

    [Fact]
    public async Task A_validator_score_below_the_reported_confidence_wins()
    {
        var router = Router(new Dictionary<string, IChatClient>
        {
            ["small"] = FakeChatClient.Answering("Billing", confidence: 0.99),
            ["mid"] = FakeChatClient.Answering("Technical", confidence: 0.99),
        });

        Assert.Equal(Category.Technical, await router.RouteAsync(Plan(), "p", null, Enum, c => c == Category.Billing ? 0.6 : 0.9, CancellationToken.None));
    }

    [Fact]
    public async Task A_validator_that_throws_rejects_the_answer_even_on_the_last_tier()
    {
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = FakeChatClient.Answering("Billing"), ["mid"] = FakeChatClient.Answering("Technical") });
        Func<Category, double> validator = c => c == Category.Billing ? throw new InvalidOperationException("bad") : 1.0;

        Assert.Equal(Category.Technical, await router.RouteAsync(Plan(chain: ["small", "mid"]), "p", null, Enum, validator, CancellationToken.None));
        var ex = await Assert.ThrowsAsync<RoutingFailedException>(() => router.RouteAsync(Plan(chain: ["small"]), "p", null, Enum, validator, CancellationToken.None));
        Assert.Contains("'small': the answer's validator or a scorer threw an exception", ex.Message);
    }

    [Fact]
    public async Task Asking_for_confidence_adds_the_instruction_and_reads_the_last_line()
    {
        var small = FakeChatClient.Answering("Billing\nConfidence: 0.4");
        var mid = FakeChatClient.Answering("Technical\n**Confidence:** 92%");
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = small, ["mid"] = mid }, options: new RoutingOptions { AskForConfidence = true });

        var result = await router.RouteAsync(Plan(), "Classify: it crashes", "You sort tickets.", Enum);

        Assert.Equal(Category.Technical, result);
        var system = Assert.Single(small.LastMessages!, m => m.Role == ChatRole.System);
        Assert.StartsWith("You sort tickets.", system.Text);
        Assert.EndsWith(SelfReportedConfidence.Instruction, system.Text);
    }

    [Fact]
    public async Task Asking_for_confidence_with_caller_built_messages_puts_the_instruction_first()
    {
        var small = FakeChatClient.Answering("Billing\nConfidence: 0.9");
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = small }, options: new RoutingOptions { AskForConfidence = true });
        var messages = new[] { new ChatMessage(ChatRole.User, "Classify: refund") };

        Assert.Equal(Category.Billing, await router.RouteValueAsync(Plan(), messages, Enum, null, CancellationToken.None));
        Assert.Equal(new[] { ChatRole.System, ChatRole.User }, small.LastMessages!.Select(m => m.Role));
        Assert.Equal(SelfReportedConfidence.Instruction, small.LastMessages![0].Text);
    }

    [Fact]
    public async Task Calls_with_different_instructions_each_get_their_own_system_message()
    {
        var seen = new System.Collections.Concurrent.ConcurrentBag<(string Instructions, string Prompt)>();
        var small = new FakeChatClient((messages, _, _) =>
        {
            seen.Add((messages[0].Text, messages[1].Text));
            return Task.FromResult(FakeChatClient.Response("Billing"));
        });
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = small });
        var plan = Plan();

        await Parallel.ForEachAsync(Enumerable.Range(0, 2000), async (i, _) => await router.RouteAsync(plan, "prompt " + (i % 2), "instructions " + (i % 2), Enum));

        Assert.All(seen, s => Assert.Equal(s.Instructions[^1], s.Prompt[^1]));
    }

    [Theory]
    [InlineData("Billing\nConfidence: 0.8", "Billing", 0.8)]
    [InlineData("Billing\n\nconfidence = 75%.", "Billing", 0.75)]
    [InlineData("Billing\nConfidence: 7", "Billing", 1.0)]
    [InlineData("Billing", "Billing", null)]
    [InlineData("Billing\nConfidence: high", "Billing\nConfidence: high", null)]
    public void Self_reported_confidence_is_split_off_the_last_line(string text, string answer, double? confidence)
    {
        Assert.Equal(answer, SelfReportedConfidence.Split(text, out var read));
        Assert.Equal(confidence, read);
    }

    [Fact]
    public async Task Log_probabilities_score_the_geometric_mean_token_probability_with_the_default_scorers()
    {
        static FakeChatClient WithLogProbs(string text, params double[] logprobs) => new((_, _, _) =>
        {
            var response = FakeChatClient.Response(text);
            response.AdditionalProperties = new AdditionalPropertiesDictionary { [AnswerScorers.LogProbabilitiesProperty] = logprobs };
            return Task.FromResult(response);
        });

        // No scorer configured: the default scorers read the "logprobs" property.
        var router = Router(new Dictionary<string, IChatClient>
        {
            ["small"] = WithLogProbs("Billing", Math.Log(0.9), Math.Log(0.5)),    // exp(mean) = sqrt(0.45) = 0.67
            ["mid"] = WithLogProbs("Technical", Math.Log(0.95), Math.Log(0.9)),   // 0.92
        });

        Assert.Equal(Category.Technical, await router.RouteAsync(Plan(), "p", null, Enum));
    }

    [Fact]
    public void Log_probabilities_are_read_from_json_and_from_a_custom_extractor()
    {
        var plan = Plan();
        var response = FakeChatClient.Response("x");
        response.AdditionalProperties = new AdditionalPropertiesDictionary
        {
            [AnswerScorers.LogProbabilitiesProperty] = System.Text.Json.JsonDocument.Parse("[{\"token\":\"x\",\"logprob\":-0.5},{\"token\":\"y\",\"logprob\":-1.5}]").RootElement,
        };
        var context = new AnswerScoringContext(plan, plan.Tiers[0], 0, response, "x", null);

        Assert.Equal(Math.Exp(-1.0), AnswerScorers.LogProbabilities().Score(in context)!.Value, 10);
        Assert.Equal(Math.Exp(-0.25), AnswerScorers.LogProbabilities(_ => new[] { -0.25 }).Score(in context)!.Value, 10);
        Assert.Null(AnswerScorers.LogProbabilities(_ => null).Score(in context));
    }

    [Fact]
    public async Task Low_confidence_answer_then_every_later_tier_failing_throws_and_never_returns_the_low_answer()
    {
        // The policy: an answer below its tier's threshold is never returned, even when nothing better comes.
        var router = Router(new Dictionary<string, IChatClient>
        {
            ["small"] = FakeChatClient.Answering("Billing", confidence: 0.3),
            ["mid"] = FakeChatClient.Throwing(() => new System.Net.Http.HttpRequestException("503")),
            ["frontier"] = FakeChatClient.Throwing(() => new TimeoutException("slow")),
        });

        var ex = await Assert.ThrowsAsync<RoutingFailedException>(() => router.RouteAsync(Plan(), "p", null, Enum));

        Assert.Equal(new[] { "small", "mid", "frontier" }, ex.Failures.Select(f => f.Tier));
        Assert.Contains("confidence 0.3 is below the acceptance threshold 0.85", ex.Failures[0].Reason);
    }
}
