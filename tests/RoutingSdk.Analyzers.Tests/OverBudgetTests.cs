namespace RoutingSdk.Analyzers.Tests;

/// <summary>RSDK1003: the projected cost per 1,000 calls exceeds MaxCostPerThousandCalls.</summary>
public sealed class OverBudgetTests
{
    [Fact]
    public Task Budget_below_the_projection_is_RSDK1003_on_the_budget()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Analysis, Complexity.High, {|RSDK1003:MaxCostPerThousandCalls = 1|})]
                public partial Task<string> Run(string x);
            }
            """);

    [Fact]
    public Task Budget_above_the_projection_is_not_RSDK1003()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Analysis, Complexity.High, MaxCostPerThousandCalls = 1000)]
                public partial Task<string> Run(string x);
            }
            """);
}
