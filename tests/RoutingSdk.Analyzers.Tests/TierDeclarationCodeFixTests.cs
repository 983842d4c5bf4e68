using RoutingSdk.CodeFixes;

namespace RoutingSdk.Analyzers.Tests;

/// <summary>The fixes of RSDK1004 (declare the tier free) and RSDK2005 (declare the tier's structured output).</summary>
public sealed class TierDeclarationCodeFixTests
{
    [Fact]
    public Task RSDK1004_declares_the_tier_free()
        => CodeFixTest<TierDeclarationCodeFixProvider>.RunAsync("""
            [assembly: {|RSDK1004:ModelTier("local", Rank = 0, TypicalLatencyMs = 300)|}]
            [assembly: ModelTier("frontier", Rank = 1, InputCostPerMillion = 15, OutputCostPerMillion = 75)]
            """, """
            [assembly: ModelTier("local", Rank = 0, TypicalLatencyMs = 300, Free = true)]
            [assembly: ModelTier("frontier", Rank = 1, InputCostPerMillion = 15, OutputCostPerMillion = 75)]
            """, TierDeclarationCodeFixProvider.DeclareFree);

    [Fact]
    public Task RSDK2005_adds_structured_output_to_the_capabilities_the_tier_declares()
        => CodeFixTest<TierDeclarationCodeFixProvider>.RunAsync("""
            [assembly: ModelTier("small", Rank = 0, InputCostPerMillion = 0.25, OutputCostPerMillion = 1.25, Capabilities = TierCapabilities.ToolCalling)]
            [assembly: ModelTier("frontier", Rank = 1, InputCostPerMillion = 15, OutputCostPerMillion = 75, Capabilities = TierCapabilities.StructuredOutput)]

            public sealed record Invoice(string Number, decimal Total);

            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Extraction, Complexity.Low, QualityThreshold = 0.6)]
                public partial Task<Invoice> {|RSDK2005:Run|}(string x);
            }
            """, """
            [assembly: ModelTier("small", Rank = 0, InputCostPerMillion = 0.25, OutputCostPerMillion = 1.25, Capabilities = TierCapabilities.ToolCalling | TierCapabilities.StructuredOutput)]
            [assembly: ModelTier("frontier", Rank = 1, InputCostPerMillion = 15, OutputCostPerMillion = 75, Capabilities = TierCapabilities.StructuredOutput)]

            public sealed record Invoice(string Number, decimal Total);

            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Extraction, Complexity.Low, QualityThreshold = 0.6)]
                public partial Task<Invoice> Run(string x);
            }
            """, TierDeclarationCodeFixProvider.DeclareStructuredOutput);

    [Fact]
    public Task RSDK2005_replaces_None_with_structured_output()
        => CodeFixTest<TierDeclarationCodeFixProvider>.RunAsync("""
            [assembly: ModelTier("small", Rank = 0, InputCostPerMillion = 0.25, OutputCostPerMillion = 1.25, Capabilities = TierCapabilities.None)]
            [assembly: ModelTier("frontier", Rank = 1, InputCostPerMillion = 15, OutputCostPerMillion = 75)]

            public sealed record Invoice(string Number, decimal Total);

            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Extraction, Complexity.Low, QualityThreshold = 0.6)]
                public partial Task<Invoice> {|RSDK2005:Run|}(string x);
            }
            """, """
            [assembly: ModelTier("small", Rank = 0, InputCostPerMillion = 0.25, OutputCostPerMillion = 1.25, Capabilities = TierCapabilities.StructuredOutput)]
            [assembly: ModelTier("frontier", Rank = 1, InputCostPerMillion = 15, OutputCostPerMillion = 75)]

            public sealed record Invoice(string Number, decimal Total);

            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Extraction, Complexity.Low, QualityThreshold = 0.6)]
                public partial Task<Invoice> Run(string x);
            }
            """, TierDeclarationCodeFixProvider.DeclareStructuredOutput);
}
