using RoutingSdk.Generators;

namespace RoutingSdk.Analyzers.Tests;

/// <summary>
/// RSDK1004 (a declared tier without a price that does not say it is free), RSDK2004 (a chain tier whose context window
/// is below the task's expected call) and RSDK2005 (a structured result on a chain tier without structured output).
/// </summary>
public sealed class TierPriceAndCapabilityTests
{
    [Fact]
    public Task A_tier_without_any_price_is_RSDK1004_on_its_attribute()
        => AnalyzerTest.RunAsync("""
            [assembly: {|#0:ModelTier("local", Rank = 0, TypicalLatencyMs = 300)|}]
            [assembly: ModelTier("frontier", Rank = 1, InputCostPerMillion = 15, OutputCostPerMillion = 75)]
            """,
            new DiagnosticResult(DiagnosticDescriptors.UnpricedTier).WithLocation(0).WithArguments("local"));

    [Fact]
    public Task A_free_tier_or_one_priced_only_for_cached_input_is_not_RSDK1004()
        => AnalyzerTest.RunAsync("""
            [assembly: ModelTier("local", Rank = 0, Free = true)]
            [assembly: ModelTier("cache", Rank = 1, CachedInputCostPerMillion = 0.1)]
            [assembly: ModelTier("frontier", Rank = 2, InputCostPerMillion = 15, OutputCostPerMillion = 75)]
            """);

    [Fact]
    public Task A_negative_cached_or_long_context_price_is_RSDK0007()
        => AnalyzerTest.RunAsync("""
            [assembly: {|RSDK0007:ModelTier("a", Rank = 0, InputCostPerMillion = 1, OutputCostPerMillion = 1, LongContextOutputCostPerMillion = -2)|}]
            """);

    [Fact]
    public Task A_chain_tier_whose_window_is_below_the_expected_call_is_RSDK2004_on_ExpectedInputTokens()
        => AnalyzerTest.RunAsync("""
            [assembly: ModelTier("small", Rank = 0, InputCostPerMillion = 0.25, OutputCostPerMillion = 1.25, ContextWindowTokens = 8000)]
            [assembly: ModelTier("frontier", Rank = 1, InputCostPerMillion = 15, OutputCostPerMillion = 75, ContextWindowTokens = 200000)]

            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Summarization, Complexity.Low, QualityThreshold = 0.6, {|#0:ExpectedInputTokens = 20000|})]
                public partial Task<string> Run(string x);
            }
            """,
            new DiagnosticResult(DiagnosticDescriptors.ContextWindowTooSmall).WithLocation(0).WithArguments("Run", "20,250", "'small' (8,000)"));

    [Fact]
    public Task Windows_that_hold_the_call_or_are_not_declared_are_not_RSDK2004()
        => AnalyzerTest.RunAsync("""
            [assembly: ModelTier("small", Rank = 0, InputCostPerMillion = 0.25, OutputCostPerMillion = 1.25, ContextWindowTokens = 32000)]
            [assembly: ModelTier("frontier", Rank = 1, InputCostPerMillion = 15, OutputCostPerMillion = 75)]

            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Summarization, Complexity.Low, QualityThreshold = 0.6, ExpectedInputTokens = 20000)]
                public partial Task<string> Run(string x);
            }
            """);

    [Fact]
    public Task A_record_result_on_a_chain_tier_without_structured_output_is_RSDK2005_on_the_method()
        => AnalyzerTest.RunAsync("""
            [assembly: ModelTier("small", Rank = 0, InputCostPerMillion = 0.25, OutputCostPerMillion = 1.25, Capabilities = TierCapabilities.ToolCalling)]
            [assembly: ModelTier("frontier", Rank = 1, InputCostPerMillion = 15, OutputCostPerMillion = 75, Capabilities = TierCapabilities.StructuredOutput)]

            public sealed record Invoice(string Number, decimal Total);

            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Extraction, Complexity.Low, QualityThreshold = 0.6)]
                public partial Task<Invoice> {|#0:Run|}(string x);
            }
            """,
            new DiagnosticResult(DiagnosticDescriptors.NoStructuredOutput).WithLocation(0).WithArguments("Run", "tier 'small' of its chain declares"));

    [Fact]
    public Task Text_results_and_tiers_that_declare_no_capabilities_are_not_RSDK2005()
        => AnalyzerTest.RunAsync("""
            [assembly: ModelTier("small", Rank = 0, InputCostPerMillion = 0.25, OutputCostPerMillion = 1.25)]
            [assembly: ModelTier("mid", Rank = 1, InputCostPerMillion = 3, OutputCostPerMillion = 15, Capabilities = TierCapabilities.None)]

            public sealed record Invoice(string Number, decimal Total);

            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Extraction, Complexity.Low, QualityThreshold = 0.6, MaxTier = "small")]
                public partial Task<Invoice> Run(string x);

                [RoutedTask(TaskKind.Extraction, Complexity.Low, QualityThreshold = 0.6)]
                public partial Task<string> Text(string x);
            }
            """);
}
