using RoutingSdk.CodeFixes;

namespace RoutingSdk.Analyzers.Tests;

/// <summary>The fix of RSDK0004: a misspelled placeholder becomes the closest parameter name.</summary>
public sealed class PlaceholderCodeFixTests
{
    [Fact]
    public Task Misspelled_placeholders_become_the_closest_parameter_names()
        => CodeFixTest<PlaceholderCodeFixProvider>.RunAsync("""
            public partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Translation, Complexity.Low, Prompt = "Translate {|RSDK0004:{txet}|} into {|RSDK0004:{Langauge}|} for {customer}")]
                public partial Task<string> TranslateAsync(string text, string language, string customer, CancellationToken cancellationToken = default);

                [RoutedTask(TaskKind.Classification, Complexity.Low, Prompt = "Classify:\n{|RSDK0004:{mail}|}")]
                public partial Task<string> ClassifyAsync(string email);
            }
            """, """
            public partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Translation, Complexity.Low, Prompt = "Translate {text} into {language} for {customer}")]
                public partial Task<string> TranslateAsync(string text, string language, string customer, CancellationToken cancellationToken = default);

                [RoutedTask(TaskKind.Classification, Complexity.Low, Prompt = "Classify:\n{email}")]
                public partial Task<string> ClassifyAsync(string email);
            }
            """);

    [Fact]
    public async Task Message_suggests_the_closest_parameter()
    {
        var test = new AnalyzerTest("""
            public partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, Prompt = "Classify {|#0:{emial}|}")]
                public partial Task<string> ClassifyAsync(string email, string sender);
            }
            """);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("RSDK0004", DiagnosticSeverity.Error).WithLocation(0).WithMessage(
            "placeholder '{emial}' in the Prompt of routed task 'ClassifyAsync' names no parameter; the parameters are 'email', 'sender'; did you mean '{email}'?"));
        await test.RunAsync();
    }
}
