namespace RoutingSdk.Analyzers.Tests;

/// <summary>RSDK0007: the declared tier catalog is usable.</summary>
public sealed class InvalidCatalogTests
{
    [Fact]
    public Task Duplicate_ranks_are_RSDK0007_on_the_first_tier_attribute()
        => AnalyzerTest.RunAsync("""
            [assembly: {|RSDK0007:ModelTier("a", Rank = 0, InputCostPerMillion = 1, OutputCostPerMillion = 1)|}]
            [assembly: ModelTier("b", Rank = 0, InputCostPerMillion = 2, OutputCostPerMillion = 2)]
            """);

    [Fact]
    public Task Negative_price_is_RSDK0007()
        => AnalyzerTest.RunAsync("""
            [assembly: {|RSDK0007:ModelTier("a", Rank = 0, InputCostPerMillion = -1, OutputCostPerMillion = 1)|}]
            """);

    [Fact]
    public Task Valid_catalog_is_not_RSDK0007()
        => AnalyzerTest.RunAsync("""
            [assembly: ModelTier("a", Rank = 0, InputCostPerMillion = 1, OutputCostPerMillion = 1)]
            [assembly: ModelTier("b", Rank = 1, InputCostPerMillion = 2, OutputCostPerMillion = 2)]
            """);
}
