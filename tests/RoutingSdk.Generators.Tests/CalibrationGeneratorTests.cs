using Microsoft.CodeAnalysis;
using Xunit;

namespace RoutingSdk.Generators.Tests;

/// <summary>A routing.calibration.json AdditionalFiles item replaces the built-in figures in the routing table for the tasks it names.</summary>
public sealed class CalibrationGeneratorTests
{
    // ClassifyAsync is calibrated onto small -> frontier (skipping mid) with a measured acceptance threshold; ReviewClauseAsync is not named.
    private const string Calibration = """
        {
          "version": 1,
          "tasks": {
            "SupportDesk.ClassifyAsync": {
              "chain": ["small", "frontier"],
              "thresholds": [0.72],
              "reach": [1, 0.2],
              "expectedQuality": 0.93,
              "models": {
                "small":    { "quality": 0.9, "costUsd": 0.0001 },
                "frontier": { "quality": 0.95, "costUsd": 0.005 }
              }
            }
          }
        }
        """;

    [Fact]
    public void Calibrated_tasks_get_the_measured_chain_and_thresholds_in_the_routing_table()
    {
        var (result, output) = GeneratorHarness.RunWithCalibration(Calibration, GeneratorSnapshotTests.SupportDesk);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompilerProblems(output));
        Snapshot.Verify(result);
    }

    [Fact]
    public void A_calibration_file_is_parsed_once_per_content_not_once_per_read()
    {
        var first = RoutingSdk.Generators.Model.CalibrationModel.Read(new GeneratorHarness.InMemoryText("/a/routing.calibration.json", Calibration), default);
        // Another read of the same content (a new SourceText, as a host may hand out on the next compilation).
        var again = RoutingSdk.Generators.Model.CalibrationModel.Read(new GeneratorHarness.InMemoryText("/a/routing.calibration.json", Calibration), default);
        var changed = RoutingSdk.Generators.Model.CalibrationModel.Read(new GeneratorHarness.InMemoryText("/a/routing.calibration.json", Calibration.Replace("0.72", "0.73")), default);

        Assert.NotNull(first.Calibration);
        Assert.Same(first.Calibration, again.Calibration);
        Assert.NotSame(first.Calibration, changed.Calibration);
        Assert.Equal(0.73, changed.Calibration!.Find("SupportDesk.ClassifyAsync")!.Thresholds[0]);
    }

    [Fact]
    public void A_calibration_file_above_5_MB_is_not_read()
    {
        var large = Calibration.Replace("\"version\": 1,", "\"version\": 1, \"padding\": \"" + new string('x', 5 * 1024 * 1024) + "\",");
        var problems = new List<Diagnostic>();

        var model = RoutingSdk.Generators.Model.CalibrationModel.Read(new GeneratorHarness.InMemoryText("/a/routing.calibration.json", large), default, problems);

        Assert.Null(model.Calibration);
        var problem = Assert.Single(problems);
        Assert.Equal("RSDK0008", problem.Id);
        Assert.Contains("above the 5 MB limit", problem.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void Calibration_appears_in_RoutingTable_All_at_run_time()
    {
        var (_, output) = GeneratorHarness.RunWithCalibration(Calibration, GeneratorSnapshotTests.SupportDesk);
        var table = output.SyntaxTrees.Single(t => t.FilePath.EndsWith("RoutingSdk.RoutingTable.g.cs", StringComparison.Ordinal)).ToString();

        // The chain, the threshold and the projected quality, positional; the calibrated thresholds by name.
        Assert.Contains("new[] { \"small\", \"frontier\" }, 0.85, 0.93, ", table);
        Assert.Contains("acceptanceThresholds: new double[] { 0.72, 0 }", table);
    }

    // The same task with a calibrated acceptance model at its start tier (3 weights: confidence, doubt, output length).
    private const string CalibrationWithAcceptors = """
        {
          "version": 1,
          "tasks": {
            "SupportDesk.ClassifyAsync": {
              "chain": ["small", "frontier"],
              "confidenceScale": "probability",
              "thresholds": [0.72],
              "acceptors": [ { "bias": 1.25, "weights": [4.5, -0.125, -0.5], "minProbability": 0.8 } ],
              "reach": [1, 0.25],
              "expectedQuality": 0.94,
              "models": {
                "small":    { "quality": 0.9, "costUsd": 0.0001 },
                "frontier": { "quality": 0.95, "costUsd": 0.005 }
              }
            }
          }
        }
        """;

    [Fact]
    public void Calibrated_acceptors_reach_the_routing_table()
    {
        var (result, output) = GeneratorHarness.RunWithCalibration(CalibrationWithAcceptors, GeneratorSnapshotTests.SupportDesk);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompilerProblems(output));
        var table = output.SyntaxTrees.Single(t => t.FilePath.EndsWith("RoutingSdk.RoutingTable.g.cs", StringComparison.Ordinal)).ToString();
        Assert.Contains("acceptors: new global::RoutingSdk.Planning.Calibration.Acceptor[] { new global::RoutingSdk.Planning.Calibration.Acceptor(1.25, new double[] { 4.5, -0.125, -0.5 }, 0.8) }", table);
        Assert.Contains(" }, 0.85, 0.94, ", table);
        Snapshot.Verify(result);
    }

    [Fact]
    public void Recorded_agreement_baselines_reach_the_routing_table_and_the_run_time_plan()
    {
        var withBaselines = CalibrationWithSkipLevel.Replace("\"reach\": [1, 0.2, 0.1],", "\"agreement\": [0.875, null],\n      \"reach\": [1, 0.2, 0.1],", StringComparison.Ordinal);
        var (result, output) = GeneratorHarness.RunWithCalibration(withBaselines, GeneratorSnapshotTests.SupportDesk);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompilerProblems(output));
        var table = output.SyntaxTrees.Single(t => t.FilePath.EndsWith("RoutingSdk.RoutingTable.g.cs", StringComparison.Ordinal)).ToString();
        Assert.Contains("agreementBaselines: new double[] { 0.875, global::System.Double.NaN });", table);

        // Without the member the table is as before: no baselines, each position learns its own online.
        var (_, plain) = GeneratorHarness.RunWithCalibration(CalibrationWithSkipLevel, GeneratorSnapshotTests.SupportDesk);
        Assert.DoesNotContain("agreementBaselines", plain.SyntaxTrees.Single(t => t.FilePath.EndsWith("RoutingSdk.RoutingTable.g.cs", StringComparison.Ordinal)).ToString());
    }

    // small -> mid -> frontier: the start tier's acceptor sends an answer it trusts below 0.3 straight to frontier; mid's never skips.
    private const string CalibrationWithSkipLevel = """
        {
          "version": 1,
          "tasks": {
            "SupportDesk.ClassifyAsync": {
              "chain": ["small", "mid", "frontier"],
              "confidenceScale": "probability",
              "thresholds": [0.72, 0.6],
              "acceptors": [
                { "bias": 1.25, "weights": [4.5, -0.125, -0.5], "minProbability": 0.8, "skipBelow": 0.3 },
                { "bias": 0.5, "weights": [2, -0.25, 0, 1, 0.5, -0.5], "minProbability": 0.85 }
              ],
              "reach": [1, 0.2, 0.1],
              "expectedQuality": 0.94,
              "models": {
                "small":    { "quality": 0.9, "costUsd": 0.0001 },
                "mid":      { "quality": 0.92, "costUsd": 0.0008 },
                "frontier": { "quality": 0.95, "costUsd": 0.005 }
              }
            }
          }
        }
        """;

    [Fact]
    public void Calibrated_skip_levels_reach_the_routing_table()
    {
        var (result, output) = GeneratorHarness.RunWithCalibration(CalibrationWithSkipLevel, GeneratorSnapshotTests.SupportDesk);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompilerProblems(output));
        var table = output.SyntaxTrees.Single(t => t.FilePath.EndsWith("RoutingSdk.RoutingTable.g.cs", StringComparison.Ordinal)).ToString();
        Assert.Contains("new global::RoutingSdk.Planning.Calibration.Acceptor(1.25, new double[] { 4.5, -0.125, -0.5 }, 0.8, 0.3)", table);
        Assert.Contains("new global::RoutingSdk.Planning.Calibration.Acceptor(0.5, new double[] { 2, -0.25, 0, 1, 0.5, -0.5 }, 0.85)", table);
        Snapshot.Verify(result);
    }

    [Fact]
    public void A_changed_skip_level_plans_and_emits_again()
    {
        var compilation = GeneratorHarness.Compile(GeneratorSnapshotTests.SupportDesk);
        var file = new GeneratorHarness.InMemoryText("/project/routing.calibration.json", CalibrationWithSkipLevel);
        var changed = new GeneratorHarness.InMemoryText(file.Path, CalibrationWithSkipLevel.Replace("\"skipBelow\": 0.3", "\"skipBelow\": 0.4", StringComparison.Ordinal));
        var driver = GeneratorHarness.CreateDriver(true, file).RunGenerators(compilation);
        driver = driver.ReplaceAdditionalText(file, changed).RunGenerators(compilation);

        var run = driver.GetRunResult();
        var steps = run.Results.Single().TrackedSteps;
        Assert.All(steps[TrackingNames.Calibration].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Modified, o.Reason));
        Assert.Contains(steps[TrackingNames.Planned].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        var table = run.Results.Single().GeneratedSources.Single(s => s.HintName == "RoutingSdk.RoutingTable.g.cs").SourceText.ToString();
        Assert.Contains("new double[] { 4.5, -0.125, -0.5 }, 0.8, 0.4)", table);
    }

    [Fact]
    public void Malformed_file_leaves_the_built_in_plans_and_the_generator_reports_nothing()
    {
        var (plain, _) = GeneratorHarness.Run(GeneratorSnapshotTests.SupportDesk);
        var (broken, output) = GeneratorHarness.RunWithCalibration("{ \"tasks\": { \"SupportDesk.ClassifyAsync\": ", GeneratorSnapshotTests.SupportDesk);

        Assert.Empty(broken.Diagnostics);
        Assert.Empty(GeneratorHarness.CompilerProblems(output));
        Assert.Equal(Texts(plain), Texts(broken));
    }

    [Fact]
    public void An_unchanged_calibration_file_keeps_every_plan_cached()
    {
        var compilation = GeneratorHarness.Compile(GeneratorSnapshotTests.SupportDesk);
        var file = new GeneratorHarness.InMemoryText("/project/routing.calibration.json", Calibration);
        var driver = GeneratorHarness.CreateDriver(true, file).RunGenerators(compilation);
        driver = driver.RunGenerators(compilation.AddSyntaxTrees(Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("// an edit elsewhere", path: "Other.cs")));

        var steps = driver.GetRunResult().Results.Single().TrackedSteps;
        Assert.All(steps[TrackingNames.Calibration].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.All(steps[TrackingNames.Planned].SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }

    private static string[] Texts(GeneratorDriverRunResult result)
        => result.Results.SelectMany(r => r.GeneratedSources).OrderBy(s => s.HintName, StringComparer.Ordinal).Select(s => s.SourceText.ToString()).ToArray();
}
