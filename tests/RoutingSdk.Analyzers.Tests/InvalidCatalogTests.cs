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

    [Fact]
    public Task NaN_price_is_RSDK0007_that_says_not_a_finite_number()
        => ExpectMessage("""
            [assembly: {|#0:ModelTier("a", Rank = 0, InputCostPerMillion = double.NaN, OutputCostPerMillion = 1)|}]
            """, "the tier catalog is invalid: InputCostPerMillion of tier 'a' is not a finite number (NaN)");

    [Fact]
    public Task Infinite_price_is_RSDK0007_that_says_not_a_finite_number()
        => ExpectMessage("""
            [assembly: {|#0:ModelTier("a", Rank = 0, InputCostPerMillion = 1, ReasoningCostPerMillion = double.PositiveInfinity)|}]
            """, "the tier catalog is invalid: ReasoningCostPerMillion of tier 'a' is not a finite number (Infinity)");

    [Fact]
    public Task Price_of_1e30_is_RSDK0007_that_says_above_the_largest_supported_price()
        => ExpectMessage("""
            [assembly: {|#0:ModelTier("a", Rank = 0, InputCostPerMillion = 1, OutputCostPerMillion = 1e30)|}]
            """, "the tier catalog is invalid: OutputCostPerMillion of tier 'a' is 1E+30, above the largest supported price (1,000,000,000,000,000 USD per million tokens)");

    [Fact]
    public Task Negative_price_is_RSDK0007_that_says_negative()
        => ExpectMessage("""
            [assembly: {|#0:ModelTier("a", Rank = 0, InputCostPerMillion = -1e30, OutputCostPerMillion = 1)|}]
            """, "the tier catalog is invalid: tier 'a' has a negative price");

    private static Task ExpectMessage(string source, string message)
    {
        var test = new AnalyzerTest(source);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("RSDK0007", DiagnosticSeverity.Error).WithLocation(0).WithMessage(message));
        return test.RunAsync();
    }
}
