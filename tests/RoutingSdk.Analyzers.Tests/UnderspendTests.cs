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
}
