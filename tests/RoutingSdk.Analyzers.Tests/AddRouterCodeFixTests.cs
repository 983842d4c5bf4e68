using RoutingSdk.CodeFixes;

namespace RoutingSdk.Analyzers.Tests;

/// <summary>The fix of RSDK0002: a TaskRouter primary-constructor parameter, once per type.</summary>
public sealed class AddRouterCodeFixTests
{
    [Fact]
    public Task Types_get_one_router_parameter_each_new_list_or_existing()
        => CodeFixTest<AddRouterCodeFixProvider>.RunAsync("""
            public partial class Desk
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public partial Task<string> {|RSDK0002:ClassifyAsync|}(string email);

                [RoutedTask(TaskKind.Extraction, Complexity.Low)]
                public partial Task<string> {|RSDK0002:ExtractAsync|}(string email);
            }

            public sealed partial class Box<T> : System.IDisposable
            {
                public void Dispose() { }

                [RoutedTask(TaskKind.Formatting, Complexity.Low)]
                public partial Task<string> {|RSDK0002:FormatAsync|}(string text);
            }

            public partial class Named(string name)
            {
                public string Name => name;

                [RoutedTask(TaskKind.Summarization, Complexity.Low)]
                public partial Task<string> {|RSDK0002:SummarizeAsync|}(string text);
            }
            """, """
            public partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public partial Task<string> ClassifyAsync(string email);

                [RoutedTask(TaskKind.Extraction, Complexity.Low)]
                public partial Task<string> ExtractAsync(string email);
            }

            public sealed partial class Box<T>(TaskRouter router) : System.IDisposable
            {
                public void Dispose() { }

                [RoutedTask(TaskKind.Formatting, Complexity.Low)]
                public partial Task<string> FormatAsync(string text);
            }

            public partial class Named(string name, TaskRouter router)
            {
                public string Name => name;

                [RoutedTask(TaskKind.Summarization, Complexity.Low)]
                public partial Task<string> SummarizeAsync(string text);
            }
            """);

    [Fact]
    public async Task Record_gets_no_router_parameter_fix()
    {
        const string Source = """
            public partial record Named(string Name)
            {
                [RoutedTask(TaskKind.Summarization, Complexity.Low)]
                public partial Task<string> {|RSDK0002:SummarizeAsync|}(string text);
            }
            """;
        await new CodeFixTest<AddRouterCodeFixProvider>(Source, Source).RunAsync();
    }

    [Fact]
    public async Task Static_task_gets_no_router_parameter_fix()
    {
        var test = new CodeFixTest<AddRouterCodeFixProvider>("""
            public partial class Desk
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public static partial Task<string> {|RSDK0002:ClassifyAsync|}(string email);
            }
            """, """
            public partial class Desk
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public static partial Task<string> {|RSDK0002:ClassifyAsync|}(string email);
            }
            """);
        await test.RunAsync();
    }
}
