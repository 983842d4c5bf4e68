using RoutingSdk.Generators;

namespace RoutingSdk.Analyzers.Tests;

/// <summary>RSDK0005: Tier and MaxTier name tiers of the catalog.</summary>
public sealed class UnknownTierTests
{
    [Fact]
    public Task Unknown_Tier_is_RSDK0005_on_the_argument()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, {|RSDK0005:Tier = "huge"|})]
                public partial Task<string> Run(string x);
            }
            """);

    [Fact]
    public Task Unknown_MaxTier_is_RSDK0005_on_the_argument()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, {|RSDK0005:MaxTier = "Mid"|})]
                public partial Task<string> Run(string x);
            }
            """);

    [Fact]
    public Task Tiers_of_a_declared_catalog_are_not_RSDK0005()
        => AnalyzerTest.RunAsync("""
            [assembly: ModelTier("cheap", Rank = 0, InputCostPerMillion = 0.1, OutputCostPerMillion = 0.4)]
            [assembly: ModelTier("best", Rank = 1, InputCostPerMillion = 5, OutputCostPerMillion = 25)]

            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, MaxTier = "best")]
                public partial Task<string> Run(string x);
            }
            """);

    [Fact]
    public Task RSDK0005_names_the_setting_its_value_the_task_and_the_catalogs_tiers()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, {|#0:Tier = "huge"|}, {|#1:MaxTier = "Mid"|})]
                public partial Task<string> Run(string x);
            }
            """,
            new DiagnosticResult(DiagnosticDescriptors.UnknownTier).WithLocation(0).WithArguments("Tier", "huge", "Run", "'small', 'mid', 'frontier', 'frontier-thinking'"),
            new DiagnosticResult(DiagnosticDescriptors.UnknownTier).WithLocation(1).WithArguments("MaxTier", "Mid", "Run", "'small', 'mid', 'frontier', 'frontier-thinking'"));
}
