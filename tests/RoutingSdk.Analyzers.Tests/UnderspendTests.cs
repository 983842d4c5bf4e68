using RoutingSdk.Generators;

namespace RoutingSdk.Analyzers.Tests;

/// <summary>RSDK2003: the pinned tier is below the quality the task needs.</summary>
public sealed class UnderspendTests
{
    [Fact]
    public Task Small_pinned_on_a_high_analysis_is_RSDK2003_on_the_Tier_argument()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Analysis, Complexity.High, {|RSDK2003:Tier = "small"|})]
                public partial Task<string> Run(string x);
            }
            """);

    [Fact]
    public Task Pinned_tier_that_meets_the_threshold_is_not_RSDK2003()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Analysis, Complexity.High, QualityThreshold = 0.8, Tier = "frontier")]
                public partial Task<string> Run(string x);
            }
            """);

    [Fact]
    public Task RSDK2003_names_the_pins_quality_the_threshold_and_the_tier_that_meets_it()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Analysis, Complexity.High, {|#0:Tier = "small"|})]
                public partial Task<string> Run(string x);
            }
            """,
            new DiagnosticResult(DiagnosticDescriptors.Underspend).WithLocation(0).WithArguments("Run", "small", "High", "Analysis", "0.30", "0.8", "frontier", "0.85"));
}
