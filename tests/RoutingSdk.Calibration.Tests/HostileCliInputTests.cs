using System.Globalization;
using System.Text;
using static RoutingSdk.Calibration.Tests.CliRunner;

namespace RoutingSdk.Calibration.Tests;

/// <summary>
/// The <c>routing</c> options as a new user or a hostile file gives them: every bad value is refused with a line that
/// names the option, and no option is accepted only to be ignored.
/// </summary>
public sealed class HostileCliInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("routing-hostile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    /// <summary>
    /// One task 't' of <paramref name="queries"/> queries on two models: 'small' (right on two queries in three, sure when
    /// right) and 'large' (right on nine in ten), at <paramref name="largeCost"/> USD per call.
    /// </summary>
    private string Outcomes(int queries, double largeCost = 0.01)
    {
        var csv = new StringBuilder("benchmark,query,model,correct,cost_usd,confidence\n");
        for (var q = 0; q < queries; q++)
        {
            var small = q % 3 != 0 ? 1 : 0;
            csv.Append(CultureInfo.InvariantCulture, $"t,q{q},small,{small},0.001,{(small == 1 ? 0.9 : 0.3)}\n");
            csv.Append(CultureInfo.InvariantCulture, $"t,q{q},large,{(q % 10 != 0 ? 1 : 0)},{largeCost},0.8\n");
        }

        var path = PathOf($"outcomes-{queries}-{largeCost.ToString(CultureInfo.InvariantCulture)}.csv");
        File.WriteAllText(path, csv.ToString());
        return path;
    }

    /// <summary>A hand-written calibration of task 't': small, then large when small's confidence is below 0.5.</summary>
    private string Calibration(string extra = "")
    {
        var path = PathOf("cascade.calibration.json");
        File.WriteAllText(path, "{ \"version\": 1, \"tasks\": { \"t\": { \"chain\": [\"small\", \"large\"], \"thresholds\": [0.5], \"confidenceScale\": \"probability\"" + extra + " } } }");
        return path;
    }

    [Fact]
    public void Decimals_are_read_with_a_point_on_a_machine_whose_culture_writes_them_with_a_comma()
    {
        var csv = Outcomes(30);
        var culture = CultureInfo.CurrentCulture;
        (int Code, string Out, string Err) result;
        try
        {
            // de-DE reads "0.9" as 9 (the point groups thousands there): the docs' and the help's numbers must mean the same everywhere.
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            result = Run("forecast", "--outcomes", csv, "--target", "0.9");
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }

        Assert.True(result.Code == 0, result.Err);
        Assert.Contains("reach 0.9", result.Out);
    }

    [Theory]
    [InlineData("--holdout", "0,3")]
    [InlineData("--holdout", "1,5")]
    [InlineData("--shadow-cap", "0,05")]
    [InlineData("--calibration-cap", "0,05")]
    [InlineData("--target", "0,95")]
    public void A_decimal_comma_is_refused_naming_the_option_and_the_text_given(string option, string value)
    {
        // In the invariant culture the comma groups thousands: "0,05" was read as 5 (a 500 % cap, accepted), "1,5" as 15.
        var online = option.Contains("cap", StringComparison.Ordinal);
        var result = online
            ? Run("evaluate", "--outcomes", Outcomes(30), "--calibration", Calibration(), "--online", option, value)
            : Run("calibrate", "--outcomes", Outcomes(30), "--out", PathOf("out.json"), option, value);

        Assert.Equal(1, result.Code);
        Assert.Contains(option, result.Err);
        Assert.Contains($"'{value}'", result.Err);
        Assert.False(File.Exists(PathOf("out.json")));
    }

    [Theory]
    [InlineData("--shadow-cap", "NaN")]
    [InlineData("--shadow-cap", "-0.5")]
    [InlineData("--shadow-cap", "5")]
    [InlineData("--shadow-cap", "Infinity")]
    [InlineData("--calibration-cap", "NaN")]
    [InlineData("--calibration-cap", "-1")]
    [InlineData("--calibration-cap", "1.5")]
    public void A_spending_cap_outside_0_to_1_is_refused(string option, string value)
    {
        // NaN and negative caps silently stopped every shadow call; the router's ShadowOptions refuses them.
        var result = Run("evaluate", "--outcomes", Outcomes(30), "--calibration", Calibration(), "--online", option, value);

        Assert.Equal(1, result.Code);
        Assert.Contains($"{option} {value} is outside [0, 1]", result.Err);
        Assert.DoesNotContain("Online replay", result.Out);
    }

    [Theory]
    [InlineData("calibrate", "--holdout", "-0.0001")]
    [InlineData("calibrate", "--confidence", "1.0000001")]
    [InlineData("calibrate", "--target", "1.0000001")]
    [InlineData("evaluate", "--shadow-cap", "-0.0001")]
    [InlineData("evaluate", "--calibration-rate", "1.0000001")]
    public void A_value_just_outside_its_range_is_echoed_as_given_not_rounded_into_it(string command, string option, string value)
    {
        // Rounded to three decimals, -0.0001 read "-0" and 1.0000001 read "1": a message that refused a value it showed as valid.
        var result = command == "calibrate"
            ? Run("calibrate", "--outcomes", Outcomes(30), "--out", PathOf("out.json"), option, value)
            : Run("evaluate", "--outcomes", Outcomes(30), "--calibration", Calibration(), "--online", option, value);

        Assert.Equal(1, result.Code);
        Assert.Contains($"{option} {value} is outside", result.Err);
    }

    [Theory]
    [InlineData("--required-agreement", "2")]
    [InlineData("--required-agreement", "NaN")]
    [InlineData("--shadow-window", "0")]
    [InlineData("--shadow-min-samples", "0")]
    [InlineData("--shadow-min-samples", "501")]
    public void A_bad_guardrail_setting_is_refused_naming_the_option_not_a_parameter(string option, string value)
    {
        var result = Run("evaluate", "--outcomes", Outcomes(30), "--calibration", Calibration(), "--online", option, value);

        Assert.Equal(1, result.Code);
        Assert.Contains(option, result.Err);
        Assert.DoesNotContain("(Parameter", result.Err);
    }

    [Theory]
    [InlineData("--cross-validate", "--online", "--cross-validate", "3")]
    [InlineData("--repeat", "--online", "--repeat", "2")]
    [InlineData("--plot", "--online", "--plot", "ignored.svg")]
    [InlineData("--holdout", "--online", "--holdout", "0.5")]
    [InlineData("--holdout", "--holdout", "0.5")]
    [InlineData("--bound", "--bound", "Betting")]
    [InlineData("--confidence", "--confidence", "0.5")]
    [InlineData("--signals", "--signals", "Confidence")]
    [InlineData("--seed", "--seed", "7")]
    [InlineData("--shadow-rate", "--shadow-rate", "0.5")]
    [InlineData("--calibration-rate", "--calibration-rate", "0.1")]
    [InlineData("--calibration-cap", "--calibration-cap", "0.1")]
    [InlineData("--required-agreement", "--required-agreement", "0.9")]
    [InlineData("--shadow-window", "--shadow-window", "100")]
    [InlineData("--compare-by-correctness", "--compare-by-correctness")]
    public void An_option_the_replay_would_ignore_is_refused(string ignored, params string[] options)
    {
        // Replaying a file runs its plans as written: fitting options shape a calibration (with --cross-validate), and the
        // guardrail's options shape the online replay only; --online prints no plot and runs once.
        var result = Run(["evaluate", "--outcomes", Outcomes(30), "--calibration", Calibration(), .. options]);

        Assert.Equal(1, result.Code);
        Assert.Contains(ignored, result.Err);
        Assert.Equal(string.Empty, result.Out);
    }

    [Theory]
    [InlineData("--bound", "7")]
    [InlineData("--bound", "-1")]
    [InlineData("--bound", "1")]
    [InlineData("--bound", "Betting,EmpiricalBernstein")]
    [InlineData("--signals", "9")]
    public void A_choice_is_one_of_its_names_not_a_number_or_a_combination(string option, string value)
    {
        // The enum parser took any number (7: an unknown method, run as the default) and flag combinations.
        var result = Run("calibrate", "--outcomes", Outcomes(30), "--out", PathOf("out.json"), option, value);

        Assert.Equal(1, result.Code);
        Assert.Contains(option, result.Err);
        Assert.Contains(option == "--bound" ? "EmpiricalBernstein, Betting" : "Confidence, Combined", result.Err);
        Assert.False(File.Exists(PathOf("out.json")));
    }

    [Fact]
    public void A_choice_is_read_whatever_its_case()
    {
        var result = Run("calibrate", "--outcomes", Outcomes(30), "--out", PathOf("out.json"), "--bound", "betting", "--signals", "confidence");

        Assert.True(result.Code == 0, result.Err);
        Assert.Contains("signals Confidence", result.Out);
    }

    [Fact]
    public void A_task_too_small_for_the_holdout_share_is_named_with_what_its_plan_and_bound_are_instead()
    {
        // 12 queries at 0.3: 3 set aside, fewer than a bound is computed on; the plan falls back to the best model alone.
        var result = Run("calibrate", "--outcomes", Outcomes(12), "--out", PathOf("out.json"), "--holdout", "0.3");

        Assert.True(result.Code == 0, result.Err);
        Assert.Contains("task 't'", result.Err);
        Assert.Contains("--holdout 0.3 would set aside 3 of its 12 queries", result.Err);
        Assert.Contains("best single model", result.Err);
    }

    [Fact]
    public void A_task_large_enough_for_the_holdout_share_gets_no_warning()
    {
        var result = Run("calibrate", "--outcomes", Outcomes(60), "--out", PathOf("out.json"), "--holdout", "0.3");

        Assert.True(result.Code == 0, result.Err);
        Assert.DoesNotContain("--holdout", result.Err);
    }

    [Theory]
    [InlineData(12, 0.3, false)]
    [InlineData(33, 0.3, false)]
    [InlineData(34, 0.3, true)]
    [InlineData(20, 0.5, true)]
    [InlineData(19, 0.5, false)]
    [InlineData(1000, 0.01, true)]
    [InlineData(200, 0.999, false)]
    public void The_holdout_warning_counts_the_queries_the_split_sets_aside(int queries, double share, bool enough)
    {
        var (fit, held) = Calibrator.Split(queries, share, seed: 1, strata: null);

        var split = Calibrator.HoldoutSplitOf(queries, share, new CalibratorOptions { Holdout = share });

        Assert.Equal(held.Length, split.HeldOut);
        Assert.Equal(fit.Length, split.Fit);
        Assert.Equal(enough, split.Enough);
    }

    [Fact]
    public void Cross_validation_with_a_holdout_names_a_task_whose_folds_are_too_small_for_it()
    {
        // 5 folds of 20 queries fit on 16: 4 set aside.
        var result = Run("evaluate", "--outcomes", Outcomes(20), "--cross-validate", "5", "--holdout", "0.3");

        Assert.True(result.Code == 0, result.Err);
        Assert.Contains("--holdout 0.3 would set aside 4 of the 16 queries a cross-validation fold fits on", result.Err);
    }

    [Fact]
    public void Costs_relative_to_a_best_model_that_costs_nothing_are_not_printed_as_infinite()
    {
        var csv = Outcomes(40, largeCost: 0);

        var replay = Run("evaluate", "--outcomes", csv, "--calibration", Calibration());
        var online = Run("evaluate", "--outcomes", csv, "--calibration", Calibration(), "--online");

        foreach (var result in new[] { replay, online })
        {
            Assert.True(result.Code == 0, result.Err);
            Assert.DoesNotContain("Infinity", result.Out);
            Assert.DoesNotContain("∞", result.Out);
            Assert.Contains("task 't': its best model, large, costs nothing", result.Err);
        }
    }

    [Fact]
    public void The_limits_of_a_task_whose_best_model_costs_nothing_say_so_and_print_no_number_for_its_costs()
    {
        var result = Run("limits", "--outcomes", Outcomes(40, largeCost: 0));

        Assert.True(result.Code == 0, result.Err);
        Assert.DoesNotContain("Infinity", result.Out);
        Assert.DoesNotContain("NaN", result.Out);
        Assert.Contains("task 't': its best model, large, costs nothing", result.Err);
        Assert.Contains("or (for a task named on stderr) its best model costs nothing", result.Out);
    }

    [Theory]
    [InlineData("calibrate", "--out", "outcomes")]
    [InlineData("evaluate", "--plot", "outcomes")]
    [InlineData("evaluate", "--plot", "calibration")]
    public void An_output_that_is_one_of_the_inputs_is_refused_and_the_input_kept(string command, string output, string input)
    {
        var csv = Outcomes(30);
        var json = Calibration();
        var target = input == "outcomes" ? csv : json;
        var before = File.ReadAllText(target);

        // A new user's slip: --out routing.csv, the outcome file, replaced it with the calibration JSON (with a warning only).
        var result = command == "calibrate"
            ? Run("calibrate", "--outcomes", csv, output, target)
            : Run("evaluate", "--outcomes", csv, "--calibration", json, output, target);

        Assert.Equal(1, result.Code);
        Assert.Contains($"{output} {target} is the file --{input} reads", result.Err);
        Assert.Equal(before, File.ReadAllText(target));
    }

    [Fact]
    public void A_cost_too_large_to_add_up_is_refused_naming_its_line()
    {
        // 1e308 per call is a finite number, but its sums are not: the calibration written held "Infinity", which its own reader refused.
        var csv = PathOf("huge.csv");
        File.WriteAllText(csv, "benchmark,query,model,correct,cost_usd\nt,q0,small,1,0.001\nt,q0,large,1,1e308\n");

        var result = Run("calibrate", "--outcomes", csv, "--out", PathOf("out.json"));

        Assert.Equal(1, result.Code);
        Assert.Contains("line 3: 'cost_usd' is 1e308, above", result.Err);
        Assert.False(File.Exists(PathOf("out.json")));
    }

    [Fact]
    public void A_task_no_model_got_right_is_named_as_one_whose_relative_figures_say_nothing()
    {
        // A grading that failed: every 'correct' 0. The replay printed quality 1.000× (0/0) at the dearest model's cost, and said nothing.
        var csv = PathOf("ungraded.csv");
        File.WriteAllText(csv, "benchmark,query,model,correct,cost_usd\n" + string.Concat(Enumerable.Range(0, 20).Select(q => $"t,q{q},small,0,0.001\nt,q{q},large,0,0.01\n")));

        var calibrate = Run("calibrate", "--outcomes", csv, "--out", PathOf("ungraded.json"));
        var evaluate = Run("evaluate", "--outcomes", csv, "--calibration", PathOf("ungraded.json"));

        foreach (var result in new[] { calibrate, evaluate })
        {
            Assert.True(result.Code == 0, result.Err);
            Assert.Contains("no model got any of the 20 queries of task 't' right", result.Err);
        }
    }

    [Fact]
    public void A_task_some_model_got_right_once_gets_no_such_warning()
    {
        var result = Run("evaluate", "--outcomes", Outcomes(30), "--calibration", Calibration());

        Assert.True(result.Code == 0, result.Err);
        Assert.DoesNotContain("no model got any", result.Err);
    }

    [Fact]
    public void A_calibration_file_claiming_more_bound_queries_than_a_count_holds_is_refused()
    {
        var file = Calibration(", \"qualityBound\": 0.96, \"boundConfidence\": 0.9, \"boundQueries\": 1e20");

        var result = Run("evaluate", "--outcomes", Outcomes(30), "--calibration", file);

        Assert.Equal(1, result.Code);
        Assert.Contains("\"boundQueries\" of 't'", result.Err);
    }
}
