namespace RoutingSdk.Analyzers.Tests;

/// <summary>A deliberate tier choice can be accepted: Justification, #pragma, [SuppressMessage] and .editorconfig severities.</summary>
public sealed class SuppressionTests
{
    private const string Pinned = """
        public partial class Desk(TaskRouter router)
        {
            [RoutedTask(TaskKind.Classification, Complexity.Low, Tier = "frontier")]
            public partial Task<string> ClassifyAsync(string email);
        }
        """;

    [Fact]
    public Task Justification_accepts_a_pinned_tier()
        => AnalyzerTest.RunAsync("""
            public partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, Tier = "frontier", Justification = "Legal review requires the frontier model")]
                public partial Task<string> ClassifyAsync(string email);

                [RoutedTask(TaskKind.Analysis, Complexity.High, Tier = "small", Justification = "A draft only; a lawyer reads every answer")]
                public partial Task<string> DraftAsync(string clause);

                [RoutedTask(TaskKind.Formatting, Complexity.Low, MaxTier = "frontier-thinking", Justification = "Measured: thinking fixes the table layouts")]
                public partial Task<string> FormatAsync(string table);
            }
            """);

    [Fact]
    public Task Justification_does_not_accept_a_blown_budget()
        => AnalyzerTest.RunAsync("""
            public partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, Tier = "frontier", {|RSDK1003:MaxCostPerThousandCalls = 0.5|}, Justification = "Legal review requires the frontier model")]
                public partial Task<string> ClassifyAsync(string email);
            }
            """);

    [Fact]
    public Task Empty_justification_accepts_nothing()
        => AnalyzerTest.RunAsync("""
            public partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, {|RSDK1001:Tier = "frontier"|}, Justification = " ")]
                public partial Task<string> ClassifyAsync(string email);
            }
            """);

    [Fact]
    public Task Pragma_suppresses_RSDK1001()
        => AnalyzerTest.RunAsync("#pragma warning disable RSDK1001\n" + Pinned);

    [Fact]
    public Task SuppressMessage_on_the_method_suppresses_RSDK1001()
        => AnalyzerTest.RunAsync("""
            public partial class Desk(TaskRouter router)
            {
                [System.Diagnostics.CodeAnalysis.SuppressMessage("RoutingSdk.Cost", "RSDK1001", Justification = "Deliberate")]
                [RoutedTask(TaskKind.Classification, Complexity.Low, Tier = "frontier")]
                public partial Task<string> ClassifyAsync(string email);
            }
            """);

    [Fact]
    public async Task Editorconfig_severity_none_silences_RSDK1001()
    {
        var test = new AnalyzerTest(Pinned);
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.RSDK1001.severity = none\n"));
        await test.RunAsync();
    }

    // Raising a severity (dotnet_diagnostic.RSDK2002.severity = error) is checked with the real compiler, in the
    // packed-package test: the in-memory test driver does not apply raised severities.
}
