using Microsoft.Extensions.DependencyInjection;
using RoutingSdk.Simulation;

namespace RoutingSdk.Tests;

public class SimulatedChatClientTests
{
    private const int Prompts = 5_000;

    private static SimulatedAnswer Book(SimulatedRequest request) => new("Billing", "Technical");

    private static ChatOptions Options(TaskKind kind, Complexity complexity) => new()
    {
        AdditionalProperties = new AdditionalPropertiesDictionary
        {
            [TaskRouter.TaskNameProperty] = "Sim.RunAsync",
            [TaskRouter.KindProperty] = kind.ToString(),
            [TaskRouter.ComplexityProperty] = complexity.ToString(),
        },
    };

    private static TierSpec Tier(string name) => TierCatalog.BuiltIn.Find(name)!;

    private static async Task<List<ChatResponse>> Ask(IChatClient client, TaskKind kind, Complexity complexity, int count = Prompts)
    {
        var responses = new List<ChatResponse>(count);
        for (var i = 0; i < count; i++)
            responses.Add(await client.GetResponseAsync(new[] { new ChatMessage(ChatRole.User, $"Ticket #{i}: my invoice is wrong") }, Options(kind, complexity)));
        return responses;
    }

    private static double Confidence(ChatResponse response) => (double)response.AdditionalProperties![TaskRouter.ConfidenceProperty]!;

    [Theory]
    [InlineData(TaskKind.Classification, Complexity.Low, "small")]
    [InlineData(TaskKind.Extraction, Complexity.Medium, "small")]
    [InlineData(TaskKind.Extraction, Complexity.Medium, "mid")]
    [InlineData(TaskKind.Analysis, Complexity.High, "small")]
    [InlineData(TaskKind.Analysis, Complexity.High, "frontier")]
    [InlineData(TaskKind.Analysis, Complexity.High, "frontier-thinking")]
    public async Task Measured_accuracy_matches_the_capability_model(TaskKind kind, Complexity complexity, string tier)
    {
        var responses = await Ask(new SimulatedChatClient(Tier(tier), Book), kind, complexity);

        var accuracy = responses.Count(r => r.Text == "Billing") / (double)Prompts;
        Assert.Equal(CapabilityModel.ExpectedQuality(kind, complexity, Tier(tier)), accuracy, 0.03);
    }

    [Fact]
    public async Task Wrong_answers_are_caught_at_the_planner_detection_rate()
    {
        var responses = await Ask(new SimulatedChatClient(Tier("small"), Book), TaskKind.Analysis, Complexity.High);

        var wrong = responses.Where(r => r.Text == "Technical").ToList();
        var caught = wrong.Count(r => Confidence(r) < 0.5) / (double)wrong.Count;
        Assert.Equal(Planner.DetectionRate, caught, 0.03);
        Assert.All(responses.Where(r => r.Text == "Billing"), r => Assert.InRange(Confidence(r), 0.95, 1.0));
        Assert.All(wrong, r => Assert.True(Confidence(r) is >= 0.1 and <= 0.5 or >= 0.95 and <= 1.0));
    }

    [Fact]
    public async Task Same_seed_gives_the_same_answers_and_another_seed_other_ones()
    {
        var a = await Ask(new SimulatedChatClient(Tier("small"), Book, seed: 7), TaskKind.Analysis, Complexity.High, 500);
        var b = await Ask(new SimulatedChatClient(Tier("small"), Book, seed: 7), TaskKind.Analysis, Complexity.High, 500);
        var c = await Ask(new SimulatedChatClient(Tier("small"), Book, seed: 8), TaskKind.Analysis, Complexity.High, 500);

        Assert.Equal(a.Select(r => (r.Text, Confidence(r))), b.Select(r => (r.Text, Confidence(r))));
        Assert.NotEqual(a.Select(r => r.Text), c.Select(r => r.Text));
    }

    [Fact]
    public async Task Answers_do_not_depend_on_string_hash_randomisation()
    {
        // A pinned expectation: the same prompt, tier and seed answer the same way in every process and on every machine.
        var responses = await Ask(new SimulatedChatClient(Tier("small"), Book, seed: 42), TaskKind.Analysis, Complexity.High, 20);

        Assert.Equal(Pinned, string.Concat(responses.Select(r => r.Text == "Billing" ? 'R' : Confidence(r) < 0.5 ? 'c' : 'w')));
    }

    private const string Pinned = "wRwcRcwRwcRRccccccRw";

    [Fact]
    public async Task Usage_is_a_quarter_of_the_characters()
    {
        var client = new SimulatedChatClient(Tier("mid"), _ => new SimulatedAnswer("Billing", "Technical"));
        var messages = new[] { new ChatMessage(ChatRole.System, "Answer with one label."), new ChatMessage(ChatRole.User, "Classify: refund") };

        var response = await client.GetResponseAsync(messages, Options(TaskKind.Classification, Complexity.Low));

        // 22 + 16 characters in, 7 or 9 characters out; four characters a token, rounded up.
        Assert.Equal(10, response.Usage!.InputTokenCount);
        Assert.Equal((response.Text.Length + 3) / 4, response.Usage.OutputTokenCount);
        Assert.Null(response.Usage.ReasoningTokenCount);
        Assert.Equal(response.Usage.InputTokenCount + response.Usage.OutputTokenCount, response.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task Output_tokens_are_at_least_one()
    {
        var client = new SimulatedChatClient(Tier("small"), _ => new SimulatedAnswer("", ""));

        var response = await client.GetResponseAsync(new[] { new ChatMessage(ChatRole.User, "x") });

        Assert.Equal(1, response.Usage!.OutputTokenCount);
    }

    [Fact]
    public async Task Thinking_tier_reports_the_kind_reasoning_tokens_inside_the_output()
    {
        var client = new SimulatedChatClient(Tier("frontier-thinking"), Book);

        var response = (await Ask(client, TaskKind.Analysis, Complexity.High, 1))[0];

        var reasoning = TokenProfile.For(TaskKind.Analysis).ReasoningTokens;
        Assert.Equal(reasoning, response.Usage!.ReasoningTokenCount);
        Assert.Equal(reasoning + (response.Text.Length + 3) / 4, response.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task Answer_book_sees_the_task_kind_complexity_prompt_and_instructions()
    {
        SimulatedRequest? seen = null;
        var client = new SimulatedChatClient(Tier("small"), r => { seen = r; return new SimulatedAnswer("a", "b"); });

        await client.GetResponseAsync(new[] { new ChatMessage(ChatRole.System, "be brief"), new ChatMessage(ChatRole.User, "hello") }, Options(TaskKind.Translation, Complexity.High));

        Assert.Equal(("Sim.RunAsync", TaskKind.Translation, Complexity.High, "hello", "be brief", "small"),
            (seen!.TaskName, seen.Kind, seen.Complexity, seen.Prompt, seen.Instructions, seen.Tier.Name));
    }

    [Fact]
    public async Task Streaming_gives_the_same_answer_and_usage()
    {
        var client = new SimulatedChatClient(Tier("mid"), Book, seed: 3);
        var messages = new[] { new ChatMessage(ChatRole.User, "Ticket #1") };

        var whole = await client.GetResponseAsync(messages, Options(TaskKind.Extraction, Complexity.Medium));
        var streamed = await client.GetStreamingResponseAsync(messages, Options(TaskKind.Extraction, Complexity.Medium)).ToChatResponseAsync();

        Assert.Equal(whole.Text, streamed.Text);
        Assert.Equal(whole.Usage!.TotalTokenCount, streamed.Usage!.TotalTokenCount);
    }

    [Fact]
    public void Metadata_says_it_is_a_simulation()
    {
        var client = new SimulatedChatClient(Tier("mid"), Book);

        var metadata = client.GetService<ChatClientMetadata>()!;
        Assert.Equal(SimulatedChatClient.ProviderName, metadata.ProviderName);
        Assert.Equal("simulated-mid", metadata.DefaultModelId);
    }

    [Fact]
    public async Task Routed_quality_over_simulated_tiers_matches_the_planner_projection()
    {
        var spec = new TaskSpec("Sim.ReviewAsync", "ReviewAsync", TaskKind.Summarization, Complexity.High) { QualityThreshold = 0.8 };
        var taskPlan = Planner.Plan(spec, TierCatalog.BuiltIn);
        var plan = new RoutePlan(taskPlan.TaskName, spec.Kind, spec.Complexity, TierCatalog.BuiltIn, taskPlan.Chain, taskPlan.QualityThreshold,
            taskPlan.ProjectedQuality, taskPlan.ProjectedUsdPerThousandCalls, taskPlan.AllFrontierUsdPerThousandCalls);
        var services = new ServiceCollection().AddSimulatedChatClients(TierCatalog.BuiltIn, Book, seed: 1).AddRoutingSdk();
        using var provider = services.BuildServiceProvider();
        var router = provider.GetRequiredService<TaskRouter>();

        var right = 0;
        for (var i = 0; i < Prompts; i++)
        {
            if (await router.RouteAsync(plan, $"Document #{i}", null, AnswerParsers.Enum<Category>()) == Category.Billing) right++;
        }

        Assert.True(taskPlan.Chain.Count > 1, "the test needs a chain that escalates");
        Assert.Equal(taskPlan.ProjectedQuality, right / (double)Prompts, 0.03);
        var entries = provider.GetRequiredService<ICostLedger>().Snapshot().Entries;
        Assert.Equal(Prompts, entries[0].Calls);
        Assert.True(entries[0].Escalations > 0);
        Assert.All(entries, e => Assert.Equal(0, e.EstimatedCalls));
    }

    [Fact]
    public void AddSimulatedChatClients_registers_one_keyed_client_per_tier()
    {
        using var provider = new ServiceCollection().AddSimulatedChatClients(TierCatalog.BuiltIn, Book).BuildServiceProvider();

        foreach (var tier in TierCatalog.BuiltIn.Tiers)
        {
            var client = provider.GetRequiredKeyedService<IChatClient>(tier.Name);
            Assert.Equal(tier, Assert.IsType<SimulatedChatClient>(client.GetService<SimulatedChatClient>()).Tier);
        }
    }
}
