namespace RoutingSdk.Analyzers.Tests;

public sealed class OverspendTests
{
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
}
