using RoutingSdk.Generators;

namespace RoutingSdk.Analyzers.Tests;

/// <summary>RSDK0006: settings within their range.</summary>
public sealed class InvalidValueTests
{
    [Fact]
    public Task Threshold_above_one_is_RSDK0006_on_the_argument()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, {|RSDK0006:QualityThreshold = 1.5|})]
                public partial Task<string> Run(string x);
            }
            """);

    [Fact]
    public Task Negative_budgets_and_token_counts_are_RSDK0006_on_each_argument()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, {|RSDK0006:LatencyBudgetMs = -1|}, {|RSDK0006:MaxCostPerThousandCalls = -2|}, {|RSDK0006:ExpectedOutputTokens = -5|})]
                public partial Task<string> Run(string x);
            }
            """);

    [Fact]
    public Task Settings_in_range_are_not_RSDK0006()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, QualityThreshold = 0.9, LatencyBudgetMs = 2000, MaxCostPerThousandCalls = 5, ExpectedInputTokens = 300)]
                public partial Task<string> Run(string x);
            }
            """);

    [Fact]
    public Task RSDK0006_names_the_setting_and_its_value()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, {|#0:QualityThreshold = 1.5|}, {|#1:LatencyBudgetMs = -1|}, {|#2:MaxCostPerThousandCalls = -2|}, {|#3:ExpectedOutputTokens = -5|})]
                public partial Task<string> Run(string x);
            }
            """,
            new DiagnosticResult(DiagnosticDescriptors.InvalidValue).WithLocation(0).WithArguments("1.5", "Run"),
            new DiagnosticResult(DiagnosticDescriptors.NegativeValue).WithLocation(1).WithArguments("LatencyBudgetMs", "-1", "Run"),
            new DiagnosticResult(DiagnosticDescriptors.NegativeValue).WithLocation(2).WithArguments("MaxCostPerThousandCalls", "-2", "Run"),
            new DiagnosticResult(DiagnosticDescriptors.NegativeValue).WithLocation(3).WithArguments("ExpectedOutputTokens", "-5", "Run"));

    [Fact]
    public Task Casts_of_undeclared_numbers_to_TaskKind_Complexity_and_Escalation_are_RSDK0006_on_each_argument()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask({|RSDK0006:(TaskKind)999|}, {|RSDK0006:(Complexity)(-1)|}, {|RSDK0006:Escalation = (Escalation)7|})]
                public partial Task<string> Run(string x);
            }
            """);

    [Fact]
    public Task Cast_of_an_undeclared_number_by_parameter_name_is_RSDK0006_on_that_argument()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask({|RSDK0006:complexity: (Complexity)5|}, kind: TaskKind.Classification)]
                public partial Task<string> Run(string x);
            }
            """);

    [Fact]
    public Task Casts_of_declared_numbers_are_not_RSDK0006()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask((TaskKind)0, (Complexity)1, Escalation = (Escalation)0)]
                public partial Task<string> Run(string x);
            }
            """);
}
