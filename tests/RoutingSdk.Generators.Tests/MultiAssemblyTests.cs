using System.IO;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RoutingSdk.Generators.Model;
using Xunit;

namespace RoutingSdk.Generators.Tests;

/// <summary>
/// Routed tasks in class libraries: each library publishes its registration type and its plans through assembly
/// attributes, and the application's generated AddRoutedTasks() and RoutingTable.All take them in, also when the
/// application declares no task of its own.
/// </summary>
public sealed class MultiAssemblyTests
{
    private const string Billing = """
        using System.Threading.Tasks;
        using RoutingSdk;

        namespace Billing;

        internal sealed partial class InvoiceTasks(TaskRouter router)
        {
            [RoutedTask(TaskKind.Extraction, Complexity.Low, Prompt = "Extract the invoice total:\n{text}")]
            public partial Task<string> ExtractTotalAsync(string text);
        }
        """;

    private const string Support = """
        using System.Threading.Tasks;
        using RoutingSdk;

        namespace Support;

        public sealed partial class TicketTasks(TaskRouter router)
        {
            [RoutedTask(TaskKind.Classification, Complexity.Low, QualityThreshold = 0.85)]
            public partial Task<string> ClassifyAsync(string text);

            [RoutedTask(TaskKind.Summarization, Complexity.Medium)]
            public partial Task<string> SummarizeAsync(string thread);
        }
        """;

    private const string App = """
        using System.Threading.Tasks;
        using RoutingSdk;

        namespace App;

        public sealed partial class Assistant(TaskRouter router)
        {
            [RoutedTask(TaskKind.Formatting, Complexity.Low)]
            public partial Task<string> FormatAsync(string text);
        }
        """;

    private const string NoTasks = """
        namespace App;

        public static class Program
        {
            public static void Main() { }
        }
        """;

    [Fact]
    public void Application_registration_and_table_take_in_every_referenced_library()
    {
        var (result, output) = Run(App, Library("Billing.Lib", Billing), Library("Support.Lib", Support));

        Assert.Empty(GeneratorHarness.CompilerProblems(output));
        Assert.Empty(GeneratorHarness.Analyze(output).Positions);
        Snapshot.Verify(result);
    }

    [Fact]
    public void Application_without_tasks_still_gets_AddRoutedTasks_and_the_table_of_its_libraries()
    {
        var (result, output) = Run(NoTasks, Library("Billing.Lib", Billing), Library("Support.Lib", Support));

        Assert.Empty(GeneratorHarness.CompilerProblems(output));
        var sources = result.Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        // No tasks of its own: nothing to publish to its own referencing assemblies.
        Assert.Equal(["RoutingSdk.RoutingTable.g.cs", "RoutingSdk.ServiceCollectionExtensions.g.cs"], sources.Keys.Order());
        Assert.Contains("global::RoutingSdk.Generated.RoutedTasksOf_Billing_Lib.Register(services);", sources["RoutingSdk.ServiceCollectionExtensions.g.cs"]);
        Assert.Contains("global::RoutingSdk.Generated.RoutedTasksOf_Support_Lib.Register(services);", sources["RoutingSdk.ServiceCollectionExtensions.g.cs"]);
        Assert.Contains("All = Combine(global::System.Array.Empty<global::RoutingSdk.RoutePlan>(), global::RoutingSdk.Generated.RoutedTasksOf_Billing_Lib.Plans, global::RoutingSdk.Generated.RoutedTasksOf_Support_Lib.Plans);",
            sources["RoutingSdk.RoutingTable.g.cs"]);

        // The application's code compiles against what it was promised: AddRoutedTasks() and RoutingTable.All.
        var use = CSharpSyntaxTree.ParseText("""
            using Microsoft.Extensions.DependencyInjection;
            static class Use
            {
                static int Count(IServiceCollection services) { services.AddRoutedTasks(); return RoutingSdk.Generated.RoutingTable.All.Count; }
            }
            """, new CSharpParseOptions(LanguageVersion.CSharp12));
        Assert.Empty(GeneratorHarness.CompilerProblems(output.AddSyntaxTrees(use)));
    }

    [Fact]
    public void Application_without_tasks_or_libraries_with_tasks_gets_nothing()
    {
        var (result, _) = Run(NoTasks, Library("Plain.Lib", "namespace Plain; public static class Helper { }"));
        Assert.Empty(result.Results.Single().GeneratedSources);
    }

    [Fact]
    public void Project_without_tasks_that_sees_a_librarys_internals_uses_the_librarys_own_registration()
    {
        // A test project: the library gives it access to its internals, so its RoutingTable and AddRoutedTasks() are
        // visible there; generating a second pair would clash with them (CS0436).
        var library = Library("Support.Lib", Support, "[assembly: System.Runtime.CompilerServices.InternalsVisibleTo(\"App\")]");
        var (result, output) = Run(NoTasks, library);

        Assert.Empty(result.Results.Single().GeneratedSources);
        var use = CSharpSyntaxTree.ParseText("""
            using Microsoft.Extensions.DependencyInjection;
            static class Use
            {
                static int Count(IServiceCollection services) { services.AddRoutedTasks(); return RoutingSdk.Generated.RoutingTable.All.Count; }
            }
            """, new CSharpParseOptions(LanguageVersion.CSharp12));
        Assert.Empty(GeneratorHarness.CompilerProblems(output.AddSyntaxTrees(use)));
    }

    [Theory]
    // As a library built with RoutingSdk 0.1 looks: it references the runtime and has a routing table, but publishes nothing.
    [InlineData("", "Referenced assembly 'Old.Lib' has routed tasks but was built with a RoutingSdk version that does not publish them")]
    // A registration whose plans are not in the text this version reads (another version's format): not taken in, and said so.
    [InlineData("[assembly: RoutingSdk.RoutedTasksAssembly(typeof(Old), \"Old.RunAsync small 0.8\")]",
        "Referenced assembly 'Old.Lib' publishes its routed tasks in a form this RoutingSdk version cannot use (its plans text is not in the format this version reads)")]
    public void Library_whose_registration_this_version_cannot_read_is_not_taken_in(string registration, string message)
    {
        var old = Emit(GeneratorHarness.Compile(registration + " namespace RoutingSdk.Generated { internal static class RoutingTable { } } public class Old { public RoutingSdk.TaskRouter? Router; }")
            .WithAssemblyName("Old.Lib"));
        var (result, output) = Run(App, old);

        Assert.Empty(GeneratorHarness.CompilerProblems(output));
        Assert.DoesNotContain(result.Results.Single().GeneratedSources, s => s.SourceText.ToString().Contains("Old_Lib", StringComparison.Ordinal));
        // The analyzer says why its tasks are missing.
        var diagnostic = Assert.Single(GeneratorHarness.Analyze(output).Diagnostics);
        Assert.Equal("RSDK0020", diagnostic.Id);
        Assert.StartsWith(message, diagnostic.GetMessage());
    }

    [Fact]
    public void Task_name_declared_in_two_libraries_is_RSDK0020_and_both_tasks_stay_registered()
    {
        const string OtherDesk = """
            using System.Threading.Tasks;
            using RoutingSdk;

            namespace Other;

            public sealed partial class TicketTasks(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public partial Task<string> ClassifyAsync(string text);
            }
            """;
        var (result, output) = Run(App, Library("Support.Lib", Support), Library("Other.Lib", OtherDesk));

        var diagnostic = Assert.Single(GeneratorHarness.Analyze(output).Diagnostics);
        Assert.Equal("RSDK0020", diagnostic.Id);
        Assert.Equal(Location.None, diagnostic.Location);
        Assert.StartsWith("Routed task name 'TicketTasks.ClassifyAsync' is declared in 'Other.Lib' and 'Support.Lib';", diagnostic.GetMessage());
        var registration = result.Results.Single().GeneratedSources.Single(s => s.HintName == "RoutingSdk.ServiceCollectionExtensions.g.cs").SourceText.ToString();
        Assert.Contains("RoutedTasksOf_Other_Lib.Register(services);", registration);
        Assert.Contains("RoutedTasksOf_Support_Lib.Register(services);", registration);
    }

    [Fact]
    public void Task_name_of_the_application_that_a_library_declares_too_is_RSDK0020_on_the_applications_method()
    {
        const string SameName = """
            using System.Threading.Tasks;
            using RoutingSdk;

            namespace App;

            public sealed partial class TicketTasks(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public partial Task<string> ClassifyAsync(string text);
            }
            """;
        var (_, output) = Run(SameName, Library("Support.Lib", Support));

        Assert.Equal(["RSDK0020@9:33"], GeneratorHarness.Analyze(output).Positions);
        Assert.StartsWith("Routed task name 'TicketTasks.ClassifyAsync' is declared in this assembly and 'Support.Lib';", GeneratorHarness.Analyze(output).Diagnostics[0].GetMessage());
    }

    [Fact]
    public void Cost_report_lists_the_tasks_of_referenced_libraries()
    {
        var references = new[] { Library("Billing.Lib", Billing), Library("Support.Lib", Support) };
        var compilation = GeneratorHarness.Compile(App).AddReferences(references);
        var driver = CSharpGeneratorDriver.Create(
            [new RoutedTaskGenerator().AsSourceGenerator()],
            parseOptions: new CSharpParseOptions(LanguageVersion.CSharp12),
            optionsProvider: new BuildPropertyOptions("true"));
        var report = driver.RunGenerators(compilation).GetRunResult().Results.Single().GeneratedSources
            .Single(s => s.HintName == CostReportOutput.HintName).SourceText.ToString();

        Assert.Contains("RoutingSdk cost report: 4 routed tasks.", report);
        foreach (var task in new[] { "Assistant.FormatAsync", "InvoiceTasks.ExtractTotalAsync", "TicketTasks.ClassifyAsync", "TicketTasks.SummarizeAsync" })
            Assert.Contains("\n" + task + " ", report);
        Assert.Contains("total (4 tasks)", report);
        Assert.Contains("Includes the routed tasks of the referenced Billing.Lib (1), Support.Lib (2).", report);
    }

    [Fact]
    public void An_edit_that_leaves_the_references_alone_leaves_the_referenced_tasks_and_the_assembly_files_cached()
    {
        var compilation = GeneratorHarness.Compile(App).AddReferences(Library("Support.Lib", Support));
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(tree.GetText().Replace(0, 0, "// an unrelated comment\n")));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var references = Assert.Single(result.TrackedSteps[TrackingNames.References].SelectMany(r => r.Outputs));
        Assert.True(references.Reason is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached, $"step References was {references.Reason}");
        Assert.Equal("Support.Lib", Assert.Single(((ReferencedTasks)references.Value).Assemblies).Name);
        var assemblyOutput = result.TrackedOutputSteps.SelectMany(s => s.Value)
            .Single(step => step.Inputs.Any(i => i.Source.Outputs[i.OutputIndex].Value is (AssemblyTasks, ReferencedTasks)));
        Assert.Equal(IncrementalStepRunReason.Cached, assemblyOutput.Outputs.Single().Reason);
    }

    /// <summary>Runs the generator on the application (twice: the second run must recompute nothing).</summary>
    private static (GeneratorDriverRunResult Result, Compilation Output) Run(string source, params MetadataReference[] libraries)
    {
        var driver = CachingAssert.RunTwice(GeneratorHarness.CreateDriver(trackSteps: true),
            GeneratorHarness.Compile(source).WithAssemblyName("App").AddReferences(libraries), out var output);
        return (driver.GetRunResult(), output);
    }

    /// <summary>A class library compiled with the generator, as a metadata reference.</summary>
    private static MetadataReference Library(string name, params string[] sources)
    {
        var compilation = GeneratorHarness.Compile(sources).WithAssemblyName(name);
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return Emit(output);
    }

    private static MetadataReference Emit(Compilation compilation)
    {
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return MetadataReference.CreateFromImage(image.ToArray());
    }
}
