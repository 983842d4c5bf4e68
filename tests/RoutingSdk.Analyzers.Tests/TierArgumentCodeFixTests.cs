using RoutingSdk.CodeFixes;

namespace RoutingSdk.Analyzers.Tests;

/// <summary>The fixes of RSDK1001, RSDK2003 and RSDK1002, one diagnostic at a time and with Fix All.</summary>
public sealed class TierArgumentCodeFixTests
{
    [Fact]
    public Task RSDK1001_and_RSDK2003_set_the_planned_tier_everywhere()
        => CodeFixTest<TierArgumentCodeFixProvider>.RunAsync("""
            public partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, {|RSDK1001:Tier = "frontier"|}, Prompt = "Classify {email}")]
                public partial Task<string> ClassifyAsync(string email);

                [RoutedTask(TaskKind.Extraction, Complexity.Low, {|RSDK1001:Tier = "mid"|})]
                public partial Task<string> ExtractAsync(string email);

                [RoutedTask(TaskKind.Analysis, Complexity.High, {|RSDK2003:Tier = "small"|})]
                public partial Task<string> ReviewAsync(string clause);
            }
            """, """
            public partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, Tier = "small", Prompt = "Classify {email}")]
                public partial Task<string> ClassifyAsync(string email);

                [RoutedTask(TaskKind.Extraction, Complexity.Low, Tier = "small")]
                public partial Task<string> ExtractAsync(string email);

                [RoutedTask(TaskKind.Analysis, Complexity.High, Tier = "frontier")]
                public partial Task<string> ReviewAsync(string clause);
            }
            """, TierArgumentCodeFixProvider.UsePlannedTier);

    [Fact]
    public async Task Fix_all_reaches_every_document_of_the_project()
    {
        var test = new CodeFixTest<TierArgumentCodeFixProvider>("""
            public partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, {|RSDK1001:Tier = "frontier"|})]
                public partial Task<string> ClassifyAsync(string email);
            }
            """, """
            public partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, Tier = "small")]
                public partial Task<string> ClassifyAsync(string email);
            }
            """, TierArgumentCodeFixProvider.UsePlannedTier);
        test.TestState.Sources.Add(TestProject.Usings + """
            public partial class Mailroom(TaskRouter router)
            {
                [RoutedTask(TaskKind.Extraction, Complexity.Trivial, {|RSDK1001:Tier = "mid"|})]
                public partial Task<string> ExtractAsync(string letter);
            }
            """);
        test.FixedState.Sources.Add(TestProject.Usings + """
            public partial class Mailroom(TaskRouter router)
            {
                [RoutedTask(TaskKind.Extraction, Complexity.Trivial, Tier = "small")]
                public partial Task<string> ExtractAsync(string letter);
            }
            """);
        await test.RunAsync();
    }

    [Fact]
    public Task RSDK1001_alternative_removes_the_pin_everywhere()
        => CodeFixTest<TierArgumentCodeFixProvider>.RunAsync("""
            public partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, {|RSDK1001:Tier = "frontier"|}, Prompt = "Classify {email}")]
                public partial Task<string> ClassifyAsync(string email);

                [RoutedTask(TaskKind.Extraction, Complexity.Low, QualityThreshold = 0.85, {|RSDK1001:Tier = "mid"|})]
                public partial Task<string> ExtractAsync(string email);
            }
            """, """
            public partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, Prompt = "Classify {email}")]
                public partial Task<string> ClassifyAsync(string email);

                [RoutedTask(TaskKind.Extraction, Complexity.Low, QualityThreshold = 0.85)]
                public partial Task<string> ExtractAsync(string email);
            }
            """, TierArgumentCodeFixProvider.RemovePin);

    [Fact]
    public async Task First_offered_fix_of_RSDK1001_and_RSDK2003_removes_the_pin_as_dotnet_format_applies_it()
    {
        // dotnet format and an unqualified Fix All take the first action the provider offers: it must be the removal.
        var test = new CodeFixTest<TierArgumentCodeFixProvider>("""
            public partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, {|RSDK1001:Tier = "frontier"|})]
                public partial Task<string> ClassifyAsync(string email);

                [RoutedTask(TaskKind.Analysis, Complexity.High, {|RSDK2003:Tier = "small"|})]
                public partial Task<string> ReviewAsync(string clause);
            }
            """, """
            public partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public partial Task<string> ClassifyAsync(string email);

                [RoutedTask(TaskKind.Analysis, Complexity.High)]
                public partial Task<string> ReviewAsync(string clause);
            }
            """) { CodeActionIndex = 0 };
        await test.RunAsync();
    }

    [Fact]
    public Task RSDK1002_caps_MaxTier_below_the_thinking_tier_everywhere()
        => CodeFixTest<TierArgumentCodeFixProvider>.RunAsync("""
            public partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Medium, {|RSDK1002:MaxTier = "frontier-thinking"|})]
                public partial Task<string> ClassifyAsync(string email);

                [RoutedTask(TaskKind.Formatting, Complexity.Low, {|RSDK1002:MaxTier = "frontier-thinking"|}, QualityThreshold = 0.9)]
                public partial Task<string> FormatAsync(string table);
            }
            """, """
            public partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Medium, MaxTier = "frontier")]
                public partial Task<string> ClassifyAsync(string email);

                [RoutedTask(TaskKind.Formatting, Complexity.Low, MaxTier = "frontier", QualityThreshold = 0.9)]
                public partial Task<string> FormatAsync(string table);
            }
            """, TierArgumentCodeFixProvider.DropThinkingTier);

    [Fact]
    public Task RSDK1002_on_a_pinned_thinking_tier_removes_the_pin()
        => CodeFixTest<TierArgumentCodeFixProvider>.RunAsync("""
            public partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Reasoning, Complexity.Medium, QualityThreshold = 0.85, {|RSDK1001:{|RSDK1002:Tier = "frontier-thinking"|}|})]
                public partial Task<string> SolveAsync(string puzzle);
            }
            """, """
            public partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Reasoning, Complexity.Medium, QualityThreshold = 0.85)]
                public partial Task<string> SolveAsync(string puzzle);
            }
            """, TierArgumentCodeFixProvider.DropThinkingTier);
}
