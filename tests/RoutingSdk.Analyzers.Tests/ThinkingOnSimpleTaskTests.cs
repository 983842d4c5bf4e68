namespace RoutingSdk.Analyzers.Tests;

/// <summary>RSDK1002: extended thinking on a task of Medium complexity or less.</summary>
public sealed class ThinkingOnSimpleTaskTests
{
    [Fact]
    public Task MaxTier_naming_the_thinking_tier_on_a_medium_task_is_RSDK1002_on_MaxTier()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Medium, {|RSDK1002:MaxTier = "frontier-thinking"|})]
                public partial Task<string> Run(string x);
            }
            """);

    [Fact]
    public Task Thinking_tier_on_a_high_task_is_not_RSDK1002()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Analysis, Complexity.High, QualityThreshold = 0.9, MaxTier = "frontier-thinking")]
                public partial Task<string> Run(string x);
            }
            """);
}
