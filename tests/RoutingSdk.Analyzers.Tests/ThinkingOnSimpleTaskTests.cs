using RoutingSdk.Generators;

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

    [Fact]
    public Task RSDK1002_names_the_thinking_tier_its_cost_and_the_cap_to_set()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Medium, {|#0:MaxTier = "frontier-thinking"|})]
                public partial Task<string> Run(string x);
            }
            """,
            new DiagnosticResult(DiagnosticDescriptors.ThinkingOnSimpleTask).WithLocation(0)
                .WithArguments("Run", "frontier-thinking", "Medium", "Classification", "$81.75", "frontier"));

    private const string ThinkingOnly = """
        [assembly: ModelTier("deep", Rank = 0, InputCostPerMillion = 1, OutputCostPerMillion = 4, ReasoningCostPerMillion = 4, ExtendedThinking = true)]

        """;

    [Fact]
    public Task Pinning_the_thinking_tier_on_a_low_task_is_RSDK1002_saying_remove_Tier()
        => AnalyzerTest.RunAsync(ThinkingOnly + """
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Formatting, Complexity.Low, {|#0:Tier = "deep"|})]
                public partial Task<string> Run(string x);
            }
            """,
            new DiagnosticResult(DiagnosticDescriptors.ThinkingTierPinned).WithLocation(0).WithArguments("Run", "deep", "Low", "Formatting", "$8.50"));

    [Fact]
    public Task A_catalog_of_thinking_tiers_only_is_RSDK1002_without_a_cap_to_suggest()
        => AnalyzerTest.RunAsync(ThinkingOnly + """
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Formatting, Complexity.Low)]
                public partial Task<string> {|#0:Run|}(string x);
            }
            """,
            new DiagnosticResult(DiagnosticDescriptors.ThinkingWithoutCap).WithLocation(0).WithArguments("Run", "deep", "Low", "Formatting", "$8.50"));
}
