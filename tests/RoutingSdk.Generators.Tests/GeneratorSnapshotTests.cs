using Xunit;

namespace RoutingSdk.Generators.Tests;

/// <summary>Generated output for representative inputs, against committed snapshots; the output must compile cleanly.</summary>
public sealed class GeneratorSnapshotTests
{
    public const string SupportDesk = """
        using System.Threading;
        using System.Threading.Tasks;
        using RoutingSdk;

        namespace Demo;

        public enum TicketCategory { Billing, Technical, General }

        public sealed partial class SupportDesk(TaskRouter router)
        {
            [RoutedTask(TaskKind.Classification, Complexity.Low, QualityThreshold = 0.85,
                Prompt = "Classify this customer email as billing, technical or general:\n{email}")]
            public partial Task<TicketCategory> ClassifyAsync(string email, CancellationToken cancellationToken = default);

            [RoutedTask(TaskKind.Analysis, Complexity.High, QualityThreshold = 0.9, LatencyBudgetMs = 30000,
                Instructions = "You are a careful contracts lawyer.",
                Prompt = "Review this contract clause for risks to the customer:\n{clause}")]
            public partial Task<string> ReviewClauseAsync(string clause, CancellationToken cancellationToken = default);
        }
        """;

    [Fact]
    public void Support_desk_tasks_get_bodies_a_routing_table_and_a_registration()
    {
        var (result, output) = GeneratorHarness.Run(SupportDesk);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.Analyze(output).Positions);
        Assert.Empty(GeneratorHarness.CompilerProblems(output));
        Snapshot.Verify(result);
    }

    [Fact]
    public void Nullable_enum_results_read_member_names_like_enums()
    {
        const string source = """
            using System.Threading.Tasks;
            using RoutingSdk;

            namespace Desk;

            public enum TicketCategory { Billing, Technical, General }

            public sealed partial class Triage(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, Prompt = "Classify: {email}")]
                public partial Task<TicketCategory?> ClassifyAsync(string email);

                [RoutedTask(TaskKind.Classification, Complexity.Low, Prompt = "Classify again: {email}")]
                public partial ValueTask<TicketCategory?> ClassifyValueAsync(string email);
            }
            """;

        var (result, output) = GeneratorHarness.Run(source);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompilerProblems(output));
        var body = result.GeneratedTrees.Single(t => t.FilePath.EndsWith("Triage.RoutedTasks.g.cs", StringComparison.Ordinal)).ToString();
        Assert.Contains("global::RoutingSdk.AnswerParsers.NullableEnum<global::Desk.TicketCategory>()", body, StringComparison.Ordinal);
        Assert.DoesNotContain("AnswerParsers.Json", body, StringComparison.Ordinal);
        Snapshot.Verify(result);
    }

    [Fact]
    public void Casts_of_undeclared_numbers_to_TaskKind_Complexity_and_Escalation_leave_generated_code_that_compiles()
    {
        const string source = """
            using System.Threading.Tasks;
            using RoutingSdk;

            namespace Desk;

            public sealed partial class Odd(TaskRouter router)
            {
                [RoutedTask((TaskKind)999, Prompt = "a {x}")]
                public partial Task<string> KindAsync(string x);

                [RoutedTask(TaskKind.Classification, (Complexity)(-1), Prompt = "b {x}")]
                public partial Task<string> ComplexityAsync(string x);

                [RoutedTask(TaskKind.Classification, Complexity.Low, Escalation = (Escalation)7, Prompt = "c {x}")]
                public partial Task<string> EscalationAsync(string x);

                [RoutedTask(TaskKind.Classification, Complexity.Low, Prompt = "d {x}")]
                public partial Task<string> FineAsync(string x);
            }
            """;

        var (result, output) = GeneratorHarness.Run(source);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompilerProblems(output));
        var generated = string.Concat(result.GeneratedTrees.Select(t => t.ToString()));
        Assert.DoesNotContain("999", generated, StringComparison.Ordinal);
        Assert.DoesNotContain("Complexity.-1", generated, StringComparison.Ordinal);
        Assert.DoesNotContain("Escalation.7", generated, StringComparison.Ordinal);
        // The three tasks with an RSDK0006 get a body that throws and no routing table entry; the fine one is routed.
        Assert.Equal(3, CountOf(generated, "was not generated because of RSDK0006"));
        Assert.Contains("Odd_FineAsync", generated, StringComparison.Ordinal);
        Assert.DoesNotContain("Odd_KindAsync", generated, StringComparison.Ordinal);
        Assert.Equal(new[] { "RSDK0006", "RSDK0006", "RSDK0006" }, GeneratorHarness.Analyze(output).Positions.Select(p => p.Split('@')[0]).ToArray());
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    [Fact]
    public void Declared_catalog_replaces_the_built_in_one()
    {
        const string source = """
            using System.Threading.Tasks;
            using RoutingSdk;

            [assembly: ModelTier("local", Rank = 0, InputCostPerMillion = 0.05, OutputCostPerMillion = 0.1, TypicalLatencyMs = 200, ModelId = "llama-3.2-3b")]
            [assembly: ModelTier("hosted", Rank = 1, InputCostPerMillion = 2.5, OutputCostPerMillion = 10, TypicalLatencyMs = 1200, ModelId = "gpt-4o")]

            namespace Shop;

            public sealed record Order(string Number, decimal Amount);

            public partial class Orders
            {
                private readonly TaskRouter _router;

                public Orders(TaskRouter router) => _router = router;

                [RoutedTask(TaskKind.Extraction, Complexity.Low, QualityThreshold = 0.8, Escalation = Escalation.None,
                    Instructions = "Answer with JSON only.", Prompt = "Extract the order (number, amount) from:\n{text}")]
                internal partial Task<Order> ExtractAsync(string text);

                [RoutedTask(TaskKind.Translation, Tier = "hosted", Prompt = "Translate to {language}: {text}")]
                public partial Task<string> TranslateAsync(string text, string language);
            }
            """;

        var (result, output) = GeneratorHarness.Run(source);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.Analyze(output).Positions);
        Assert.Empty(GeneratorHarness.CompilerProblems(output));
        Snapshot.Verify(result);
    }

    [Fact]
    public void Provider_prices_windows_and_capabilities_reach_the_routing_tables_catalog()
    {
        const string source = """
            using System.Threading.Tasks;
            using RoutingSdk;

            [assembly: ModelTier("local", Rank = 0, Free = true, ContextWindowTokens = 32000, Capabilities = TierCapabilities.None)]
            [assembly: ModelTier("hosted", Rank = 1, InputCostPerMillion = 1.25, OutputCostPerMillion = 10, CachedInputCostPerMillion = 0.125,
                LongContextThresholdTokens = 200000, LongContextInputCostPerMillion = 2.5, LongContextOutputCostPerMillion = 15,
                LongContextCachedInputCostPerMillion = 0.25, ContextWindowTokens = 1000000, Capabilities = TierCapabilities.StructuredOutput | TierCapabilities.ToolCalling)]

            namespace Shop;

            public sealed record Order(string Number, decimal Amount);

            public partial class Orders(TaskRouter router)
            {
                [RoutedTask(TaskKind.Extraction, Complexity.Low, QualityThreshold = 0.5, MaxTier = "hosted", Prompt = "Extract the order from:\n{text}")]
                internal partial Task<Order> ExtractAsync(string text);
            }
            """;

        var (result, output) = GeneratorHarness.Run(source);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.CompilerProblems(output));
        Snapshot.Verify(result);
    }

    [Fact]
    public void Nested_generic_and_static_containers_value_tasks_and_default_prompts()
    {
        const string source = """
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            using RoutingSdk;

            namespace Tools.Text;

            public static partial class Outer
            {
                public partial class Box<TItem> where TItem : class
                {
                    protected TaskRouter Router { get; }

                    public Box(TaskRouter router) => Router = router;

                    [RoutedTask(TaskKind.Summarization, Complexity.Low)]
                    public partial ValueTask<string?> SummarizeAsync(string title, int maxWords, DateTime written, CancellationToken token);
                }

                private static TaskRouter s_router = null!;

                [RoutedTask(TaskKind.Formatting, Complexity.Trivial, Prompt = "Format {{as JSON}}: {@class}")]
                public static partial Task<int[]> CountAsync(string @class);
            }
            """;

        var (result, output) = GeneratorHarness.Run(source);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.Analyze(output).Positions);
        Assert.Empty(GeneratorHarness.CompilerProblems(output));
        Snapshot.Verify(result);
    }

    /// <summary>
    /// Parameters named like every name the emitted body uses: the prompt local, the validator lambda's parameter (and
    /// the names the emitter falls back to), the static router and validator, the 'global' alias. The body must
    /// compile without a warning, with its own names moved out of the way.
    /// </summary>
    [Fact]
    public void Parameters_named_like_the_generated_locals_and_helpers_compile()
    {
        const string source = """
            using System.Threading;
            using System.Threading.Tasks;
            using RoutingSdk;

            namespace Clash;

            public sealed partial class Names(TaskRouter router)
            {
                private bool IsValid(string answer) => answer.Length > 0;

                [RoutedTask(TaskKind.Classification, Complexity.Low, Validator = "IsValid",
                    Prompt = "{prompt} {prompt2} {__answer} {IsValid} {global} {@this}")]
                public partial Task<string> RunAsync(string prompt, string prompt2, string __answer, string IsValid, string global, string @this,
                    CancellationToken cancellationToken = default);
            }

            public static partial class StaticNames
            {
                private static TaskRouter s_router = null!;

                private static double Score(string answer) => answer.Length;

                [RoutedTask(TaskKind.Classification, Complexity.Low, Validator = "Score")]
                public static partial ValueTask<string> RunAsync(string s_router, int Score, string prompt, string __answer, string __answer2, CancellationToken token);
            }
            """;
        foreach (var name in new[] { Emitter.PromptLocal, Emitter.PromptLocal + "2", Emitter.AnswerParameter, Emitter.AnswerParameter + "2" })
            Assert.Contains(" " + name + ",", source);

        var (result, output) = GeneratorHarness.Run(source);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.Analyze(output).Positions);
        Assert.Empty(GeneratorHarness.CompilerProblems(output));
        Snapshot.Verify(result);
    }
}
