using RoutingSdk.Generators;

namespace RoutingSdk.Analyzers.Tests;

/// <summary>RSDK1001: the pinned tier costs more than the cheapest tier that meets the threshold.</summary>
public sealed class OverspendTests
{
    [Fact]
    public async Task RSDK1001_names_the_task_the_tiers_and_the_figures()
    {
        var test = new AnalyzerTest("""
            public partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, QualityThreshold = 0.85, {|#0:Tier = "frontier"|})]
                public partial Task<string> ClassifyAsync(string email);
            }
            """);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("RSDK1001", DiagnosticSeverity.Warning).WithLocation(0).WithMessage(
            "'ClassifyAsync' pins tier 'frontier' for a Low-complexity Classification task; 'small' meets QualityThreshold 0.85 at 1/60 of the projected cost ($0.11 vs $6.75 per 1,000 calls): remove Tier or set Tier = \"small\""));
        await test.RunAsync();
    }

    [Fact]
    public Task Frontier_pinned_on_a_low_classification_is_RSDK1001_on_the_Tier_argument()
        => AnalyzerTest.RunAsync("""
            public partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, {|RSDK1001:Tier = "frontier"|})]
                public partial Task<string> ClassifyAsync(string email);
            }
            """);

    [Fact]
    public Task Pinning_the_cheapest_adequate_tier_is_not_RSDK1001()
        => AnalyzerTest.RunAsync("""
            public partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, Tier = "small")]
                public partial Task<string> ClassifyAsync(string email);
            }
            """);

    [Fact]
    public Task RSDK1001_arguments_are_the_task_the_pin_the_cheaper_tier_and_the_figures()
        => AnalyzerTest.RunAsync("""
            public partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, QualityThreshold = 0.85, {|#0:Tier = "frontier"|})]
                public partial Task<string> ClassifyAsync(string email);
            }
            """,
            new DiagnosticResult(DiagnosticDescriptors.Overspend).WithLocation(0)
                .WithArguments("ClassifyAsync", "frontier", "Low", "Classification", "small", "0.85", "1/60", "$0.11", "$6.75"));
}
