using System.Globalization;
using System.Text;
using RoutingSdk.Calibration;
using RoutingSdk.Planning.Calibration;
using static RoutingSdk.Calibration.Tests.CliRunner;

namespace RoutingSdk.Calibration.Tests;

/// <summary><see cref="CalibratorOptions.Holdout"/>: the plan chosen on part of the queries and bounded on the rest.</summary>
public sealed class HoldoutTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("routing-holdout-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(300, 0.3, 90)]
    [InlineData(1000, 0.25, 250)]
    [InlineData(7, 0.5, 3)]
    public void The_split_sets_aside_the_share_asked_for_and_keeps_every_query_once(int n, double share, int aside)
    {
        var strata = Enumerable.Range(0, n).Select(i => i % 4).ToArray();
        var (fit, held) = Calibrator.Split(n, share, seed: 3, strata);

        Assert.Equal(aside, held.Length);
        Assert.Equal(Enumerable.Range(0, n), fit.Concat(held).OrderBy(i => i));
        // Stratified: each stratum gives the held-out part its share, to within one query.
        foreach (var stratum in Enumerable.Range(0, 4))
        {
            var inStratum = strata.Count(s => s == stratum);
            Assert.InRange(held.Count(i => strata[i] == stratum), Math.Floor(inStratum * share) - 1, Math.Ceiling(inStratum * share) + 1);
        }
    }

    [Fact]
    public void The_recorded_bound_is_one_of_the_written_plan_where_the_cross_validated_bound_overstates_it()
    {
        // mid keeps exactly 0.88 / 0.9 = 0.978 of large on every tenth of the queries, at 3/10 of its cost.
        var data = Synthetic.NoConfidence(1000);
        var trueRelative = new Dictionary<string, double> { ["small"] = 0.6 / 0.9, ["mid"] = 0.88 / 0.9, ["large"] = 1 };
        var crossValidated = Calibrator.CalibrateTask(data, new CalibratorOptions { Confidence = 0.9 });
        var heldOut = Calibrator.CalibrateTask(data, new CalibratorOptions { Confidence = 0.9, Holdout = 0.3 });
        var heldOutBetting = Calibrator.CalibrateTask(data, new CalibratorOptions { Confidence = 0.9, Holdout = 0.3, BoundMethod = QualityBoundMethod.Betting });
        var moreBetting = Calibrator.CalibrateTask(Synthetic.NoConfidence(4000), new CalibratorOptions { Confidence = 0.9, Holdout = 0.3, BoundMethod = QualityBoundMethod.Betting });

        // The default bounds the inner folds' plans, some of which are large alone; the plan written is mid alone.
        Assert.Equal(new[] { "mid" }, crossValidated.Chain);
        Assert.True(crossValidated.Bound!.RelativeQuality > trueRelative["mid"], $"cross-validated bound {crossValidated.Bound.RelativeQuality}");
        foreach (var plan in new[] { heldOut, heldOutBetting, moreBetting })
        {
            var model = Assert.Single(plan.Chain);
            Assert.True(plan.Bound!.RelativeQuality <= trueRelative[model], $"{model}: bound {plan.Bound.RelativeQuality}");
        }

        Assert.Equal(300, heldOut.Bound!.Queries);
        // With 1,200 queries set aside the betting bound certifies mid itself.
        Assert.Equal(1200, moreBetting.Bound!.Queries);
        Assert.Equal(new[] { "mid" }, moreBetting.Chain);
        Assert.InRange(moreBetting.Bound.RelativeQuality, 0.95, trueRelative["mid"]);
    }

    [Fact]
    public void Over_many_samples_the_recorded_bound_is_above_the_written_plans_true_quality_no_more_often_than_the_confidence_allows()
    {
        // Nested right answers (small ⊂ mid ⊂ large), no confidence: every plan is one model, of known true quality.
        var trueRelative = new Dictionary<string, double> { ["small"] = 0.6 / 0.9, ["mid"] = 0.885 / 0.9, ["large"] = 1 };
        const int samples = 40;
        var over = 0;
        var certifiedMid = 0;
        for (var seed = 1; seed <= samples; seed++)
        {
            var random = new Random(seed);
            var csv = new StringBuilder("benchmark,query,model,correct,cost_usd\n");
            for (var q = 0; q < 400; q++)
            {
                var u = random.NextDouble();
                csv.Append(CultureInfo.InvariantCulture, $"t,{q},small,{(u < 0.6 ? 1 : 0)},1\nt,{q},mid,{(u < 0.885 ? 1 : 0)},3\nt,{q},large,{(u < 0.9 ? 1 : 0)},10\n");
            }

            var data = TaskOutcomes.Group(OutcomeCsv.Parse(csv.ToString())).Single();
            var plan = Calibrator.CalibrateTask(data, new CalibratorOptions { Confidence = 0.9, BoundMethod = QualityBoundMethod.Betting, Holdout = 0.3, Seed = seed });
            var model = Assert.Single(plan.Chain);
            if (model == "mid") certifiedMid++;
            if (plan.Bound!.RelativeQuality > trueRelative[model]) over++;
        }

        // At 90 % the bound overstates in 4 of 40 samples on average; 9 or more would happen with probability under 1 %.
        Assert.True(over <= 8, $"the bound overstated the written plan in {over} of {samples} samples");
        Assert.True(certifiedMid > 0, "no sample certified the cheaper model: the test would not see an overstated bound");
    }

    [Fact]
    public void A_task_too_small_to_set_queries_aside_gets_its_best_model_alone_bounded_on_all_its_queries()
    {
        var plan = Calibrator.CalibrateTask(Synthetic.SeparatingConfidence(30), new CalibratorOptions { Confidence = 0.9, Holdout = 0.3 });

        Assert.Equal(new[] { "dear" }, plan.Chain);
        Assert.Equal(30, plan.Bound!.Queries);
    }

    [Fact]
    public void A_holdout_needs_a_confidence_and_a_share_between_0_and_1()
    {
        var data = Synthetic.SeparatingConfidence();
        Assert.Throws<ArgumentException>(() => Calibrator.CalibrateTask(data, new CalibratorOptions { Confidence = null, Holdout = 0.3 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Calibrator.CalibrateTask(data, new CalibratorOptions { Holdout = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Calibrator.CalibrateTask(data, new CalibratorOptions { Holdout = double.NaN }));
    }

    [Fact]
    public void Calibrate_with_a_holdout_records_the_bound_on_the_queries_set_aside_and_refuses_it_without_a_bound()
    {
        var fixture = RealData.Fixture("outcomes-small.csv");
        var path = Path.Combine(_dir, "holdout.json");
        var calibrate = Run("calibrate", "--outcomes", fixture, "--holdout", "0.5", "--out", path);
        Assert.True(calibrate.Code == 0, calibrate.Err);
        var tasks = CalibrationFile.Parse(File.ReadAllText(path)).Calibration.Tasks;
        Assert.All(tasks, t => Assert.Equal(30, t.Bound!.Queries));   // 60 queries per task, half set aside
        Assert.Contains("(90%, 30 queries)", calibrate.Out);
        Assert.Contains("Fit figures are on all the outcomes, the 50% set aside to bound the plans on included", calibrate.Out);

        var unbounded = Run("calibrate", "--outcomes", fixture, "--holdout", "0.3", "--confidence", "0", "--out", path);
        Assert.Equal(1, unbounded.Code);
        Assert.Contains("--holdout", unbounded.Err);
        Assert.Contains("--confidence 0", unbounded.Err);
        var whole = Run("evaluate", "--outcomes", fixture, "--cross-validate", "2", "--holdout", "1");
        Assert.Equal(1, whole.Code);
        Assert.Contains("--holdout 1 is outside [0, 1)", whole.Err);
    }
}
