using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using RoutingSdk.Calibration;
using RoutingSdk.Planning;

namespace RoutingSdk.Calibration.Tests;

/// <summary>The router's outcome file of shadowed calls, read back by the calibrator's own reader.</summary>
public class ShadowOutcomesTests
{
    private const string TaskName = "Desk.ClassifyAsync";

    private sealed class Tier : IChatClient
    {
        private readonly Func<string, string> _answer;

        public Tier(Func<string, string> answer) => _answer = answer;

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, System.Threading.CancellationToken cancellationToken = default)
        {
            var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, _answer(messages.Last().Text)))
            {
                Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 2 },
                AdditionalProperties = new AdditionalPropertiesDictionary { [TaskRouter.ConfidenceProperty] = 0.9 },
            };
            return Task.FromResult(response);
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, System.Threading.CancellationToken cancellationToken = default)
            => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private static async Task<string> Route(bool recordContent)
    {
        var outcomes = new StringWriter();
        var options = new RoutingOptions { RecordContent = recordContent, Shadow = new ShadowOptions { Rate = 1, MaxShareOfCost = 1, Outcomes = outcomes } };
        var clients = new Dictionary<string, IChatClient>
        {
            ["small"] = new Tier(prompt => prompt.Contains("refund") ? "Technical" : "Billing"),
            ["frontier"] = new Tier(_ => "Billing"),
        };
        var router = new TaskRouter(tier => clients.GetValueOrDefault(tier), new CostLedger(), options);
        var plan = new RoutePlan(TaskName, TaskKind.Classification, Complexity.Low, TierCatalog.BuiltIn, new[] { "small", "frontier" }, 0.85, 0.97, 0.1m, 6.75m);
        var calls = 0;
        foreach (var prompt in new[] { "my invoice", "a refund", "my invoice" })
        {
            await router.RouteAsync(plan, prompt, null, AnswerParsers.Enum<Category>());
            calls++;
            // The shadow call runs in the background: its two rows (after the header) come when it has answered.
            for (var i = 0; i < 500 && Lines(outcomes) < 1 + 2 * calls; i++) await Task.Delay(10);
        }

        return outcomes.ToString();
    }

    private static int Lines(StringWriter writer)
    {
        lock (writer) return writer.ToString().Count(c => c == '\n');
    }

    private enum Category
    {
        Billing,
        Technical,
    }

    [Fact]
    public async Task The_calibrator_reads_the_shadowed_calls_with_agreement_as_correct()
    {
        var text = await Route(recordContent: false);

        var data = Assert.Single(TaskOutcomes.Group(OutcomeCsv.Parse(text)));
        Assert.Equal(TaskName, data.Task);
        Assert.Equal(new[] { "small", "frontier" }, data.Models);
        Assert.Equal(3, data.Queries.Count);
        Assert.Equal(new[] { 1.0, 0.0, 1.0 }, data.Correct.Select(row => row[0]));
        Assert.All(data.Correct, row => Assert.Equal(1.0, row[1]));
        Assert.Equal((double)TierCatalog.BuiltIn.Find("small")!.Cost(100, 2), data.Cost[0][0], 12);
        Assert.DoesNotContain("invoice", text);
        Assert.DoesNotContain("Billing", text);
        Assert.All(data.Queries, q => Assert.True(RoutingSdk.Planning.Calibration.OutcomeQueries.IsShadowed(q), q));
        // The same request has the same key, before the call's number.
        Assert.Equal(data.Queries[0].Split('#')[0], data.Queries[2].Split('#')[0]);
        Assert.NotEqual(data.Queries[0].Split('#')[0], data.Queries[1].Split('#')[0]);
    }

    [Fact]
    public async Task With_content_recording_the_file_holds_the_query_and_the_answers()
    {
        var text = await Route(recordContent: true);

        var rows = OutcomeCsv.Parse(text);
        Assert.Contains(rows, r => r.Query.Contains("a refund") && r.Model == "small" && r.Answer == "technical" && r.Correct == 0);
    }
}
