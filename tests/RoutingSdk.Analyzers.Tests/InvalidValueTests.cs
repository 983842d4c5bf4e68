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
}
