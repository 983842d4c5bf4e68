using System.Linq;
using Xunit;

namespace RoutingSdk.Generators.Tests;

/// <summary>
/// RSDK0010: a task name two tasks would share routes neither; each gets a body that throws and no routing-table plan,
/// the output compiles, and a task whose name is unique keeps its name and plan.
/// </summary>
public sealed class DuplicateTaskNameTests
{
    private const string Usings = "using System.Threading;\nusing System.Threading.Tasks;\nusing RoutingSdk;\n";

    private const string TwoNamespaces = Usings + """
        namespace A
        {
            public partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public partial Task<string> ClassifyAsync(string email);

                [RoutedTask(TaskKind.Summarization, Complexity.Low)]
                public partial Task<string> SummarizeAsync(string email);
            }
        }

        namespace B
        {
            public partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public partial Task<string> ClassifyAsync(string email);

                [RoutedTask(TaskKind.Extraction, Complexity.Low)]
                public partial Task<string> ExtractAsync(string email);
                [RoutedTask(TaskKind.Extraction, Complexity.Low)]
                public partial Task<string> ExtractAsync(string email, int fields);
            }
        }
        """;

    private static string Table(Microsoft.CodeAnalysis.Compilation output)
        => output.SyntaxTrees.Single(t => t.FilePath.EndsWith("RoutingSdk.RoutingTable.g.cs", System.StringComparison.Ordinal)).ToString();

    [Fact]
    public void Shared_names_get_no_plan_and_the_output_compiles()
    {
        var (result, output) = GeneratorHarness.Run(TwoNamespaces);

        Assert.Empty(result.Diagnostics);
        // No compiler error (B.Desk's router is unread, CS9113, since none of its tasks routes).
        Assert.DoesNotContain(GeneratorHarness.CompilerProblems(output), d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
        var table = Table(output);
        Assert.DoesNotContain("\"Desk.ClassifyAsync\"", table, System.StringComparison.Ordinal);
        Assert.DoesNotContain("\"Desk.ExtractAsync\"", table, System.StringComparison.Ordinal);
        Assert.Contains("\"Desk.SummarizeAsync\"", table, System.StringComparison.Ordinal);
    }

    [Fact]
    public void Each_task_of_a_shared_name_gets_a_body_that_throws_and_names_RSDK0010()
    {
        var (_, output) = GeneratorHarness.Run(TwoNamespaces);

        var bodies = string.Join("\n", output.SyntaxTrees.Where(t => t.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal)).Select(t => t.ToString()));
        Assert.Equal(4, bodies.Split("was not generated because of RSDK0010").Length - 1);
    }

    [Fact]
    public void The_analyzer_reports_RSDK0010_on_each_task_of_a_shared_name_and_nothing_else()
    {
        var (_, output) = GeneratorHarness.Run(TwoNamespaces);

        var (positions, _) = GeneratorHarness.Analyze(output);

        Assert.Equal(new[] { "RSDK0010@9:37", "RSDK0010@21:37", "RSDK0010@24:37", "RSDK0010@26:37" }, positions);
    }
}
