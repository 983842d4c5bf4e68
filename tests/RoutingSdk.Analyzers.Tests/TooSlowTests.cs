using RoutingSdk.Generators;

namespace RoutingSdk.Analyzers.Tests;

/// <summary>RSDK2002: the start tier's typical latency exceeds LatencyBudgetMs.</summary>
public sealed class TooSlowTests
{
    [Fact]
    public Task Budget_below_the_start_tiers_latency_is_RSDK2002_on_the_budget()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Analysis, Complexity.High, QualityThreshold = 0.9, {|RSDK2002:LatencyBudgetMs = 1000|})]
                public partial Task<string> Run(string x);
            }
            """);

    [Fact]
    public Task Budget_above_the_start_tiers_latency_is_not_RSDK2002()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Analysis, Complexity.High, QualityThreshold = 0.9, LatencyBudgetMs = 30000)]
                public partial Task<string> Run(string x);
            }
            """);

    [Fact]
    public Task RSDK2002_names_the_start_tier_its_latency_and_the_budget()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Analysis, Complexity.High, QualityThreshold = 0.9, {|#0:LatencyBudgetMs = 1000|})]
                public partial Task<string> Run(string x);
            }
            """,
            new DiagnosticResult(DiagnosticDescriptors.TooSlow).WithLocation(0).WithArguments("Run", "frontier-thinking", "12000", "1000"));
}
