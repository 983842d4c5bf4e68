using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using RoutingSdk.Calibration;
using RoutingSdk.Planning;
using RoutingSdk.Simulation;

namespace RoutingSdk.Calibration.Tests;

public class TierTrialTests
{
    private static readonly TierCatalog TwoTiers = new(new[]
    {
        new TierSpec("small", 0, 1m, 2m),
        new TierSpec("large", 1, 10m, 20m),
    });

    /// <summary>A client that answers a fixed text with fixed usage and confidence, or throws.</summary>
    private sealed class FixedClient(string? text, double? confidence = null, Exception? failure = null, bool usage = true) : IChatClient
    {
        public int Calls { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Calls++;
            cancellationToken.ThrowIfCancellationRequested();
            if (failure is not null) throw failure;
            var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, text)) { Usage = usage ? new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 500 } : null };
            if (confidence is not null) response.AdditionalProperties = new AdditionalPropertiesDictionary { ["confidence"] = confidence.Value };
            return Task.FromResult(response);
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task Every_case_runs_on_every_tier_with_exact_cost_and_grade()
    {
        var clients = new Dictionary<string, IChatClient> { ["small"] = new FixedClient("Billing.", 0.4), ["large"] = new FixedClient("technical", 0.9) };
        var trial = new TierTrial(TwoTiers, t => clients[t.Name]);
        var rows = await trial.RunAsync("Desk.Classify", TaskKind.Classification, Complexity.Low,
            new[] { new TrialCase("q1", "mail 1", "billing"), new TrialCase("q2", "mail 2", "technical") }, TrialGraders.ExactMatch);

        Assert.Equal(4, rows.Count);
        var small = rows.Where(r => r.Model == "small").ToArray();
        Assert.Equal(new[] { 1.0, 0.0 }, small.Select(r => r.Correct)); // "Billing." matches "billing"
        Assert.All(small, r => Assert.Equal((1000 * 1 + 500 * 2) / 1_000_000.0, r.CostUsd, 12));
        Assert.All(rows.Where(r => r.Model == "large"), r => Assert.Equal((1000 * 10 + 500 * 20) / 1_000_000.0, r.CostUsd, 12));
        Assert.Equal(0.4, small[0].Confidence);
        Assert.Equal(0, small[0].Tier);
        Assert.Equal(500, small[0].TokensOut);
    }

    [Fact]
    public async Task A_tier_without_usage_is_charged_an_estimate_not_nothing()
    {
        // 40 characters of prompt and 12 of answer: 10 and 3 tokens at four characters a token, as the router books them.
        var clients = new Dictionary<string, IChatClient> { ["small"] = new FixedClient("Billing, ok.", usage: false), ["large"] = new FixedClient("Billing", usage: false) };
        var rows = await new TierTrial(TwoTiers, t => clients[t.Name]).RunAsync("T", TaskKind.General, Complexity.Medium,
            new[] { new TrialCase("1", new string('p', 40), "billing") }, TrialGraders.ExactMatch);

        var small = rows.Single(r => r.Model == "small");
        Assert.Equal(10, small.TokensIn);
        Assert.Equal(3, small.TokensOut);
        Assert.Equal((10 * 1 + 3 * 2) / 1_000_000.0, small.CostUsd, 12);
        Assert.Equal((10 * 10 + 2 * 20) / 1_000_000.0, rows.Single(r => r.Model == "large").CostUsd, 12);
    }

    [Fact]
    public async Task Latency_is_each_calls_duration_on_the_trials_clock()
    {
        // The small tier's call takes 250 ms of the fake clock, the large tier's 40 ms.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var clients = new Dictionary<string, IChatClient>
        {
            ["small"] = new TimedClient(() => time.Advance(TimeSpan.FromMilliseconds(250))),
            ["large"] = new TimedClient(() => time.Advance(TimeSpan.FromMilliseconds(40))),
        };
        var rows = await new TierTrial(TwoTiers, t => clients[t.Name], time).RunAsync("T", TaskKind.General, Complexity.Medium,
            new[] { new TrialCase("1", "prompt", "billing") }, TrialGraders.ExactMatch);

        Assert.Equal((250.0, 40.0), (rows.Single(r => r.Model == "small").LatencyMs, rows.Single(r => r.Model == "large").LatencyMs));
    }

    /// <summary>A client that runs <paramref name="during"/> while it answers (to move a fake clock).</summary>
    private sealed class TimedClient(Action during) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            during();
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "billing")) { Usage = new UsageDetails { InputTokenCount = 1, OutputTokenCount = 1 } });
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task A_failing_tier_is_recorded_as_wrong_at_no_cost()
    {
        var clients = new Dictionary<string, IChatClient> { ["small"] = new FixedClient(null, failure: new InvalidOperationException("rate limited")), ["large"] = new FixedClient("x") };
        var rows = await new TierTrial(TwoTiers, t => clients[t.Name]).RunAsync("T", TaskKind.General, Complexity.Medium,
            new[] { new TrialCase("1", "p", "x") }, TrialGraders.ExactMatch);
        var failed = rows.Single(r => r.Model == "small");
        Assert.Equal(0, failed.Correct);
        Assert.Equal(0, failed.CostUsd);
        Assert.Contains("rate limited", failed.Answer);
        Assert.Equal(1, rows.Single(r => r.Model == "large").Correct);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_swallowed()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var client = new FixedClient("x");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new TierTrial(TwoTiers, _ => client).RunAsync("T", TaskKind.General, Complexity.Medium,
            new[] { new TrialCase("1", "p", "x") }, TrialGraders.ExactMatch, cancellationToken: cancel.Token));
    }

    [Fact]
    public async Task Graders_from_functions_and_judges()
    {
        var byLength = TrialGraders.From((c, answer) => answer.Length / 10.0);
        Assert.Equal(0.5, await byLength(new TrialCase("1", "p"), "12345", CancellationToken.None));
        Assert.Equal(1, await byLength(new TrialCase("1", "p"), new string('x', 50), CancellationToken.None)); // clamped

        var judge = TrialGraders.Judge(new FixedClient("Score: 0.75 — mostly right"));
        Assert.Equal(0.75, await judge(new TrialCase("1", "p", "ref"), "answer", CancellationToken.None));
        Assert.Equal(0, TrialGraders.ParseScore("no idea"));
        Assert.Equal(1, TrialGraders.ParseScore("7"));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await TrialGraders.ExactMatch(new TrialCase("1", "p"), "x", CancellationToken.None));
    }

    [Fact]
    public async Task Simulated_tiers_give_outcomes_the_calibrator_reads()
    {
        var book = new Func<SimulatedRequest, SimulatedAnswer>(r => new SimulatedAnswer("yes", "no"));
        var trial = new TierTrial(TierCatalog.BuiltIn, t => new SimulatedChatClient(t, book));
        var cases = Enumerable.Range(0, 30).Select(i => new TrialCase(i.ToString(System.Globalization.CultureInfo.InvariantCulture), $"question {i}", "yes")).ToArray();
        var rows = await trial.RunAsync("T", TaskKind.Classification, Complexity.Low, cases, TrialGraders.ExactMatch);

        var task = Assert.Single(TaskOutcomes.Group(rows));
        Assert.Equal(4, task.Models.Count);
        Assert.True(task.HasConfidence);
        var plan = Calibrator.CalibrateTask(task);
        Assert.NotEmpty(plan.Chain);
    }
}
