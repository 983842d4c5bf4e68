using RoutingSdk.CodeFixes;

namespace RoutingSdk.Analyzers.Tests;

/// <summary>The fix of RSDK0001: the method (without its body) and every containing type become partial.</summary>
public sealed class MakePartialCodeFixTests
{
    [Fact]
    public Task Methods_and_their_containing_types_become_partial()
        => CodeFixTest<MakePartialCodeFixProvider>.RunIgnoringCompilerErrorsAsync("""
            public static class {|RSDK0001:Outer|}
            {
                public sealed class {|RSDK0001:Desk|}(TaskRouter router)
                {
                    [RoutedTask(TaskKind.Classification, Complexity.Low)]
                    public async Task<string> {|RSDK0001:ClassifyAsync|}(string email)
                    {
                        await Task.Yield();
                        return email;
                    }

                    [RoutedTask(TaskKind.Extraction, Complexity.Low)]
                    public Task<string> {|RSDK0001:ExtractAsync|}(string email) => Task.FromResult(email);

                    [RoutedTask(TaskKind.Formatting, Complexity.Low)]
                    public partial Task<string> FormatAsync(string text);
                }
            }
            """, """
            public static partial class Outer
            {
                public sealed partial class Desk(TaskRouter router)
                {
                    [RoutedTask(TaskKind.Classification, Complexity.Low)]
                    public partial Task<string> ClassifyAsync(string email);

                    [RoutedTask(TaskKind.Extraction, Complexity.Low)]
                    public partial Task<string> ExtractAsync(string email);

                    [RoutedTask(TaskKind.Formatting, Complexity.Low)]
                    public partial Task<string> FormatAsync(string text);
                }
            }
            """);

    [Fact]
    public Task Type_without_modifiers_gets_partial_before_its_keyword()
        => CodeFixTest<MakePartialCodeFixProvider>.RunIgnoringCompilerErrorsAsync("""
            class {|RSDK0001:Desk|}(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public partial Task<string> ClassifyAsync(string email);
            }
            """, """
            partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public partial Task<string> ClassifyAsync(string email);
            }
            """);
}
