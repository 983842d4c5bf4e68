using Microsoft.CodeAnalysis;
using Xunit;

namespace RoutingSdk.Generators.Tests;

/// <summary>
/// The split of work on erroneous input: the generator reports nothing (and skips what it cannot emit); the analyzer,
/// run on the generator's output, reports each usage error and Planner finding once, on the syntax it concerns, never
/// in generated code. (Every rule's own tests, with code fixes, are in RoutingSdk.Analyzers.Tests.)
/// </summary>
public sealed class DiagnosticTests
{
    private const string Usings = "using System.Threading;\nusing System.Threading.Tasks;\nusing RoutingSdk;\n";

    private static string[] Diagnose(string body) => Diagnose(new[] { Usings + body }).Positions;

    private static (string[] Positions, Diagnostic[] Diagnostics) Diagnose(string[] sources)
    {
        var (result, output) = GeneratorHarness.Run(sources);
        Assert.Empty(result.Diagnostics);
        var analyzed = GeneratorHarness.Analyze(output);
        Assert.All(analyzed.Diagnostics, d => Assert.DoesNotContain(".g.cs", d.Location.SourceTree?.FilePath ?? ""));
        return analyzed;
    }

    [Fact]
    public void Method_that_is_not_partial_is_RSDK0001_on_its_name()
        => Assert.Equal(new[] { "RSDK0001@7:25" }, Diagnose("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification)]
                public Task<string> Run(string x) => Task.FromResult(x);
            }
            """));

    [Fact]
    public void Type_that_is_not_partial_is_RSDK0001_on_the_type_name()
        => Assert.Equal(new[] { "RSDK0001@4:14" }, Diagnose("""
            public class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification)]
                public partial Task<string> Run(string x);
            }
            """));

    [Fact]
    public void Generic_method_is_RSDK0001_on_its_type_parameters()
        => Assert.Equal(new[] { "RSDK0001@7:36" }, Diagnose("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification)]
                public partial Task<string> Run<T>(T x);
            }
            """));

    [Fact]
    public void No_router_is_RSDK0002_on_the_method_name()
        => Assert.Equal(new[] { "RSDK0002@7:33" }, Diagnose("""
            public partial class C
            {
                [RoutedTask(TaskKind.Classification)]
                public partial Task<string> Run(string x);
            }
            """));

    [Fact]
    public void Parameter_hiding_the_router_parameter_is_RSDK0002_on_the_parameter_and_the_body_throws()
    {
        var (result, output) = GeneratorHarness.Run(Usings + """
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public partial Task<string> Run(string router);
            }
            """);

        var (positions, diagnostics) = GeneratorHarness.Analyze(output);
        Assert.Equal(new[] { "RSDK0002@7:37" }, positions);
        Assert.Contains("parameter 'router' of routed task 'Run' hides the TaskRouter primary-constructor parameter 'router'", diagnostics.Single().GetMessage());
        Assert.Contains("was not generated because of RSDK0002", string.Join("\n", result.GeneratedTrees.Select(t => t.ToString())));
    }

    [Fact]
    public void Router_in_an_accessible_base_class_is_found()
        => Assert.Empty(Diagnose("""
            public abstract class Base { protected TaskRouter Router { get; } = null!; }
            public partial class C : Base
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public partial Task<string> Run(string x);
            }
            """));

    [Fact]
    public void Non_task_return_and_ref_parameter_are_RSDK0003()
        => Assert.Equal(new[] { "RSDK0003@7:20", "RSDK0003@10:39" }, Diagnose("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification)]
                public partial string Run(string x);

                [RoutedTask(TaskKind.Classification)]
                public partial Task<string> Other(ref string x);
            }
            """));

    [Fact]
    public void Misspelled_placeholder_is_RSDK0004_on_the_placeholder()
        => Assert.Equal(new[] { "RSDK0004@6:62" }, Diagnose("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Prompt = "Classify: {emial}")]
                public partial Task<string> Run(string email);
            }
            """));

    [Fact]
    public void Task_with_an_error_reads_the_router_so_its_primary_constructor_parameter_raises_no_second_error()
    {
        // The only task of the type has RSDK0004: its body throws, and the router parameter is read by nothing else.
        var (_, output) = GeneratorHarness.Run(Usings + """
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Prompt = "Classify: {emial}")]
                public partial Task<string> Run(string email);
            }
            """);
        Assert.Equal(["RSDK0004@6:62"], GeneratorHarness.Analyze(output).Positions);
        Assert.Empty(GeneratorHarness.CompilerProblems(output).Select(d => d.Id + ": " + d.GetMessage()));
    }

    [Fact]
    public void Unknown_tier_is_RSDK0005_on_the_argument()
        => Assert.Equal(new[] { "RSDK0005@6:42" }, Diagnose("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Tier = "huge")]
                public partial Task<string> Run(string email);
            }
            """));

    [Fact]
    public void Threshold_outside_zero_to_one_is_RSDK0006_on_the_argument()
        => Assert.Equal(new[] { "RSDK0006@6:42" }, Diagnose("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, QualityThreshold = 1.5)]
                public partial Task<string> Run(string email);
            }
            """));

    [Fact]
    public void Duplicate_tier_ranks_are_RSDK0007()
        => Assert.Equal(new[] { "RSDK0007@1:12" }, Diagnose(new[] { """
            [assembly: RoutingSdk.ModelTier("a", Rank = 0, InputCostPerMillion = 1, OutputCostPerMillion = 1)]
            [assembly: RoutingSdk.ModelTier("b", Rank = 0, InputCostPerMillion = 2, OutputCostPerMillion = 2)]
            """ }).Positions);

    [Fact]
    public void Frontier_pinned_on_low_classification_is_RSDK1001_on_the_tier_argument()
    {
        var (positions, diagnostics) = Diagnose(new[] { Usings + """
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, QualityThreshold = 0.8, Tier = "frontier")]
                public partial Task<string> ClassifyAsync(string email);
            }
            """ });

        Assert.Equal(new[] { "RSDK1001@6:82" }, positions);
        var message = diagnostics.Single().GetMessage();
        Assert.Contains("'ClassifyAsync' pins tier 'frontier'", message);
        Assert.Contains("'small' meets QualityThreshold 0.8", message);
    }

    [Fact]
    public void Planner_findings_become_warnings_on_their_arguments()
        => Assert.Equal(new[] { "RSDK2003@6:53", "RSDK1002@9:58", "RSDK2002@12:77", "RSDK1003@15:77", "RSDK2001@18:53" }, Diagnose("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Analysis, Complexity.High, Tier = "small")]
                public partial Task<string> A(string x);

                [RoutedTask(TaskKind.Classification, Complexity.Low, MaxTier = "frontier-thinking")]
                public partial Task<string> B(string x);

                [RoutedTask(TaskKind.Analysis, Complexity.High, QualityThreshold = 0.9, LatencyBudgetMs = 1000)]
                public partial Task<string> D(string x);

                [RoutedTask(TaskKind.Analysis, Complexity.High, QualityThreshold = 0.8, MaxCostPerThousandCalls = 1)]
                public partial Task<string> E(string x);

                [RoutedTask(TaskKind.Analysis, Complexity.High, QualityThreshold = 0.99, MaxTier = "mid")]
                public partial Task<string> F(string x);
            }
            """));

    [Fact]
    public void Well_planned_tasks_have_no_diagnostics()
        => Assert.Empty(Diagnose(new[] { GeneratorSnapshotTests.SupportDesk }).Positions);

    [Fact]
    public void Type_that_is_not_partial_is_reported_once_for_all_its_tasks()
        => Assert.Equal(new[] { "RSDK0001@4:14" }, Diagnose("""
            public class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification)]
                public partial Task<string> Run(string x);

                [RoutedTask(TaskKind.Extraction)]
                public partial Task<string> Other(string x);
            }
            """));

    [Fact]
    public void Erroneous_tasks_get_no_body_and_valid_ones_still_do()
    {
        var (result, output) = GeneratorHarness.Run(Usings + """
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Tier = "huge")]
                public partial Task<string> Broken(string x);

                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public partial Task<string> Fine(string x);
            }
            """);

        Assert.Empty(result.Diagnostics);
        var generated = string.Join("\n", result.GeneratedTrees.Select(t => t.ToString()));
        Assert.Contains("RoutingTable.C_Fine", generated);
        Assert.Contains("was not generated because of RSDK0005", generated);
        Assert.Equal(new[] { "RSDK0005@6:42" }, GeneratorHarness.Analyze(output).Positions);
    }
}
