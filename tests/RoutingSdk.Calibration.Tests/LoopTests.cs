using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using RoutingSdk.Calibration;
using RoutingSdk.Planning;
using RoutingSdk.Planning.Calibration;
using RoutingSdk.Simulation;

namespace RoutingSdk.Calibration.Tests;

/// <summary>
/// The whole loop on the simulated tiers, which answer each prompt the same way every time: try every tier, calibrate,
/// plan, then route the same prompts. The router, running the plan's acceptors on what the tiers answer live, must make
/// exactly the decisions the calibration replayed: the same calls per tier and the same spend.
/// </summary>
public class LoopTests
{
    private const string TaskName = "Desk.ClassifyAsync";

    [Fact]
    public async Task The_router_makes_the_decisions_the_calibration_replayed()
    {
        var (prompts, expected, clients, data) = await TryEveryTier();
        var calibration = Calibrator.CalibrateTask(data, new CalibratorOptions { Target = 0.95, InnerRepeats = 1 });
        Assert.True(calibration.Chain.Count > 1, "the simulated tiers should leave room for a cascade");
        Assert.NotNull(calibration.Acceptors);

        var (right, ledger) = await RouteAll(calibration, prompts, expected, clients);

        var calls = ledger.Snapshot().Entries.ToDictionary(e => e.Tier, e => e.Calls);
        for (var k = 0; k < calibration.Chain.Count; k++)
            Assert.Equal((long)Math.Round(calibration.Reach![k] * prompts.Length), calls.GetValueOrDefault(calibration.Chain[k]));
        Assert.Equal(calibration.ExpectedQuality!.Value, right / (double)prompts.Length, 6);
        Assert.Equal(calibration.ExpectedCostUsd!.Value * prompts.Length, (double)ledger.Snapshot().TotalUsd, 6);
    }

    [Fact]
    public async Task The_router_skips_to_the_last_tier_where_the_replay_skips()
    {
        var (prompts, expected, clients, data) = await TryEveryTier();
        var calibration = Calibrator.CalibrateTask(data, new CalibratorOptions { Target = 0.95, InnerRepeats = 1 });
        Assert.True(calibration.Chain.Count >= 3, "the simulated tiers should give a chain a skip can shorten");
        var chain = calibration.Chain.Select(m => data.Models.ToList().IndexOf(m)).ToArray();
        var first = calibration.Acceptors![0];
        // A skip level in the middle of the first tier's rejected answers, so that some skip and some go on to the next tier.
        var rejected = Enumerable.Range(0, data.Queries.Count)
            .Select(q => data.AcceptorFeatures(q, chain, 0) is { } x ? first.Probability(x) : double.NaN)
            .Where(p => p < first.MinProbability).OrderBy(p => p).ToArray();
        var skipBelow = rejected[rejected.Length / 2];
        Assert.True(rejected[0] < skipBelow, "the first tier's rejected answers should differ in probability");
        var skipping = new TaskCalibration(calibration.Task, calibration.Chain, calibration.Thresholds, calibration.Models,
            calibration.Acceptors.Select((a, k) => k == 0 ? a.WithSkipBelow(skipBelow) : a).ToArray(), scale: calibration.Scale);
        var replayed = Evaluator.EvaluateTask(skipping, data);
        var walked = Evaluator.EvaluateTask(calibration, data);

        var (right, ledger) = await RouteAll(skipping, prompts, expected, clients);

        var calls = ledger.Snapshot().Entries.ToDictionary(e => e.Tier, e => e.Calls);
        var last = calibration.Chain[calibration.Chain.Count - 1];
        // The skipped answers reached the last tier and never the middle one: the last tier now answers more than before.
        Assert.True(replayed.AnsweredShare[^1] > walked.AnsweredShare[^1]);
        Assert.Equal((long)Math.Round(replayed.AnsweredShare[^1] * prompts.Length), calls.GetValueOrDefault(last));
        Assert.Equal(prompts.Length, calls[calibration.Chain[0]]);
        Assert.Equal(replayed.Quality, right / (double)prompts.Length, 6);
        Assert.Equal(replayed.CostUsd * prompts.Length, (double)ledger.Snapshot().TotalUsd, 6);
    }

    /// <summary>Every prompt tried on every simulated tier, graded by exact match: the outcomes a calibration is fitted on.</summary>
    private static async Task<(string[] Prompts, Dictionary<string, string> Expected, Dictionary<string, IChatClient> Clients, TaskOutcomes Data)> TryEveryTier()
    {
        var prompts = Enumerable.Range(1, 240).Select(i => $"customer email number {i}").ToArray();
        var expected = prompts.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i % 3 == 0 ? "Technical" : "Billing", StringComparer.Ordinal);
        var catalog = TierCatalog.BuiltIn;
        var clients = catalog.Tiers.ToDictionary(t => t.Name, t => (IChatClient)new SimulatedChatClient(t, request =>
        {
            var right = expected[request.Prompt];
            return new SimulatedAnswer(right, right == "Billing" ? "Technical" : "Billing");
        }, seed: 3));

        var trial = new TierTrial(catalog, t => clients[t.Name]);
        var rows = await trial.RunAsync(TaskName, TaskKind.Classification, Complexity.Medium,
            prompts.Select((p, i) => new TrialCase(i.ToString(System.Globalization.CultureInfo.InvariantCulture), p, expected[p])).ToArray(), TrialGraders.ExactMatch);
        return (prompts, expected, clients, TaskOutcomes.Group(rows).Single());
    }

    /// <summary>Plans the task from <paramref name="calibration"/> and routes every prompt through it; the right answers and the ledger.</summary>
    private static async Task<(int Right, CostLedger Ledger)> RouteAll(TaskCalibration calibration, string[] prompts, Dictionary<string, string> expected, Dictionary<string, IChatClient> clients)
    {
        var catalog = TierCatalog.BuiltIn;
        var spec = new TaskSpec(TaskName, "ClassifyAsync", TaskKind.Classification, Complexity.Medium) { QualityThreshold = 0.5 };
        var taskPlan = Planner.Plan(spec, catalog, calibration);
        Assert.DoesNotContain(taskPlan.Findings, f => f.Kind == FindingKind.CalibrationMismatch);
        var plan = new RoutePlan(TaskName, TaskKind.Classification, Complexity.Medium, catalog, taskPlan.Chain, taskPlan.QualityThreshold, taskPlan.ProjectedQuality,
            taskPlan.ProjectedUsdPerThousandCalls, taskPlan.AllFrontierUsdPerThousandCalls, taskPlan.AcceptanceThresholds, acceptors: taskPlan.Acceptors);
        Assert.NotNull(plan.Acceptors);

        var ledger = new CostLedger();
        var router = new TaskRouter(tier => clients[tier], ledger);
        var right = 0;
        foreach (var prompt in prompts)
        {
            var answer = await router.RouteAsync(plan, prompt, null, AnswerParsers.Text);
            if (string.Equals(AnswerKey.Normalize(answer), AnswerKey.Normalize(expected[prompt]), StringComparison.Ordinal)) right++;
        }

        return (right, ledger);
    }
}
