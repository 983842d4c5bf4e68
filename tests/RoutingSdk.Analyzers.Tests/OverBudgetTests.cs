using RoutingSdk.Generators;

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

    [Fact]
    public Task RSDK1003_names_the_projection_the_chain_and_the_budget()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Analysis, Complexity.High, {|#0:MaxCostPerThousandCalls = 1|})]
                public partial Task<string> Run(string x);
            }
            """,
            new DiagnosticResult(DiagnosticDescriptors.OverBudget).WithLocation(0).WithArguments("Run", "$130.88", "frontier -> frontier-thinking", "$1.00"));
}
