using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using RoutingSdk.Calibration;
using RoutingSdk.Planning;

namespace RoutingSdk.Calibration.Tests;

/// <summary>
/// <see cref="ShadowOptions.CalibrationRate"/>: calls sent again to every tier of the chain and written as outcomes, a
/// sample of all the traffic that <c>routing calibrate</c> fits on.
/// </summary>
public class CalibrationSampleTests
{
    private const string TaskName = "Desk.ClassifyAsync";

    /// <summary>A tier that answers and scores each prompt as told, and counts its calls.</summary>
    private sealed class Tier : IChatClient
    {
        private readonly Func<string, (string Answer, double Confidence)> _answer;
        private int _calls;

        public Tier(Func<string, (string Answer, double Confidence)> answer) => _answer = answer;

        public int Calls => Volatile.Read(ref _calls);

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            var (answer, confidence) = _answer(messages.Last().Text);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer))
            {
                Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 2 },
                AdditionalProperties = new AdditionalPropertiesDictionary { [TaskRouter.ConfidenceProperty] = confidence },
            });
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private enum Category
    {
        Billing,
        Technical,
    }

    /// <summary>
    /// The small tier is sure and right on "easy" requests and unsure and wrong on "hard" ones; the frontier says
    /// Billing to everything. At threshold 0.85 the router accepts small's easy answers and escalates the hard ones.
    /// </summary>
    private static Dictionary<string, Tier> Tiers() => new()
    {
        ["small"] = new Tier(prompt => prompt.Contains("hard") ? ("Technical", 0.3) : ("Billing", 0.9)),
        ["mid"] = new Tier(prompt => prompt.Contains("hard") ? ("Billing", 0.6) : ("Billing", 0.95)),
        ["frontier"] = new Tier(_ => ("Billing", 0.99)),
    };

    private static RoutePlan Plan(params string[] chain) => new(TaskName, TaskKind.Classification, Complexity.Low, TierCatalog.BuiltIn, chain, 0.85, 0.97, 0.1m, 6.75m);

    /// <summary>
    /// Routes 60 easy and 40 hard requests (interleaved) and returns the outcome file once it has
    /// <paramref name="lines"/> lines (the header and the rows the background calls write).
    /// </summary>
    private static async Task<(string Outcomes, TaskRouter Router)> Route(RoutePlan plan, Dictionary<string, Tier> tiers, ShadowOptions shadow, int lines)
    {
        var outcomes = new StringWriter();
        shadow.Outcomes = outcomes;
        var router = new TaskRouter(tier => tiers.GetValueOrDefault(tier), new CostLedger(), new RoutingOptions { Shadow = shadow });
        for (var q = 0; q < 100; q++)
        {
            await router.RouteAsync(plan, (q % 5 < 3 ? "easy " : "hard ") + q, null, AnswerParsers.Enum<Category>());
        }

        for (var i = 0; i < 1000 && Text(outcomes).Count(c => c == '\n') < lines; i++) await Task.Delay(10);
        await Task.Delay(50);   // anything written beyond the lines expected shows up in the assertions
        return (Text(outcomes), router);
    }

    private static string Text(StringWriter writer)
    {
        lock (writer) return writer.ToString();
    }

    /// <summary>What <c>routing calibrate</c> writes to stderr for an outcome file of <paramref name="text"/>.</summary>
    private static string CalibrateWarnings(string text)
    {
        var dir = Directory.CreateTempSubdirectory("routing-sample-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "outcomes.csv"), text);
            var result = CliRunner.Run("calibrate", "--outcomes", Path.Combine(dir, "outcomes.csv"), "--confidence", "0", "--out", Path.Combine(dir, "c.json"));
            Assert.True(result.Code == 0, result.Err);
            return result.Err;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_sampled_call_is_written_with_every_tier_of_its_chain_whichever_tier_answered_it()
    {
        var tiers = Tiers();
        var (text, router) = await Route(Plan("small", "mid", "frontier"), tiers, new ShadowOptions { Rate = 1, CalibrationRate = 0.5, MaxShareOfCost = 1, MaxCalibrationShareOfCost = 1 }, lines: 1 + 50 * 3);

        var data = Assert.Single(TaskOutcomes.Group(OutcomeCsv.Parse(text)));
        Assert.Equal(new[] { "small", "mid", "frontier" }, data.Models);
        // Every other call, easy (answered by small) and hard (answered by the frontier) alike: 50 queries, each with all three tiers.
        Assert.Equal(50, data.Queries.Count);
        Assert.Equal(50 * 3 + 1, text.Count(c => c == '\n'));
        var smallAgreement = data.Correct.Average(row => row[0]);
        Assert.Equal(0.6, smallAgreement, 3);              // small agrees with frontier on the easy three fifths only
        Assert.All(data.Correct, row => Assert.Equal(1.0, row[1]));   // mid says Billing, as frontier does
        Assert.All(data.Correct, row => Assert.Equal(1.0, row[2]));
        Assert.All(data.Cost, row => Assert.Equal((double)TierCatalog.BuiltIn.Find("mid")!.Cost(100, 2), row[1], 12));
        // Each sample called all three tiers, booked as samples within the shadow spend (with the 60 shadow calls, which run
        // in the background too: waited for by their bookings).
        for (var i = 0; i < 500 && router.Ledger.Snapshot().Entries.Sum(e => e.ShadowCalls) < 60 + 50 * 3; i++) await Task.Delay(10);
        var snapshot = router.Ledger.Snapshot();
        var sampleCost = 50 * new[] { "small", "mid", "frontier" }.Sum(t => TierCatalog.BuiltIn.Find(t)!.Cost(100, 2));
        Assert.Equal(sampleCost, snapshot.SampleUsd);
        Assert.Equal(sampleCost + 60 * TierCatalog.BuiltIn.Find("frontier")!.Cost(100, 2), snapshot.ShadowUsd);
        // The frontier answered the 40 hard requests, the 60 shadow calls of small's answers and the 50 samples.
        Assert.Equal(40 + 60 + 50, tiers["frontier"].Calls);
    }

    [Fact]
    public async Task Calibrated_on_the_shadowed_calls_a_plan_trusts_the_cheap_tier_everywhere_and_on_the_sample_it_does_not()
    {
        // The shadowed calls are the easy requests small answered: on them small always agrees with the frontier.
        var (shadowed, _) = await Route(Plan("small", "frontier"), Tiers(), new ShadowOptions { Rate = 1, MaxShareOfCost = 1 }, lines: 1 + 60 * 2);
        var (sampled, _) = await Route(Plan("small", "frontier"), Tiers(), new ShadowOptions { Rate = 1, CalibrationRate = 1, MaxShareOfCost = 1, MaxCalibrationShareOfCost = 1 }, lines: 1 + 100 * 2);

        // routing calibrate warns about the file of shadowed calls, not about the sample.
        var warned = CalibrateWarnings(shadowed);
        Assert.Contains($"the outcomes of task '{TaskName}' are shadowed calls only", warned);
        Assert.Contains("ShadowOptions.CalibrationRate", warned);
        Assert.DoesNotContain("shadowed calls only", CalibrateWarnings(sampled));

        var shadowedData = Assert.Single(TaskOutcomes.Group(OutcomeCsv.Parse(shadowed)));
        var sampleData = Assert.Single(TaskOutcomes.Group(OutcomeCsv.Parse(sampled)));
        Assert.Equal(60, shadowedData.Queries.Count);
        Assert.Equal(1.0, shadowedData.Quality(0));   // small looks as good as the frontier
        Assert.Equal(100, sampleData.Queries.Count);
        Assert.Equal(0.6, sampleData.Quality(0), 6);  // as it is on the traffic

        // Without a bound (60 queries of no disagreement bound nothing at 90 %), the plans follow the point estimates.
        var options = new CalibratorOptions { Confidence = null };
        var fromShadowed = Calibrator.CalibrateTask(shadowedData, options);
        var fromSample = Calibrator.CalibrateTask(sampleData, options);
        Assert.Equal(new[] { "small" }, fromShadowed.Chain);                // would answer the hard requests wrong
        Assert.Equal(new[] { "small", "frontier" }, fromSample.Chain);     // escalates them, as the traffic needs
        var threshold = Assert.Single(fromSample.Thresholds);
        Assert.InRange(threshold, 0.3 + 1e-9, 0.9);
    }

    [Fact]
    public async Task With_no_shadow_calls_the_samples_are_recorded_alone()
    {
        var tiers = Tiers();
        var (text, _) = await Route(Plan("small", "frontier"), tiers, new ShadowOptions { Rate = 0, CalibrationRate = 0.1, MaxShareOfCost = 1, MaxCalibrationShareOfCost = 1 }, lines: 1 + 10 * 2);

        Assert.Equal(10, Assert.Single(TaskOutcomes.Group(OutcomeCsv.Parse(text))).Queries.Count);
        Assert.Equal(40 + 10, tiers["frontier"].Calls);   // the hard requests and the samples: no shadow call
    }

    [Fact]
    public async Task A_chain_of_one_tier_is_not_sampled()
    {
        var tiers = Tiers();
        var outcomes = new StringWriter();
        var options = new RoutingOptions { Shadow = new ShadowOptions { Rate = 1, CalibrationRate = 1, MaxShareOfCost = 1, MaxCalibrationShareOfCost = 1, Outcomes = outcomes } };
        var router = new TaskRouter(tier => tiers.GetValueOrDefault(tier), new CostLedger(), options);
        for (var q = 0; q < 5; q++) await router.RouteAsync(Plan("frontier"), "easy " + q, null, AnswerParsers.Enum<Category>());
        await Task.Delay(50);

        Assert.Equal(5, tiers["frontier"].Calls);
        Assert.Equal(string.Empty, Text(outcomes));
    }

    [Fact]
    public async Task A_sample_the_spending_cap_cannot_pay_for_is_not_made()
    {
        var tiers = Tiers();
        var outcomes = new StringWriter();
        var options = new RoutingOptions { Shadow = new ShadowOptions { Rate = 1, CalibrationRate = 1, MaxShareOfCost = 1, MaxCalibrationShareOfCost = 0, Outcomes = outcomes } };
        var router = new TaskRouter(tier => tiers.GetValueOrDefault(tier), new CostLedger(), options);
        for (var q = 0; q < 10; q++) await router.RouteAsync(Plan("small", "frontier"), "easy " + q, null, AnswerParsers.Enum<Category>());

        Assert.Equal(string.Empty, outcomes.ToString());   // a cap of 0: no sample at all
        // The shadow calls have their own cap: every easy answer of small was shadowed on the frontier all the same.
        for (var i = 0; i < 500 && router.Ledger.Snapshot().Entries.Sum(e => e.ShadowCalls) < 10; i++) await Task.Delay(10);
        Assert.Equal(10, tiers["frontier"].Calls);
        Assert.Equal(10 * TierCatalog.BuiltIn.Find("frontier")!.Cost(100, 2), router.Ledger.Snapshot().ShadowUsd);
    }

    /// <summary>An outcome file opened for appending, as <c>File.AppendText</c> opens it, that says when the router flushed its rows.</summary>
    private sealed class AppendingWriter(string path) : StreamWriter(path, append: true)
    {
        public SemaphoreSlim Flushed { get; } = new(0);

        public override void Flush()
        {
            base.Flush();
            Flushed.Release();
        }
    }

    [Fact]
    public async Task An_outcome_file_appended_to_by_successive_runs_of_the_application_reads_as_one_file()
    {
        var dir = Directory.CreateTempSubdirectory("routing-append-").FullName;
        try
        {
            var path = Path.Combine(dir, "outcomes-production.csv");
            // Two runs of the application (a restart between them), each sampling its first call: the same request.
            for (var run = 0; run < 2; run++)
            {
                var tiers = Tiers();
                using var outcomes = new AppendingWriter(path);
                var options = new RoutingOptions { Shadow = new ShadowOptions { Rate = 0, CalibrationRate = 1, MaxCalibrationShareOfCost = 1, Outcomes = outcomes } };
                var router = new TaskRouter(tier => tiers.GetValueOrDefault(tier), new CostLedger(), options);
                Assert.Equal(Category.Billing, await router.RouteAsync(Plan("small", "frontier"), "easy 1", null, AnswerParsers.Enum<Category>()));
                Assert.True(await outcomes.Flushed.WaitAsync(TimeSpan.FromSeconds(30)), "the sample was never written");
            }

            var text = File.ReadAllText(path);
            Assert.Equal(1, text.Split('\n').Count(line => line == OutcomeCsv.Header));
            var data = Assert.Single(TaskOutcomes.Group(OutcomeCsv.Parse(text)));
            Assert.Equal(2, data.Queries.Count);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Samples_written_concurrently_with_commas_quotes_and_line_breaks_in_their_content_read_back_row_by_row()
    {
        // Content recorded: the requests and the answers hold what CSV must quote. 40 calls at once, every one sampled.
        var tiers = new Dictionary<string, Tier>
        {
            ["small"] = new Tier(prompt => ($"small says \"{prompt}\",\nthen, \"done\"", 0.9)),
            ["frontier"] = new Tier(prompt => ($"frontier, \"{prompt}\"\r\n", 0.99)),
        };
        var outcomes = new StringWriter();
        var options = new RoutingOptions { RecordContent = true, Shadow = new ShadowOptions { Rate = 0, CalibrationRate = 1, MaxCalibrationShareOfCost = 1, Outcomes = outcomes } };
        var router = new TaskRouter(tier => tiers.GetValueOrDefault(tier), new CostLedger(), options);

        await Task.WhenAll(Enumerable.Range(0, 40).Select(q => Task.Run(() => router.RouteAsync(Plan("small", "frontier"), $"a, \"quoted\"\nrequest {q}", null, AnswerParsers.Text))));
        for (var i = 0; i < 3000 && Text(outcomes).Count(c => c == '\n') < 1 + 40 * 2; i++) await Task.Delay(10);

        var rows = OutcomeCsv.Parse(Text(outcomes));
        Assert.Equal(40 * 2, rows.Count);
        var data = Assert.Single(TaskOutcomes.Group(rows));
        Assert.Equal(40, data.Queries.Count);
        Assert.All(data.Queries, query => Assert.StartsWith("user\u001fa, \"quoted\" request ", query));
        Assert.Contains(rows, row => row.Model == "small" && row.Answer == "small says \"a, \"quoted\" request 7\", then, \"done\"");
        Assert.Contains(rows, row => row.Model == "frontier" && row.Answer == "frontier, \"a, \"quoted\" request 7\"");
    }

    [Fact]
    public void A_calibration_rate_needs_an_outcome_writer_and_a_share_from_0_to_1()
    {
        var options = new RoutingOptions { Shadow = new ShadowOptions { CalibrationRate = 0.01 } };
        var refused = Assert.Throws<ArgumentException>(() => new TaskRouter(_ => null, new CostLedger(), options));
        Assert.Contains("ShadowOptions.Outcomes", refused.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShadowOptions { CalibrationRate = -0.1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShadowOptions { CalibrationRate = double.NaN });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShadowOptions { CalibrationRate = 1.5 });
    }
}
