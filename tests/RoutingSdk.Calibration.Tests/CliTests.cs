using System.Xml.Linq;
using RoutingSdk.Cli;
using RoutingSdk.Calibration;
using RoutingSdk.Planning.Calibration;
using static RoutingSdk.Calibration.Tests.CliRunner;

namespace RoutingSdk.Calibration.Tests;

public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("routing-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static string Fixture => RealData.Fixture("outcomes-small.csv");

    /// <summary>Runs <c>routing calibrate</c> on the fixture with <paramref name="options"/> into <paramref name="file"/> and reads the tasks written.</summary>
    private IReadOnlyList<TaskCalibration> CalibrateFixture(string file, params string[] options)
    {
        var path = PathOf(file);
        var result = Run(["calibrate", "--outcomes", Fixture, .. options, "--out", path]);
        Assert.True(result.Code == 0, result.Err);
        return CalibrationFile.Parse(File.ReadAllText(path)).Calibration.Tasks;
    }

    [Fact]
    public void Calibrate_then_evaluate_with_a_plot()
    {
        var json = PathOf("routing.calibration.json");
        var calibrate = Run("calibrate", "--outcomes", Fixture, "--target", "0.95", "--out", json);
        Assert.True(calibrate.Code == 0, calibrate.Err);
        Assert.Contains("mmlu/qwen_oai", calibrate.Out);
        Assert.Contains("gsm8k/llama", calibrate.Out);
        var parsed = CalibrationFile.Parse(File.ReadAllText(json));
        Assert.True(parsed.Success, string.Join("; ", parsed.Errors));
        Assert.Equal(2, parsed.Calibration.Tasks.Count);

        var svg = PathOf("frontier.svg");
        var evaluate = Run("evaluate", "--outcomes", Fixture, "--calibration", json, "--plot", svg);
        Assert.True(evaluate.Code == 0, evaluate.Err);
        Assert.Contains("geometric mean", evaluate.Out);
        Assert.Contains("answered by", evaluate.Out);

        var doc = XDocument.Load(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", doc.Root!.Name);
        Assert.Equal(2, doc.Root.Elements(ns + "g").Count(g => (string?)g.Attribute("class") == "panel")); // one panel per task
        var text = string.Concat(doc.Descendants(ns + "text").Select(t => t.Value));
        Assert.Contains("calibrated plan", text);
        Assert.Contains("single models", text);
        Assert.Contains("gpt-4o-mini", text);
        Assert.DoesNotContain("exception", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("gsm8k/llama", text);
    }

    [Fact]
    public void Calibrate_records_a_bound_by_default_at_the_confidence_asked_and_evaluate_prints_it()
    {
        var tasks = CalibrateFixture("bound-default.json");
        Assert.All(tasks, t => Assert.Equal(0.9, t.Bound!.Confidence));
        Assert.All(CalibrateFixture("bound-0.8.json", "--confidence", "0.8"), t => Assert.Equal(0.8, t.Bound!.Confidence));
        var evaluate = Run("evaluate", "--outcomes", Fixture, "--calibration", PathOf("bound-default.json"));
        Assert.True(evaluate.Code == 0, evaluate.Err);
        Assert.Contains(CliApp.BoundText(tasks[0].Bound), evaluate.Out);
        Assert.Contains($"(90%, {tasks[0].Bound!.Queries} queries)", evaluate.Out);
    }

    [Fact]
    public void Calibrate_with_the_betting_bound_bounds_the_same_plans_closer()
    {
        // 60 queries per task: neither bound certifies a cascade, both keep the best model alone, and the betting bound
        // of that plan is the higher.
        var looser = CalibrateFixture("bound-bernstein.json");
        var closer = CalibrateFixture("bound-betting.json", "--bound", "Betting");
        Assert.Equal(looser.Select(t => string.Join(">", t.Chain)), closer.Select(t => string.Join(">", t.Chain)));
        Assert.All(looser.Zip(closer), p => Assert.True(p.Second.Bound!.RelativeQuality > p.First.Bound!.RelativeQuality,
            $"{p.First.Task}: betting {p.Second.Bound.RelativeQuality}, empirical Bernstein {p.First.Bound.RelativeQuality}"));
        Assert.NotEqual(0, Run("calibrate", "--outcomes", Fixture, "--bound", "Normal", "--out", PathOf("refused.json")).Code);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("-0.1")]
    public void A_confidence_outside_0_to_1_is_refused(string confidence)
    {
        var result = Run("calibrate", "--outcomes", Fixture, "--confidence", confidence, "--out", PathOf("refused.json"));

        Assert.NotEqual(0, result.Code);
        Assert.Contains("--confidence", result.Err);
    }

    [Fact]
    public void Evaluate_cross_validates_without_a_file()
    {
        var result = Run("evaluate", "--outcomes", Fixture, "--cross-validate", "3", "--signals", "Confidence");
        Assert.True(result.Code == 0, result.Err);
        Assert.Contains("3-fold cross-validation", result.Out);
        Assert.Contains("geometric mean", result.Out);
    }

    [Fact]
    public void Limits_prints_the_hindsight_floor_per_level_and_the_oracle()
    {
        var result = Run("limits", "--outcomes", Fixture, "--levels", "0.9,1");
        Assert.True(result.Code == 0, result.Err);
        var lines = result.Out.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("task", StringComparison.Ordinal) && l.Contains("at 0.90×") && l.Contains("at 1.00×") && l.Contains("oracle"));
        var expected = Calibrator.Hindsight(CliApp.LoadOutcomes(new FileInfo(Fixture)), new[] { 0.9, 1.0 }, new CalibratorOptions());
        foreach (var task in expected)
        {
            var row = Assert.Single(lines, l => l.StartsWith(task.Task + " ", StringComparison.Ordinal));
            Assert.Contains(task.Points[0].RelativeCost.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) + "×", row);
            Assert.Contains(task.OracleRelativeCost.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) + "×", row);
        }

        Assert.Contains(lines, l => l.StartsWith("geometric mean", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("0.95,x", "'x' is not a quality level")]
    [InlineData("3", "'3' is not a quality level")]
    [InlineData(",", "give at least one quality level")]
    public void Limits_refuses_bad_levels(string levels, string message)
    {
        var result = Run("limits", "--outcomes", Fixture, "--levels", levels);
        Assert.Equal(1, result.Code);
        Assert.Contains(message, result.Err);
    }

    [Fact]
    public void Evaluate_repeats_the_cross_validation_and_replays_the_thresholds_alone_on_request()
    {
        var result = Run("evaluate", "--outcomes", Fixture, "--cross-validate", "3", "--repeat", "2", "--seed", "4", "--thresholds-only");
        Assert.True(result.Code == 0, result.Err);
        Assert.Contains("run 2 times with fold shuffles (seeds 4–5)", result.Out);
        Assert.Contains("Per run: geometric-mean cost", result.Out);
        Assert.Contains("Replayed on the raw thresholds only", result.Out);

        var misplaced = Run("evaluate", "--outcomes", Fixture, "--calibration", PathOf("none.json"), "--repeat", "2");
        Assert.Equal(1, misplaced.Code);
        Assert.Contains("--repeat goes with --cross-validate", misplaced.Err);
        var zero = Run("evaluate", "--outcomes", Fixture, "--cross-validate", "3", "--repeat", "0");
        Assert.Equal(1, zero.Code);
        Assert.Contains("--repeat needs 1 or more runs", zero.Err);
    }

    [Fact]
    public void Separate_tasks_calibrates_each_task_on_its_own_outcomes()
    {
        // Two tasks on the same two models: a large one and one with 40 outcomes, whose acceptor sharing changes.
        var csv = PathOf("shared.csv");
        using (var writer = File.CreateText(csv))
        {
            OutcomeCsv.Write(writer, Rows(Synthetic.SeparatingConfidence(), "big").Concat(Rows(Synthetic.SeparatingConfidence(40), "small")));
        }

        var tasks = CliApp.LoadOutcomes(new FileInfo(csv));
        var written = new List<string>();
        foreach (var (flag, share) in new[] { (false, true), (true, false) })
        {
            var json = PathOf($"separate-{flag}.json");
            var args = new List<string> { "calibrate", "--outcomes", csv, "--out", json };
            if (flag) args.Add("--separate-tasks");
            var result = Run(args.ToArray());
            Assert.True(result.Code == 0, result.Err);
            var expected = AgreementBaselines.With(Calibrator.Calibrate(tasks, new CalibratorOptions { ShareAcrossTasks = share }), tasks);
            written.Add(File.ReadAllText(json));
            Assert.Equal(CalibrationFileWriter.Write(expected), written[^1]);
        }

        Assert.NotEqual(written[0], written[1]);
    }

    [Fact]
    public void Unstratified_splits_the_queries_into_plain_folds()
    {
        var tasks = CliApp.LoadOutcomes(new FileInfo(Fixture));
        var written = new List<string>();
        foreach (var stratify in new[] { true, false })
        {
            var json = PathOf($"stratified-{stratify}.json");
            // Without the bound (--confidence 0): the fixture's tasks are too small to bound a cascade, and folds would not show.
            // On the tiers' own confidences (--signals Confidence): the folds split the queries the same way for either
            // signal, and the raw thresholds alone are spared the acceptors' cross-fits.
            var args = new List<string> { "calibrate", "--outcomes", Fixture, "--out", json, "--confidence", "0", "--signals", "Confidence" };
            if (!stratify) args.Add("--unstratified");
            var result = Run(args.ToArray());
            Assert.True(result.Code == 0, result.Err);
            written.Add(File.ReadAllText(json));
            var options = new CalibratorOptions { StratifyFolds = stratify, Confidence = null, Signals = CalibrationSignals.Confidence };
            Assert.Equal(CalibrationFileWriter.Write(AgreementBaselines.With(Calibrator.Calibrate(tasks, options), tasks)), written[^1]);
        }

        Assert.NotEqual(written[0], written[1]);
    }

    [Fact]
    public void No_skip_keeps_every_query_on_the_chain_and_the_table_shows_the_skip_level()
    {
        var csv = PathOf("skip.csv");
        using (var writer = File.CreateText(csv))
        {
            OutcomeCsv.Write(writer, Rows(Synthetic.MiddleTierOnlyForDoubt(), "t"));
        }

        var skipping = Run("calibrate", "--outcomes", csv, "--out", PathOf("skip.json"));
        Assert.True(skipping.Code == 0, skipping.Err);
        Assert.Contains("\"skipBelow\"", File.ReadAllText(PathOf("skip.json")));
        var skipLevel = CalibrationFile.Parse(File.ReadAllText(PathOf("skip.json"))).Calibration.Tasks.Single().Acceptors![0].SkipBelow;
        Assert.Contains("skips below", skipping.Out);
        Assert.Contains(skipLevel.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture), skipping.Out);

        // a's lost answers, 20% of the queries, go straight to c.
        var evaluate = Run("evaluate", "--outcomes", csv, "--calibration", PathOf("skip.json"));
        Assert.True(evaluate.Code == 0, evaluate.Err);
        Assert.Contains("(20% straight to the last tier)", evaluate.Out);

        var walking = Run("calibrate", "--outcomes", csv, "--out", PathOf("walk.json"), "--no-skip");
        Assert.True(walking.Code == 0, walking.Err);
        Assert.DoesNotContain("skipBelow", File.ReadAllText(PathOf("walk.json")));
        var tasks = CliApp.LoadOutcomes(new FileInfo(csv));
        Assert.Equal(CalibrationFileWriter.Write(AgreementBaselines.With(Calibrator.Calibrate(tasks, new CalibratorOptions { SkipToLast = false }), tasks)), File.ReadAllText(PathOf("walk.json")));
        // The guardrail's baselines, measured on the same outcomes, one per position but the last.
        Assert.Equal(2, CalibrationFile.Parse(File.ReadAllText(PathOf("walk.json"))).Calibration.Tasks.Single().Agreement!.Count);
    }

    private static IEnumerable<Outcome> Rows(TaskOutcomes data, string task) =>
        data.Queries.SelectMany((q, i) => data.Models.Select((m, j) => new Outcome(task, q, m, data.Correct[i][j], data.Cost[i][j],
            double.IsNaN(data.Confidence[i][j]) ? null : data.Confidence[i][j], data.Answers[i][j])));

    [Fact]
    public void Forecast_prints_the_fit_per_task()
    {
        var result = Run("forecast", "--outcomes", Fixture, "--target", "0.8");
        Assert.True(result.Code == 0, result.Err);
        Assert.Contains("gsm8k/llama: quality ≈", result.Out);
        Assert.Contains("RMSE", result.Out);
        Assert.Contains("cheapest tier expected to reach 0.8", result.Out);
    }

    [Fact]
    public void Try_writes_outcomes_from_the_simulated_tiers_that_calibrate_reads()
    {
        var inputs = PathOf("inputs.txt");
        var expected = PathOf("expected.txt");
        File.WriteAllLines(inputs, Enumerable.Range(1, 40).Select(i => $"customer email number {i}"));
        File.WriteAllLines(expected, Enumerable.Range(1, 40).Select(i => i % 3 == 0 ? "billing" : i % 3 == 1 ? "technical" : "general"));
        var csv = PathOf("outcomes.csv");

        var result = Run("try", "--task", "Desk.ClassifyAsync", "--task-kind", "Classification", "--complexity", "Low",
            "--inputs", inputs, "--expected", expected, "--simulated", "--out", csv);
        Assert.True(result.Code == 0, result.Err);
        var rows = OutcomeCsv.Read(csv);
        Assert.Equal(40 * 4, rows.Count);
        Assert.All(rows, r => Assert.Equal("Desk.ClassifyAsync", r.Task));
        Assert.Equal(new[] { "small", "mid", "frontier", "frontier-thinking" }, rows.Select(r => r.Model).Distinct());
        Assert.All(rows, r => Assert.True(r.CostUsd > 0 && r.Confidence is not null));
        // The exact-match grader scored each answer against its expected line.
        var expectedByQuery = File.ReadAllLines(expected).Select((e, i) => (Id: (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), e)).ToDictionary(p => p.Id, p => p.e);
        Assert.All(rows, r => Assert.Equal(r.Answer == expectedByQuery[r.Query] ? 1 : 0, r.Correct));
        Assert.Contains(rows, r => r.Correct == 0); // the simulation gets some wrong

        var calibrate = Run("calibrate", "--outcomes", csv, "--out", PathOf("cal.json"));
        Assert.True(calibrate.Code == 0, calibrate.Err);

        var judged = Run("try", "--task", "Desk.ClassifyAsync", "--task-kind", "Classification", "--complexity", "Low", "--inputs", inputs, "--expected", expected, "--simulated", "--grader", "judge", "--out", PathOf("judged.csv"));
        Assert.True(judged.Code == 0, judged.Err);
        var judgedRows = OutcomeCsv.Read(PathOf("judged.csv"));
        Assert.Equal(rows.Select(r => r.Correct), judgedRows.Select(r => r.Correct)); // the simulated judge agrees with exact match
    }

    [Fact]
    public void The_loop_try_calibrate_plan_gives_router_scale_thresholds_the_planner_accepts()
    {
        // Outcomes recorded through the runtime carry its 0–1 scores; the calibration must come back on that scale so
        // that the generator can plan with it (a log-probability threshold would make the router accept everything).
        var inputs = PathOf("loop-inputs.txt");
        var expected = PathOf("loop-expected.txt");
        File.WriteAllLines(inputs, Enumerable.Range(1, 150).Select(i => $"customer email number {i}"));
        File.WriteAllLines(expected, Enumerable.Range(1, 150).Select(i => i % 2 == 0 ? "billing" : "technical"));
        Assert.Equal(0, Run("try", "--task", "Desk.ClassifyAsync", "--task-kind", "Classification", "--complexity", "Medium",
            "--inputs", inputs, "--expected", expected, "--simulated", "--out", PathOf("loop.csv")).Code);
        Assert.Equal(0, Run("calibrate", "--outcomes", PathOf("loop.csv"), "--target", "0.95", "--out", PathOf("loop.json")).Code);

        var parsed = CalibrationFile.Parse(File.ReadAllText(PathOf("loop.json")));
        Assert.True(parsed.Success, string.Join("\n", parsed.Errors));
        var task = Assert.Single(parsed.Calibration.Tasks);
        Assert.Equal(ConfidenceScale.Probability, task.Scale);
        Assert.All(task.Thresholds, t => Assert.True(t is >= 0 and <= 1 || t == ConfidenceScales.NeverOnProbabilityScale, $"threshold {t} is off the 0–1 scale"));

        var spec = new RoutingSdk.Planning.TaskSpec("Desk.ClassifyAsync", "ClassifyAsync", TaskKind.Classification, Complexity.Medium) { QualityThreshold = 0.8 };
        var plan = RoutingSdk.Planning.Planner.Plan(spec, RoutingSdk.Planning.TierCatalog.BuiltIn, parsed.Calibration);
        Assert.DoesNotContain(plan.Findings, f => f.Kind == RoutingSdk.Planning.FindingKind.CalibrationMismatch);
        Assert.True(plan.HasCustomThresholds);
        Assert.Equal(task.Chain, plan.Chain);

        // Replaying the same outcomes through the file compares on one scale: the evaluation reproduces the fit.
        var evaluate = Run("evaluate", "--outcomes", PathOf("loop.csv"), "--calibration", PathOf("loop.json"));
        Assert.True(evaluate.Code == 0, evaluate.Err);
    }

    [Fact]
    public void Errors_exit_non_zero_with_a_clear_message()
    {
        var missing = Run("calibrate", "--outcomes", PathOf("nope.csv"));
        Assert.Equal(1, missing.Code);
        Assert.Contains("does not exist", missing.Err);

        File.WriteAllText(PathOf("bad.csv"), "benchmark,query,model,correct,cost_usd\nt,1,m,1,0.1\nt,2,m,maybe,0.1\n");
        var bad = Run("calibrate", "--outcomes", PathOf("bad.csv"), "--out", PathOf("x.json"));
        Assert.Equal(1, bad.Code);
        Assert.Contains("bad.csv: line 3: 'correct' is 'maybe'", bad.Err);
        Assert.False(File.Exists(PathOf("x.json")));

        File.WriteAllText(PathOf("broken.json"), "{\n  \"tasks\": {\n    \"t\": { \"chain\": [\"a\", \"b\"], \"thresholds\": [] }\n  }\n}\n");
        var broken = Run("evaluate", "--outcomes", Fixture, "--calibration", PathOf("broken.json"));
        Assert.Equal(1, broken.Code);
        Assert.Contains("broken.json(3,", broken.Err);
        Assert.Contains("needs 1 thresholds", broken.Err);

        var noOutcomes = Run("evaluate", "--calibration", PathOf("broken.json"));
        Assert.NotEqual(0, noOutcomes.Code);
        Assert.Contains("--outcomes", noOutcomes.Err);

        var target = Run("calibrate", "--outcomes", Fixture, "--target", "1.5", "--out", PathOf("y.json"));
        Assert.Equal(1, target.Code);
        Assert.Contains("outside (0, 1]", target.Err);
    }

    [Theory]
    [InlineData("bench,query,model,correct,cost_usd\nt,1,m,1,0.1\n", "line 1: the header lacks the column benchmark")]
    [InlineData("benchmark,query,model,correct,cost_usd\nt,1,m,1,abc\n", "line 2: 'cost_usd' is 'abc', not a number")]
    [InlineData("", "line 1: the file is empty")]
    [InlineData("benchmark,query,model,correct,cost_usd\n", "the file has a header but no rows")]
    public void A_malformed_outcome_file_is_named_with_its_line_and_no_stack_trace(string csv, string message)
    {
        File.WriteAllText(PathOf("malformed.csv"), csv);
        var result = Run("calibrate", "--outcomes", PathOf("malformed.csv"), "--out", PathOf("m.json"));
        Assert.Equal(1, result.Code);
        Assert.Contains("malformed.csv: " + message, result.Err);
        Assert.DoesNotContain("   at ", result.Err);
        Assert.False(File.Exists(PathOf("m.json")));
    }

    [Fact]
    public void A_write_that_fails_part_way_leaves_the_existing_calibration_file_intact_and_no_temporary_file()
    {
        var json = PathOf("routing.calibration.json");
        const string valid = "{ \"version\": 1, \"tasks\": {} }\n";
        File.WriteAllText(json, valid);

        var failure = Assert.Throws<IOException>(() => CliApp.WriteAtomically(new FileInfo(json), writer =>
        {
            writer.Write("{ \"version\": 1, \"tas");
            writer.Flush();
            throw new IOException("No space left on device");
        }));

        Assert.Equal("No space left on device", failure.Message);
        Assert.Equal(valid, File.ReadAllText(json));
        Assert.Equal(new[] { json }, Directory.GetFiles(_dir));
    }

    [Fact]
    public void Calibrate_over_an_existing_file_replaces_it_whole_and_leaves_no_temporary_file()
    {
        var json = PathOf("routing.calibration.json");
        File.WriteAllText(json, "{ \"version\": 1, \"tasks\": {} }\n");

        var calibrate = Run("calibrate", "--outcomes", Fixture, "--out", json);

        Assert.Equal(0, calibrate.Code);
        Assert.True(CalibrationFile.Parse(File.ReadAllText(json)).Calibration.Tasks.Count > 0);
        Assert.Equal(new[] { json }, Directory.GetFiles(_dir));
    }

    [Fact]
    public void An_output_path_under_a_file_is_refused_in_one_line_before_any_work()
    {
        var notAFolder = PathOf("notes.txt");
        File.WriteAllText(notAFolder, "not a folder");
        var json = Path.Combine(notAFolder, "routing.calibration.json");

        var calibrate = Run("calibrate", "--outcomes", Fixture, "--out", json);

        Assert.Equal(1, calibrate.Code);
        Assert.Equal($"error: --out {json}: {notAFolder} is a file, not a folder", calibrate.Err.TrimEnd());
        Assert.Equal(string.Empty, calibrate.Out);
        Assert.Equal("not a folder", File.ReadAllText(notAFolder));
    }

    [Fact]
    public void Cross_validate_with_more_folds_than_queries_is_refused_before_any_work()
    {
        var result = Run("evaluate", "--outcomes", Fixture, "--cross-validate", "100000");

        Assert.Equal(1, result.Code);
        Assert.Matches(@"^error: --cross-validate 100000 is more folds than the \d+ queries of task '[^']+'; use at most \d+\s*$", result.Err);
        Assert.Equal(string.Empty, result.Out);
    }

    [Fact]
    public void Forecast_with_every_cost_0_says_why_there_is_no_forecast()
    {
        var csv = PathOf("free.csv");
        File.WriteAllText(csv, "benchmark,query,model,correct,cost_usd\nt,q1,small,1,0\nt,q1,big,1,0\nt,q2,small,0,0\nt,q2,big,1,0\n");

        var result = Run("forecast", "--outcomes", csv);

        Assert.Equal(0, result.Code);
        Assert.Contains("t: no forecast: every model's cost is 0 (", result.Out, StringComparison.Ordinal);
        Assert.Contains("record each call's cost_usd", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("USD/call", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void An_outcome_file_with_a_column_named_twice_is_refused_with_the_line_and_both_columns()
    {
        var csv = "benchmark,query,model,correct,cost_usd,correct\nt,q1,small,1,0.1,0\n";

        var failure = Assert.Throws<OutcomeFormatException>(() => OutcomeCsv.Read(new StringReader(csv)));

        Assert.Equal(1, failure.Line);
        Assert.Equal("line 1: column 6 of the header, 'correct', repeats column 4; name each column once", failure.Message);
    }

    [Fact]
    public void Folders_and_missing_output_folders_are_refused_before_any_work()
    {
        var folder = Directory.CreateDirectory(PathOf("a-folder")).FullName;
        var asOutcomes = Run("calibrate", "--outcomes", folder, "--out", PathOf("f.json"));
        Assert.Equal(1, asOutcomes.Code);
        Assert.Contains($"outcome file {folder} is a folder, not a file", asOutcomes.Err);

        var asOut = Run("calibrate", "--outcomes", Fixture, "--out", folder);
        Assert.Equal(1, asOut.Code);
        Assert.Contains($"--out {folder} is a folder; give a file name", asOut.Err);
        Assert.Equal(string.Empty, asOut.Out);

        var plot = Path.Combine(_dir, "no-such-folder", "frontier.svg");
        var missingFolder = Run("evaluate", "--outcomes", Fixture, "--cross-validate", "3", "--plot", plot);
        Assert.Equal(1, missingFolder.Code);
        Assert.Contains($"--plot {plot}: the folder {Path.Combine(_dir, "no-such-folder")} does not exist", missingFolder.Err);
        Assert.Equal(string.Empty, missingFolder.Out); // refused before the cross-validation ran

        File.WriteAllText(PathOf("in.txt"), "x\n");
        var tryOut = Run("try", "--task-kind", "Classification", "--inputs", PathOf("in.txt"), "--expected", PathOf("in.txt"), "--simulated", "--out", folder);
        Assert.Equal(1, tryOut.Code);
        Assert.Contains($"--out {folder} is a folder; give a file name", tryOut.Err);
    }

    [Fact]
    public void An_unknown_option_or_a_calibration_for_other_outcomes_fails_with_a_message()
    {
        var unknown = Run("calibrate", "--outcomes", Fixture, "--bogus");
        Assert.Equal(1, unknown.Code);
        Assert.Contains("'--bogus'", unknown.Err);

        // A calibration whose tasks are not in the outcome file, and one whose chain names a model the file lacks.
        File.WriteAllText(PathOf("other.json"), "{ \"tasks\": { \"Other.Task\": { \"chain\": [\"small\"], \"thresholds\": [] } } }");
        var other = Run("evaluate", "--outcomes", Fixture, "--calibration", PathOf("other.json"));
        Assert.Equal(1, other.Code);
        Assert.Contains("no outcomes for task(s) Other.Task", other.Err);
        Assert.Contains("no task of the calibration has outcomes in the file", other.Err);

        File.WriteAllText(PathOf("model.json"), "{ \"tasks\": { \"gsm8k/llama\": { \"chain\": [\"small\"], \"thresholds\": [] } } }");
        var model = Run("evaluate", "--outcomes", Fixture, "--calibration", PathOf("model.json"));
        Assert.Equal(1, model.Code);
        Assert.Contains("names model 'small', which has no outcomes in the data", model.Err);
        Assert.DoesNotContain("   at ", model.Err);
    }

    [Fact]
    public void Help_lists_the_commands()
    {
        var root = Run("--help");
        Assert.Equal(0, root.Code);
        foreach (var command in new[] { "calibrate", "evaluate", "forecast", "limits", "try" }) Assert.Contains(command, root.Out);
        var calibrate = Run("calibrate", "--help");
        Assert.Equal(0, calibrate.Code);
        Assert.Contains("--outcomes", calibrate.Out);
        Assert.Contains("--target", calibrate.Out);
    }
}
