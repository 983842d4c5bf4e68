using RoutingSdk.Generators;

namespace RoutingSdk.Analyzers.Tests;

/// <summary>RSDK2001: no allowed tier reaches QualityThreshold.</summary>
public sealed class UnreachableTests
{
    [Fact]
    public Task Threshold_no_allowed_tier_reaches_is_RSDK2001_on_the_threshold()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Analysis, Complexity.High, {|RSDK2001:QualityThreshold = 0.99|}, MaxTier = "mid")]
                public partial Task<string> Run(string x);
            }
            """);

    [Fact]
    public Task Threshold_a_tier_reaches_is_not_RSDK2001()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Analysis, Complexity.High, QualityThreshold = 0.8, MaxTier = "frontier")]
                public partial Task<string> Run(string x);
            }
            """);

    [Fact]
    public Task RSDK2001_names_the_threshold_and_the_best_tier_with_its_quality()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Analysis, Complexity.High, {|#0:QualityThreshold = 0.99|}, MaxTier = "mid")]
                public partial Task<string> Run(string x);
            }
            """,
            new DiagnosticResult(DiagnosticDescriptors.Unreachable).WithLocation(0).WithArguments("Run", "0.99", "High", "Analysis", "mid", "0.73"));
}
