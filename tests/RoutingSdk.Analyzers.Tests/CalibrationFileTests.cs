using RoutingSdk.Generators;

namespace RoutingSdk.Analyzers.Tests;

/// <summary>
/// RSDK0008 and plans from measured figures: a <c>routing.calibration.json</c> AdditionalFiles item replaces the
/// built-in figures for the tasks it names; a malformed file or an entry that does not fit is reported, never thrown.
/// </summary>
public sealed class CalibrationFileTests
{
    private const string Task = """
        public partial class C(TaskRouter router)
        {
            [RoutedTask(TaskKind.Classification, Complexity.Low, QualityThreshold = 0.8)]
            public partial Task<string> {|#0:Run|}(string x);
        }
        """;

    private static Task RunAsync(string source, string calibration, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest(source);
        test.TestState.AdditionalFiles.Add(("/config/routing.calibration.json", calibration));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    [Fact]
    public Task A_fitting_calibration_is_not_RSDK0008()
        => RunAsync(Task.Replace("{|#0:Run|}", "Run"), """
            { "tasks": { "C.Run": { "chain": ["small", "mid"], "thresholds": [0.9],
              "models": { "small": { "quality": 0.86, "costUsd": 0.0001 }, "mid": { "quality": 0.93, "costUsd": 0.001 } } } } }
            """);

    [Fact]
    public Task A_file_above_5_MB_is_RSDK0008_and_not_read()
    {
        // Valid JSON of 6 MB (a long string member): too large to be read, whatever it holds.
        var large = "{ \"tasks\": {}, \"padding\": \"" + new string('x', 6 * 1024 * 1024) + "\" }";
        return RunAsync(Task.Replace("{|#0:Run|}", "Run"), large,
            new DiagnosticResult("RSDK0008", DiagnosticSeverity.Warning)
                .WithSpan("/config/routing.calibration.json", 1, 1, 1, 1)
                .WithMessage("routing.calibration.json: the file is 6.0 MB, above the 5 MB limit for a calibration file, and is not read; the tasks it cannot describe keep the built-in figures"));
    }

    [Fact]
    public Task Malformed_json_is_RSDK0008_at_its_line_and_column_in_the_file()
        => RunAsync(Task.Replace("{|#0:Run|}", "Run"), """
            { "tasks": {
                "C.Run": { "chain": ["small", "mid"] "thresholds": [0.9] }
            } }
            """,
            new DiagnosticResult("RSDK0008", DiagnosticSeverity.Warning)
                .WithSpan("/config/routing.calibration.json", 2, 42, 2, 63)
                .WithMessage("routing.calibration.json: expected ',' or '}' after an object member; the tasks it cannot describe keep the built-in figures"));

    [Fact]
    public Task A_model_that_is_no_tier_is_RSDK0008_on_the_method()
        => RunAsync(Task, """
            { "tasks": { "C.Run": { "chain": ["small", "gpt-9"], "thresholds": [0.9] } } }
            """,
            new DiagnosticResult("RSDK0008", DiagnosticSeverity.Warning).WithLocation(0)
                .WithMessage("the calibration of 'C.Run' does not fit the tier catalog: model 'gpt-9' of its chain is not a tier of the catalog ('small', 'mid', 'frontier', 'frontier-thinking'); the built-in figures apply"));

    [Fact]
    public Task RSDK0008_of_an_entry_names_the_task_and_what_does_not_fit()
        => RunAsync(Task, """
            { "tasks": { "C.Run": { "chain": ["frontier", "gpt-9", "small"], "thresholds": [0.9, 0.9] } } }
            """,
            new DiagnosticResult(DiagnosticDescriptors.CalibrationUnknownModel).WithLocation(0).WithArguments("C.Run", "gpt-9", "'small', 'mid', 'frontier', 'frontier-thinking'"),
            new DiagnosticResult(DiagnosticDescriptors.CalibrationOutOfOrder).WithLocation(0).WithArguments("C.Run", "small", "frontier"));

    [Fact]
    public Task Log_probability_thresholds_are_RSDK0008_not_a_plan_that_accepts_everything()
        => RunAsync(Task, """
            { "tasks": { "C.Run": { "chain": ["small", "frontier"], "thresholds": [-0.05] } } }
            """,
            new DiagnosticResult("RSDK0008", DiagnosticSeverity.Warning).WithLocation(0)
                .WithMessage("the calibration of 'C.Run' does not fit the tier catalog: its thresholds are log-probabilities (-0.05), not scores from 0 to 1 (the router's scale); calibrate from outcomes whose confidence is the router's score, as `routing try` and TierTrial record it; the built-in figures apply"));

    [Fact]
    public Task A_measured_quality_below_the_threshold_is_RSDK2001_where_the_built_in_figures_see_none()
        => RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, {|RSDK2001:QualityThreshold = 0.8|})]
                public partial Task<string> Run(string x);
            }
            """, """
            { "tasks": { "C.Run": { "chain": ["small", "mid"], "thresholds": [0.9], "expectedQuality": 0.62,
              "models": { "small": { "quality": 0.55, "costUsd": 0.0001 }, "mid": { "quality": 0.64, "costUsd": 0.001 } } } } }
            """);

    [Fact]
    public Task The_calibrated_RSDK2001_and_RSDK1003_name_the_calibrated_chain_and_its_figures()
        => RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, {|#0:QualityThreshold = 0.8|}, {|#1:MaxCostPerThousandCalls = 0.01|})]
                public partial Task<string> Run(string x);
            }
            """, """
            { "tasks": { "C.Run": { "chain": ["small", "mid"], "thresholds": [0.9], "expectedQuality": 0.62, "reach": [1, 0.5],
              "models": { "small": { "quality": 0.55, "costUsd": 0.0001 }, "mid": { "quality": 0.64, "costUsd": 0.001 } } } } }
            """,
            new DiagnosticResult(DiagnosticDescriptors.CalibratedUnreachable).WithLocation(0).WithArguments("Run", "small -> mid", "0.62", "0.8"),
            new DiagnosticResult(DiagnosticDescriptors.CalibratedOverBudget).WithLocation(1).WithArguments("Run", "$0.79", "small -> mid", "$0.01"));

    [Fact]
    public Task A_file_naming_other_tasks_changes_nothing()
        => RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, {|RSDK1001:Tier = "frontier"|})]
                public partial Task<string> Run(string x);
            }
            """, """
            { "tasks": { "Other.Run": { "chain": ["small", "gpt-9"], "thresholds": [0.9] } } }
            """);
}
