using System.Diagnostics;
using RoutingSdk.Calibration;
using RoutingSdk.Planning.Calibration;
using Xunit.Abstractions;

namespace RoutingSdk.Calibration.Tests;

public class RealDataTests(ITestOutputHelper output)
{
    /// <summary>
    /// The held-out measure on cascades-train.csv: 5-fold cross-validation by query, every query replayed once by a plan
    /// calibrated without it (the calibrator's own margin search, three inner shuffles, runs inside each fitting part).
    /// With its default seed this calibrator meets the goal, 0.95× of the best model's quality on every task at no more
    /// than 0.30× of its cost (docs/calibration.md has the table: 0.296× with the lowest task at 0.956×), and this run is
    /// held to it. Other seeds shuffle the folds otherwise and move a single task by a few queries (over twelve shuffles
    /// the lowest task lands between 0.939× and 0.956×, the per-task means stay at or above 0.957×): a change that moves
    /// this run under the goal needs that table measured again (`routing evaluate … --repeat 6`), not a looser bound.
    /// </summary>
    [LongRealDataFact]
    public void Held_out_quality_and_cost_on_the_cascades_data()
    {
        var path = Path.Combine(RealData.Directory!, "cascades-train.csv");
        Assert.True(File.Exists(path), $"{path} is missing although its folder exists");
        var tasks = TaskOutcomes.Group(OutcomeCsv.Read(path));
        Assert.Equal(10, tasks.Count);

        var clock = Stopwatch.StartNew();
        // The margin search without the bound (its table in docs/calibration.md); the bound's own run is the next test.
        var evaluation = Calibrator.CrossValidate(tasks, 5, new CalibratorOptions { Target = 0.95, Confidence = null });
        foreach (var t in evaluation.Tasks)
            output.WriteLine($"{t.Task,-22} quality {t.RelativeQuality:0.000}×  cost {t.RelativeCost:0.000}×");
        output.WriteLine($"geometric mean cost {evaluation.GeometricMeanRelativeCost:0.000}×, lowest quality {evaluation.MinRelativeQuality:0.000}× in {clock.Elapsed.TotalSeconds:0.0} s");

        Assert.All(evaluation.Tasks, t => Assert.True(t.RelativeQuality >= 0.95, $"{t.Task}: held-out relative quality {t.RelativeQuality:0.000}"));
        Assert.True(evaluation.GeometricMeanRelativeQuality >= 0.95, $"geometric-mean relative quality {evaluation.GeometricMeanRelativeQuality:0.000}");
        Assert.True(evaluation.GeometricMeanRelativeCost <= 0.30, $"geometric-mean relative cost {evaluation.GeometricMeanRelativeCost:0.000}");
    }

    /// <summary>
    /// With the bound (the default, confidence 0.9), held out by 5-fold cross-validation: every task keeps the target,
    /// and the price of bounding on the 228–240 queries of four folds is recorded (0.683× measured, docs/calibration.md,
    /// "The quality bound"): a change that makes it dearer should say so there.
    /// </summary>
    [LongRealDataFact]
    public void Held_out_quality_and_cost_with_the_bound_on_the_cascades_data()
    {
        var tasks = TaskOutcomes.Group(OutcomeCsv.Read(Path.Combine(RealData.Directory!, "cascades-train.csv")));

        var evaluation = Calibrator.CrossValidate(tasks, 5, new CalibratorOptions { Target = 0.95, Confidence = 0.9 });
        foreach (var t in evaluation.Tasks)
            output.WriteLine($"{t.Task,-22} quality {t.RelativeQuality:0.000}×  cost {t.RelativeCost:0.000}×");

        Assert.All(evaluation.Tasks, t => Assert.True(t.RelativeQuality >= 0.95, $"{t.Task}: held-out relative quality {t.RelativeQuality:0.000}"));
        Assert.True(evaluation.GeometricMeanRelativeCost <= 0.70, $"geometric-mean relative cost {evaluation.GeometricMeanRelativeCost:0.000}");
    }

    /// <summary>
    /// The raw thresholds a calibration writes are a plan of their own, for a consumer without acceptors: replayed on
    /// the queries they were fitted on, each tier's own confidence against its threshold keeps the target on every task.
    /// (Thresholds read off the combined acceptors once left gsm8k/llama at 0.935× and triviaqa/qwen_oai at 0.937×.)
    /// The recorded quality is the plan's as the router runs it, with its acceptors.
    /// </summary>
    [LongRealDataFact]
    public void The_thresholds_alone_keep_the_target_on_the_cascades_data()
    {
        var tasks = TaskOutcomes.Group(OutcomeCsv.Read(Path.Combine(RealData.Directory!, "cascades-train.csv")));
        var calibration = Calibrator.Calibrate(tasks, new CalibratorOptions { Target = 0.95 });
        foreach (var plan in calibration.Tasks)
        {
            var data = tasks.Single(t => t.Task == plan.Task);
            var thresholds = Evaluator.EvaluateTask(plan, data, thresholdsOnly: true);
            output.WriteLine($"{plan.Task,-22} thresholds only: quality {thresholds.RelativeQuality:0.000}×  cost {thresholds.RelativeCost:0.000}×");
            Assert.True(thresholds.RelativeQuality >= 0.95, $"{plan.Task}: the thresholds keep {thresholds.RelativeQuality:0.000}× on their own fitting data");
            Assert.Equal(Evaluator.EvaluateTask(plan, data).Quality, plan.ExpectedQuality!.Value, 6);
        }
    }

    /// <summary>
    /// The floor under any held-out figure: chains and acceptance levels picked on the very queries they are measured
    /// on. docs/calibration.md ("How far 0.30× is") reads its table: 0.256× at 0.95×, 0.278× at 0.96×, 0.307× at
    /// 0.97×, and 0.150× for the oracle. The bounds leave a little room for a change of fold shuffle.
    /// </summary>
    [RealDataFact]
    public void Hindsight_floors_on_the_cascades_data()
    {
        var tasks = TaskOutcomes.Group(OutcomeCsv.Read(Path.Combine(RealData.Directory!, "cascades-train.csv")));
        var levels = new[] { 0.95, 0.96, 0.97 };
        var bounds = Calibrator.Hindsight(tasks, levels);
        var floors = levels.Select((_, i) => Evaluation.GeometricMean(bounds.Select(b => b.Points[i].RelativeCost))).ToArray();
        var oracle = Evaluation.GeometricMean(bounds.Select(b => b.OracleRelativeCost));
        output.WriteLine($"floors {string.Join(", ", floors.Select(f => f.ToString("0.000")))}; oracle {oracle:0.000}");
        Assert.InRange(floors[0], 0.23, 0.28);
        Assert.InRange(floors[1], 0.25, 0.30);
        Assert.InRange(floors[2], 0.28, 0.33);
        Assert.InRange(oracle, 0.13, 0.17);
    }

    /// <summary>
    /// Skipping to the last tier widens the family: without it the floors are 0.266×, 0.290× and 0.327× (docs/calibration.md),
    /// with it lower at every level, most where the plans must keep more (truthfulqa/llama at 0.97×: 0.774× → 0.620×).
    /// </summary>
    [RealDataFact]
    public void Skipping_lowers_the_floor_on_the_cascades_data()
    {
        var tasks = TaskOutcomes.Group(OutcomeCsv.Read(Path.Combine(RealData.Directory!, "cascades-train.csv")));
        var levels = new[] { 0.95, 0.96, 0.97 };
        double[] Floors(bool skip)
        {
            var bounds = Calibrator.Hindsight(tasks, levels, new CalibratorOptions { SkipToLast = skip });
            return levels.Select((_, i) => Evaluation.GeometricMean(bounds.Select(b => b.Points[i].RelativeCost))).ToArray();
        }

        var skipping = Floors(true);
        var walking = Floors(false);
        output.WriteLine($"floors with skipping {string.Join(", ", skipping.Select(f => f.ToString("0.000")))}; without {string.Join(", ", walking.Select(f => f.ToString("0.000")))}");
        for (var i = 0; i < levels.Length; i++) Assert.True(skipping[i] < walking[i] - 0.005, $"at {levels[i]}: {skipping[i]:0.000}× with skipping, {walking[i]:0.000}× without");
    }

    [RealDataFact]
    public void The_routerbench_data_has_no_confidence_and_gets_single_models()
    {
        var tasks = TaskOutcomes.Group(OutcomeCsv.Read(Path.Combine(RealData.Directory!, "routerbench-train.csv")));
        var calibration = Calibrator.Calibrate(tasks, new CalibratorOptions { Target = 0.95 });
        Assert.All(calibration.Tasks, t => Assert.Single(t.Chain));
        var evaluation = Evaluator.Evaluate(calibration, tasks);
        Assert.All(evaluation.Tasks, t => Assert.True(t.RelativeQuality >= 0.95, $"{t.Task}: {t.RelativeQuality:0.000}"));
    }
}
