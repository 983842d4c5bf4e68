using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using RoutingSdk.Planning;
using RoutingSdk.Calibration;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Cli;

/// <summary>The <c>routing</c> commands, runnable in process (the tests call <see cref="Run"/>).</summary>
/// <remarks>
/// The command line itself: every command's options, help text and error lines side by side, so that they read alike.
/// Reading and writing files is in CliApp.Files.cs; the work is in RoutingSdk.Calibration.
/// </remarks>
public static partial class CliApp
{
    /// <summary>Parses <paramref name="args"/>, runs the command and returns the exit code (0 on success).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("routing: measure a task on every model tier, calibrate cascades from outcome files, evaluate them and forecast quality against cost.")
        {
            CalibrateCommand(output, error),
            EvaluateCommand(output, error),
            ForecastCommand(output, error),
            LimitsCommand(output, error),
            TryCommand.Create(output, error),
        };
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    internal static Option<FileInfo> OutcomesOption() => new("--outcomes")
    {
        Description = "Outcome CSV: benchmark, query, model, correct, cost_usd [, chain, tier, confidence, answer, tokens_in, tokens_out, latency_ms]",
        Required = true,
    };

    internal static Option<double> TargetOption(double defaultValue, string description) => OptionValues.Decimal("--target", defaultValue, description);

    private static Option<CalibrationSignals> SignalsOption() => OptionValues.Choice("--signals", CalibrationSignals.Combined,
        "Combined: the tier's confidence with its answer's length and the answers and confidences of the tiers already tried (acceptors, which the router runs); Confidence: the tier's own confidence only (raw thresholds)");

    private static Option<bool> SeparateOption() => new("--separate-tasks")
    {
        Description = "Fit each task's acceptance models on its own outcomes only (by default they share the outcomes of the other tasks in the file that ran the same models)",
    };

    private static Option<bool> UnstratifiedOption() => new("--unstratified")
    {
        Description = "Split queries into plain shuffled folds (by default every fold gets the same share of each pattern of which models answered right)",
    };

    private static Option<bool> NoSkipOption() => new("--no-skip")
    {
        Description = "Never send a query straight to the chain's last tier: a rejected answer always goes to the next tier (by default the calibration may skip the tiers between for answers it trusts very little)",
    };

    private static Option<double> ConfidenceOption() => OptionValues.Decimal("--confidence", 0.9,
        "Confidence (0–1) of the finite-sample lower bound on quality relative to the best single model that each plan must keep at the target (recorded in the file); 0: no bound, the margin from the held-out quality alone");

    private static Option<QualityBoundMethod> BoundOption() => OptionValues.Choice("--bound", QualityBoundMethod.EmpiricalBernstein,
        "How the quality bound is computed: EmpiricalBernstein (the default: looser, more headroom against traffic unlike the calibration data) or Betting (tighter on a few hundred queries: cheaper plans, less headroom; docs/calibration.md)");

    private static Option<double> HoldoutOption() => OptionValues.Decimal("--holdout", 0,
        "Share (0–1) of each task's queries set aside to bound the plan on: the plan is fitted on the rest and the bound recorded is exact for it (fewer queries to fit on); 0, the default: the bound on the inner cross-validation's replays");

    private static Option<int> SeedOption() => new("--seed")
    {
        Description = "Seed of the query shuffles used by cross-validation",
        DefaultValueFactory = _ => 1,
    };

    private static Command CalibrateCommand(TextWriter output, TextWriter error)
    {
        var outcomes = OutcomesOption();
        var target = TargetOption(0.95, "Share of the best single model's quality each task must keep (0–1]");
        var outFile = new Option<FileInfo>("--out")
        {
            Description = "Where to write the calibration JSON",
            DefaultValueFactory = _ => new FileInfo("routing.calibration.json"),
        };
        var signals = SignalsOption();
        var separate = SeparateOption();
        var unstratified = UnstratifiedOption();
        var noSkip = NoSkipOption();
        var seed = SeedOption();
        var confidence = ConfidenceOption();
        var bound = BoundOption();
        var holdout = HoldoutOption();
        var byCorrectness = OnlineEvaluation.CompareByCorrectnessOption("Measure the shadow guardrail's baselines (\"agreement\") comparing the answers");
        var command = new Command("calibrate", "Learn, per task, the cheapest cascade that keeps the target share of the best single model's quality on held-out queries, and write routing.calibration.json.")
        {
            outcomes, target, confidence, bound, holdout, outFile, signals, separate, unstratified, noSkip, seed, byCorrectness,
        };
        command.SetAction(parse => Guard(error, () =>
        {
            var path = parse.GetValue(outFile)!;
            RequireWritable(path, "--out", (parse.GetValue(outcomes), "--outcomes"));
            var tasks = LoadOutcomes(parse.GetValue(outcomes)!);
            var options = Options(parse.GetValue(target), parse.GetValue(signals), parse.GetValue(seed), parse.GetValue(separate), parse.GetValue(unstratified), parse.GetValue(noSkip), parse.GetValue(confidence), parse.GetValue(bound), parse.GetValue(holdout));
            ReportPruning(error, tasks, options);
            ReportHoldout(error, tasks, options);
            ReportShadowedCalls(error, tasks);
            ReportNothingRight(error, tasks);
            var previous = PlanCostChanges.ReadPrevious(path, error);
            // The guardrail's baselines (each position's agreement with the last tier) are measured on the same outcomes.
            var calibration = AgreementBaselines.With(Calibrator.Calibrate(tasks, options), tasks, parse.GetValue(byCorrectness));
            PlanCostChanges.Report(error, previous, calibration, path.Name);
            WriteAtomically(path, writer => writer.Write(CalibrationFileWriter.Write(calibration)));
            var table = new List<string[]> { new[] { "task", "chain", "thresholds", "fit quality", "fit cost", "thresholds-only quality", "thresholds-only cost", "margin", "bound", "skips below" } };
            var replays = new List<TaskEvaluation>();
            foreach (var task in calibration.Tasks)
            {
                var data = tasks.First(t => t.Task == task.Task);
                var fit = Evaluator.EvaluateTask(task, data);
                var router = Evaluator.EvaluateTask(task, data, thresholdsOnly: true);
                replays.Add(fit);
                replays.Add(router);
                table.Add(new[]
                {
                    task.Task, string.Join(" > ", task.Chain), string.Join(", ", task.Thresholds.Select(t => F(t, "0.###"))),
                    Times(fit.RelativeQuality), Times(fit.RelativeCost),
                    Times(router.RelativeQuality), Times(router.RelativeCost),
                    F(task.Margin ?? 0, "0.000"), BoundText(task.Bound),
                    // The skip level (the calibrator sets it on the first acceptor only): answers trusted less go straight to the last tier.
                    task.Acceptors?.FirstOrDefault(a => a.SkipBelow > 0) is { } skipping ? F(skipping.SkipBelow, "0.###") : "-",
                });
            }

            Table.Write(output, table);
            ReportFreeBestModels(error, replays.Select(r => (r, r.RelativeCost)));
            output.WriteLine($"Wrote {calibration.Tasks.Count} task(s) to {path.FullName} (target {F(options.Target, "0.###")}{(options.Confidence is { } c ? $" at confidence {F(c, "0.###")}" : string.Empty)}, signals {options.Signals}). Fit figures are on {(options.Holdout is { } h ? $"all the outcomes, the {F(100 * h, "0.#")}% set aside to bound the plans on included" : "the fitting data")} (thresholds only: each tier's own confidence against its raw threshold, for a consumer without acceptors); run 'routing evaluate' for held-out ones.");
            return 0;
        }));
        return command;
    }

    private static Command EvaluateCommand(TextWriter output, TextWriter error)
    {
        var outcomes = OutcomesOption();
        var calibrationFile = new Option<FileInfo?>("--calibration") { Description = "The calibration JSON to replay (omit with --cross-validate)" };
        var crossValidate = new Option<int>("--cross-validate")
        {
            Description = "Instead of replaying a file: k-fold cross-validation by query (calibrate on k-1 folds, replay the held-out fold, pool)",
        };
        var target = TargetOption(0.95, "With --cross-validate: the target the calibrator fits for");
        var signals = SignalsOption();
        var separate = SeparateOption();
        var unstratified = UnstratifiedOption();
        var noSkip = NoSkipOption();
        var seed = SeedOption();
        var confidence = ConfidenceOption();
        var bound = BoundOption();
        var holdout = HoldoutOption();
        var plot = new Option<FileInfo?>("--plot") { Description = "Write an SVG: per task, quality against cost for every single model and for the calibrated plan" };
        var repeat = new Option<int>("--repeat")
        {
            Description = "With --cross-validate: run it this many times, each with its own fold shuffle (seeds --seed, +1, ...), and print the means",
            DefaultValueFactory = _ => 1,
        };
        var thresholdsOnly = new Option<bool>("--thresholds-only")
        {
            Description = "Replay the raw thresholds only: each tier's own confidence against its threshold (acceptors ignored), as a consumer without acceptors runs the plans",
        };
        var command = new Command("evaluate", "Replay every query through the calibrated plans: quality and cost relative to the best single model, share answered per model, geometric means.")
        {
            outcomes, calibrationFile, crossValidate, repeat, target, confidence, bound, holdout, signals, separate, unstratified, noSkip, seed, plot, thresholdsOnly,
        };
        var fitting = new Option[] { confidence, bound, holdout, signals, separate, unstratified, noSkip, seed };
        command.SetAction(parse => Guard(error, () =>
        {
            if (parse.GetValue(plot) is { } plotFile) RequireWritable(plotFile, "--plot", (parse.GetValue(outcomes), "--outcomes"), (parse.GetValue(calibrationFile), "--calibration"));
            var tasks = LoadOutcomes(parse.GetValue(outcomes)!);
            var folds = parse.GetValue(crossValidate);
            var file = parse.GetValue(calibrationFile);
            Evaluation evaluation;
            var goal = parse.GetValue(target);
            if (folds != 0)
            {
                if (file is not null) throw new UsageException("give either --calibration or --cross-validate, not both");
                if (folds < 2) throw new UsageException("--cross-validate needs 2 or more folds");
                // Every fold holds out at least one query of every task: more folds than a task has queries is refused, not run.
                var fewest = tasks.OrderBy(t => t.Queries.Count).First();
                if (folds > fewest.Queries.Count)
                    throw new UsageException($"--cross-validate {folds} is more folds than the {fewest.Queries.Count} queries of task '{fewest.Task}'; use at most {fewest.Queries.Count}");
                var repeats = parse.GetValue(repeat);
                if (repeats < 1) throw new UsageException("--repeat needs 1 or more runs");
                var first = parse.GetValue(seed);
                var crossOptions = Options(parse.GetValue(target), parse.GetValue(signals), first, parse.GetValue(separate), parse.GetValue(unstratified), parse.GetValue(noSkip), parse.GetValue(confidence), parse.GetValue(bound), parse.GetValue(holdout));
                ReportPruning(error, tasks, crossOptions);
                ReportHoldout(error, tasks, crossOptions, folds);
                evaluation = Calibrator.CrossValidate(tasks, folds, crossOptions, parse.GetValue(thresholdsOnly), repeats);
                output.WriteLine(repeats == 1
                    ? $"Held-out evaluation: {folds}-fold cross-validation by query; every query is replayed once by a plan fitted without it."
                    : $"Held-out evaluation: {folds}-fold cross-validation by query, run {repeats} times with fold shuffles (seeds {first}–{first + repeats - 1}); every query is replayed once per run by a plan fitted without it. Figures are means over the runs.");
            }
            else
            {
                if (file is null) throw new UsageException("--calibration is required (or use --cross-validate)");
                if (parse.GetValue(repeat) != 1) throw new UsageException("--repeat goes with --cross-validate");
                // The file's plans are replayed as written: an option that shapes a calibration would be read by nothing.
                if (fitting.FirstOrDefault(o => OptionValues.Given(parse, o)) is { } unread)
                    throw new UsageException($"{unread.Name} shapes a calibration, and --calibration replays one as written: drop {unread.Name}, or give it to 'routing calibrate' or with --cross-validate");
                var calibration = LoadCalibration(file);
                goal = calibration.Target ?? goal;
                var missing = calibration.Tasks.Where(t => tasks.All(d => d.Task != t.Task)).Select(t => t.Task).ToArray();
                if (missing.Length > 0) error.WriteLine($"warning: no outcomes for task(s) {string.Join(", ", missing)}; skipped");
                evaluation = Evaluator.Evaluate(calibration, tasks, parse.GetValue(thresholdsOnly));
                if (evaluation.Tasks.Count == 0) throw new UsageException("no task of the calibration has outcomes in the file");
            }

            if (parse.GetValue(thresholdsOnly)) output.WriteLine("Replayed on the raw thresholds only: each tier's own confidence against its threshold, acceptors ignored.");
            WriteEvaluation(output, evaluation, goal);
            ReportNothingRight(error, tasks.Where(t => evaluation.Tasks.Any(e => e.Task == t.Task)).ToArray());
            ReportFreeBestModels(error, evaluation.Tasks.Select(t => (t, t.RelativeCost)));
            if (parse.GetValue(plot) is { } svg)
            {
                WriteAtomically(svg, writer => writer.Write(FrontierPlot.Svg(evaluation, goal)));
                output.WriteLine($"Wrote the plot to {svg.FullName}");
            }

            return 0;
        }));
        OnlineEvaluation.Attach(command, outcomes, calibrationFile, thresholdsOnly, new Option[] { crossValidate, repeat, plot, target }.Concat(fitting).ToArray(), output, error);   // --online: the replay with the shadow guardrail
        return command;
    }

    private static Command ForecastCommand(TextWriter output, TextWriter error)
    {
        var outcomes = OutcomesOption();
        var target = TargetOption(0.9, "The quality (0–1, absolute) a tier must be expected to reach");
        var command = new Command("forecast", "Fit quality against log-cost per task across its models: predicted quality per tier, the cheapest tier expected to meet the target, and the fit's error.")
        {
            outcomes, target,
        };
        command.SetAction(parse => Guard(error, () =>
        {
            var tasks = LoadOutcomes(parse.GetValue(outcomes)!);
            var goal = parse.GetValue(target);
            if (double.IsNaN(goal) || goal <= 0 || goal > 1) throw new UsageException($"--target {F(goal, "G")} is outside (0, 1]");
            foreach (var forecast in Forecaster.Fit(tasks))
            {
                // The fit is over ln(cost): a model measured at no cost has no place on it, and with none left there is no fit to show.
                var free = tasks.First(t => t.Task == forecast.Task).Models.Where(m => forecast.Points.All(p => p.Model != m)).ToArray();
                if (forecast.Points.Count == 0)
                {
                    output.WriteLine($"{forecast.Task}: no forecast: every model's cost is 0 ({string.Join(", ", free)}), and quality is fitted against the log of the cost per call; record each call's cost_usd");
                    continue;
                }

                output.WriteLine($"{forecast.Task}: quality ≈ {F(forecast.Intercept, "0.000")} + {F(forecast.Slope, "0.000")}·ln(USD per call), RMSE {F(forecast.RootMeanSquareError, "0.000")}");
                var rows = new List<string[]> { new[] { "model", "USD/call", "measured", "predicted" } };
                rows.AddRange(forecast.Points.Select(p => new[] { p.Model, F(p.CostUsd, "0.000000"), F(p.MeasuredQuality, "0.000"), F(p.PredictedQuality, "0.000") }));
                Table.Write(output, rows, "  ");
                if (free.Length > 0) output.WriteLine($"  left out of the fit (cost 0): {string.Join(", ", free)}");
                var cheapest = forecast.CheapestMeeting(goal);
                var cost = forecast.CostFor(goal);
                output.WriteLine(cheapest is null
                    ? $"  no tier is expected to reach {F(goal, "0.###")}" + (cost is { } c ? $" (the fit reaches it near {F(c, "0.000000")} USD per call)" : string.Empty)
                    : $"  cheapest tier expected to reach {F(goal, "0.###")}: {cheapest.Model} (predicted {F(cheapest.PredictedQuality, "0.000")}, ±{F(forecast.RootMeanSquareError, "0.000")})");
            }

            return 0;
        }));
        return command;
    }

    private static Command LimitsCommand(TextWriter output, TextWriter error)
    {
        var outcomes = OutcomesOption();
        var levels = new Option<string>("--levels")
        {
            Description = "Quality levels relative to the best single model, comma-separated",
            DefaultValueFactory = _ => "0.95,0.96,0.97,0.98,1",
        };
        var signals = SignalsOption();
        var separate = SeparateOption();
        var unstratified = UnstratifiedOption();
        var noSkip = NoSkipOption();
        var seed = SeedOption();
        var command = new Command("limits", "What hindsight could reach: per task and quality level, the cheapest plan picked on the very queries it is measured on (no margin), and a router that knew every answer. Held-out figures can only come near these floors.")
        {
            outcomes, levels, signals, separate, unstratified, noSkip, seed,
        };
        command.SetAction(parse => Guard(error, () =>
        {
            var tasks = LoadOutcomes(parse.GetValue(outcomes)!);
            var wanted = ParseLevels(parse.GetValue(levels)!);
            var hindsightOptions = Options(0.95, parse.GetValue(signals), parse.GetValue(seed), parse.GetValue(separate), parse.GetValue(unstratified), parse.GetValue(noSkip));
            ReportPruning(error, tasks, hindsightOptions);
            var bounds = Calibrator.Hindsight(tasks, wanted, hindsightOptions);
            output.WriteLine("Cheapest cost relative to the best single model, with the chain and its acceptance level picked on the same queries (a floor, not a forecast):");
            var rows = new List<string[]> { new[] { "task", "queries" }.Concat(wanted.Select(l => "at " + F(l, "0.00") + "×")).Concat(new[] { "oracle", "oracle quality" }).ToArray() };
            foreach (var t in bounds)
                rows.Add(new[] { t.Task, t.Queries.ToString(CultureInfo.InvariantCulture) }.Concat(t.Points.Select(p => Relative(p.RelativeCost))).Concat(new[] { Relative(t.OracleRelativeCost), F(t.OracleRelativeQuality, "0.000") + "×" }).ToArray());
            rows.Add(new[] { "geometric mean", string.Empty }
                .Concat(wanted.Select((_, i) => Relative(Evaluation.GeometricMean(bounds.Select(t => t.Points[i].RelativeCost)))))
                .Concat(new[] { Relative(Evaluation.GeometricMean(bounds.Select(t => t.OracleRelativeCost))), F(Evaluation.GeometricMean(bounds.Select(t => t.OracleRelativeQuality)), "0.000") + "×" }).ToArray());
            Table.Write(output, rows);
            ReportFreeBestModelLimits(error, tasks, bounds);
            output.WriteLine("\"-\": no plan of the calibrator's family reaches the level, or (for a task named on stderr) its best model costs nothing. Oracle: each query sent straight to the cheapest model that answers it right (quality relative to the best model).");
            return 0;
        }));
        return command;
    }

    private static string Relative(double value) => double.IsPositiveInfinity(value) ? "-" : F(value, "0.000") + "×";

    /// <summary>
    /// A figure relative to the best single model, "0.952×"; "-" where it is not defined (a plan that spends against a best
    /// model that costs nothing: <see cref="ReportFreeBestModels"/> says so on stderr).
    /// </summary>
    internal static string Times(double value) => double.IsFinite(value) ? F(value, "0.000") + "×" : "-";

    internal static double[] ParseLevels(string text)
    {
        var levels = new List<double>();
        foreach (var part in text.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries))
        {
            if (!double.TryParse(part.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var level) || double.IsNaN(level) || level <= 0 || level > 2)
                throw new UsageException($"--levels: '{part.Trim()}' is not a quality level in (0, 2]");
            levels.Add(level);
        }

        if (levels.Count == 0) throw new UsageException("--levels: give at least one quality level, for example 0.95,0.97");
        return levels.ToArray();
    }

    internal static void WriteEvaluation(TextWriter output, Evaluation evaluation, double target)
    {
        if (evaluation.Runs.Count > 0)
        {
            var runs = evaluation.Runs;
            var belowRuns = runs.Count(r => r.Tasks.Any(t => t.RelativeQuality < target - 1e-12));
            output.WriteLine($"Per run: geometric-mean cost {Times(runs.Min(r => r.GeometricMeanRelativeCost))}–{Times(runs.Max(r => r.GeometricMeanRelativeCost))}, "
                + $"lowest task quality {F(runs.Min(r => r.MinRelativeQuality), "0.000")}–{F(runs.Max(r => r.MinRelativeQuality), "0.000")}×; "
                + $"{belowRuns} of {runs.Count} runs have a task below {F(target, "0.###")}×.");
        }

        var rows = new List<string[]> { new[] { "task", "queries", "best model", "quality", "cost", "file's bound", "answered by" } };
        foreach (var t in evaluation.Tasks)
        {
            var shares = t.Chain.Select((m, i) => (m, s: t.AnsweredShare[i])).Where(p => p.s > 0).Select(p => $"{p.m} {F(100 * p.s, "0")}%");
            rows.Add(new[] { t.Task, t.Queries.ToString(CultureInfo.InvariantCulture), t.BestModel, Times(t.RelativeQuality), Times(t.RelativeCost), BoundText(t.Bound),
                string.Join(", ", shares) + (t.SkippedShare > 0 ? $" ({F(100 * t.SkippedShare, "0.#")}% straight to the last tier)" : string.Empty) });
        }

        rows.Add(new[] { "geometric mean", string.Empty, string.Empty, Times(evaluation.GeometricMeanRelativeQuality), Times(evaluation.GeometricMeanRelativeCost), $"lowest quality {F(evaluation.MinRelativeQuality, "0.000")}×" });
        Table.Write(output, rows);
    }

    internal static CalibratorOptions Options(double target, CalibrationSignals signals, int seed, bool separateTasks = false, bool unstratified = false, bool noSkip = false,
        double confidence = 0.9, QualityBoundMethod bound = QualityBoundMethod.EmpiricalBernstein, double holdout = 0)
    {
        if (double.IsNaN(target) || target <= 0 || target > 1) throw new UsageException($"--target {F(target, "G")} is outside (0, 1]");
        if (!(confidence >= 0 && confidence < 1)) throw new UsageException($"--confidence {F(confidence, "G")} is outside [0, 1) (0: no bound)");
        if (!(holdout >= 0 && holdout < 1)) throw new UsageException($"--holdout {F(holdout, "G")} is outside [0, 1) (0: none)");
        if (holdout > 0 && confidence == 0) throw new UsageException("--holdout sets queries aside to bound the plan on, and --confidence 0 asks for no bound; give a confidence, or drop --holdout");
        return new CalibratorOptions
        {
            Target = target, Signals = signals, Seed = seed, ShareAcrossTasks = !separateTasks, StratifyFolds = !unstratified, SkipToLast = !noSkip,
            Confidence = confidence > 0 ? confidence : null, BoundMethod = bound, Holdout = holdout > 0 ? holdout : null,
        };
    }

    /// <summary>A file's quality bound as a table cell: "≥ 0.951× (90%, 300 queries)", or "-" when it records none.</summary>
    internal static string BoundText(QualityBoundFigures? bound)
        => bound is null ? "-" : $"≥ {F(bound.RelativeQuality, "0.000")}× ({F(100 * bound.Confidence, "0.#")}%, {bound.Queries} queries)";

    internal static int Guard(TextWriter error, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (ex is UsageException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            error.WriteLine("error: " + ex.Message);
            return 1;
        }
    }

    internal static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
