using RoutingSdk.Generators;

namespace RoutingSdk.Analyzers.Tests;

/// <summary>RSDK0004: every {placeholder} of the Prompt names a parameter.</summary>
public sealed class UnknownPlaceholderTests
{
    [Fact]
    public Task Misspelled_placeholder_is_RSDK0004_on_the_placeholder()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, Prompt = "Classify {|RSDK0004:{emial}|} for {name}")]
                public partial Task<string> Run(string email, string name);
            }
            """);

    [Fact]
    public Task Unclosed_placeholder_is_RSDK0004_on_the_prompt()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, Prompt = {|RSDK0004:"Classify {email"|})]
                public partial Task<string> Run(string email);
            }
            """);

    [Fact]
    public Task Placeholders_naming_parameters_and_escaped_braces_are_not_RSDK0004()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, Prompt = "Answer as {{\"label\": ...}} for {email} and {@class}")]
                public partial Task<string> Run(string email, string @class);
            }
            """);

    [Fact]
    public Task Placeholder_naming_the_cancellation_token_is_RSDK0004_on_the_placeholder()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, Prompt = "Classify {email} {|RSDK0004:{ct}|}")]
                public partial Task<string> Run(string email, CancellationToken ct);
            }
            """);

    [Fact]
    public Task The_cancellation_token_placeholder_message_names_the_inputs()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, Prompt = "Classify {email} {|#0:{ct}|}")]
                public partial Task<string> Run(string email, CancellationToken ct);
            }
            """,
            new DiagnosticResult(DiagnosticDescriptors.CancellationTokenPlaceholder).WithLocation(0).WithArguments("ct", "Run", "'email'"));
}
