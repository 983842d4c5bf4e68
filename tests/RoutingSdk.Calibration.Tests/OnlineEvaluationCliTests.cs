using RoutingSdk.Calibration;
using RoutingSdk.Cli;
using RoutingSdk.Planning.Calibration;
using static RoutingSdk.Calibration.Tests.CliRunner;

namespace RoutingSdk.Calibration.Tests;

/// <summary><c>routing evaluate --online</c>: the replay with the shadow guardrail, next to the static one.</summary>
public sealed class OnlineEvaluationCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("routing-online-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Fixture => RealData.Fixture("outcomes-small.csv");

    [Fact]
    public void Online_evaluation_prints_static_and_online_figures_per_task()
    {
        var json = Path.Combine(_dir, "routing.calibration.json");
        Assert.Equal(0, Run("calibrate", "--outcomes", Fixture, "--target", "0.95", "--out", json).Code);

        var result = Run("evaluate", "--outcomes", Fixture, "--calibration", json, "--online", "--shadow-rate", "0.05");

        Assert.True(result.Code == 0, result.Err);
        Assert.Contains("Online replay in file order with the shadow guardrail: 5 %", result.Out);
        Assert.Contains("online quality", result.Out);
        var rows = result.Out.Split('\n').Where(l => l.StartsWith("mmlu/qwen_oai", StringComparison.Ordinal) || l.StartsWith("gsm8k/llama", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, rows.Length);
        foreach (var row in rows)
        {
            // Too few comparisons for the guardrail to act: the online quality is the static one.
            var cells = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(cells[2], cells[4]);
            Assert.Equal("0", cells[^1]);   // tightened
        }
    }

    [Fact]
    public void Compare_by_correctness_records_and_replays_the_baselines_as_a_judge_would_compare()
    {
        var json = Path.Combine(_dir, "judge.calibration.json");
        // Without the bound (--confidence 0): the fixture's tasks are too small to bound a cascade, and would all be one tier.
        Assert.Equal(0, Run("calibrate", "--outcomes", Fixture, "--target", "0.95", "--out", json, "--confidence", "0", "--compare-by-correctness").Code);
        var tasks = CliApp.LoadOutcomes(new FileInfo(Fixture));
        var guarded = CalibrationFile.Parse(File.ReadAllText(json)).Calibration.Tasks.Where(t => t.Chain.Count > 1).ToArray();

        Assert.NotEmpty(guarded);
        foreach (var plan in guarded)
        {
            var data = tasks.Single(t => t.Task == plan.Task);
            Assert.Equal(AgreementBaselines.Measure(plan, data, byCorrectness: true), plan.Agreement!);
        }

        // Free text (gsm8k's worked answers) never matches word for word: only the judge's comparison sees agreement.
        Assert.Contains(guarded, plan => !AgreementBaselines.Measure(plan, tasks.Single(t => t.Task == plan.Task)).SequenceEqual(plan.Agreement!));
        var result = Run("evaluate", "--outcomes", Fixture, "--calibration", json, "--online", "--compare-by-correctness");
        Assert.True(result.Code == 0, result.Err);
        Assert.Contains("online quality", result.Out);
    }

    [Fact]
    public void Online_evaluation_needs_a_calibration_and_a_rate_in_range()
    {
        var noFile = Run("evaluate", "--outcomes", Fixture, "--online");
        Assert.NotEqual(0, noFile.Code);
        Assert.Contains("--online replays a calibration: give --calibration", noFile.Err);

        var json = Path.Combine(_dir, "c.json");
        Assert.Equal(0, Run("calibrate", "--outcomes", Fixture, "--target", "0.95", "--out", json).Code);
        var badRate = Run("evaluate", "--outcomes", Fixture, "--calibration", json, "--online", "--shadow-rate", "-0.5");
        Assert.NotEqual(0, badRate.Code);
        Assert.Contains("--shadow-rate -0.5 is outside [0, 1]", badRate.Err);
        var badSampleRate = Run("evaluate", "--outcomes", Fixture, "--calibration", json, "--online", "--calibration-rate", "2");
        Assert.NotEqual(0, badSampleRate.Code);
        Assert.Contains("--calibration-rate 2 is outside [0, 1]", badSampleRate.Err);
    }
}
