using System.IO;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace RoutingSdk.Generators.Tests.Robustness;

/// <summary>
/// The defects <see cref="FuzzedInputsTests"/> found, one input each: each was an exception in the compiler (CS8785) or
/// generated code that did not compile, and is now a diagnostic on the input at fault and generated code that compiles.
/// </summary>
public sealed class FuzzedInputsRegressionTests
{
    private const string Usings = "using System;\nusing System.Threading;\nusing System.Threading.Tasks;\nusing RoutingSdk;\n\n";

    [Fact]
    public void A_routed_task_of_a_file_local_type_is_RSDK0001_and_gets_no_generated_part()
    {
        // Before: a generated 'partial class Desk' in its own file, another type than the file-local one (CS0759).
        var (output, generated) = Run(Usings + """
            file sealed partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public partial Task<string> ClassifyAsync(string email);
            }
            """);

        Assert.Empty(GeneratedErrors(output));
        Assert.DoesNotContain(generated, g => g.Contains("class Desk", StringComparison.Ordinal));
        var diagnostic = Assert.Single(GeneratorHarness.Analyze(output).Diagnostics);
        Assert.Equal(("RSDK0001", "type 'Desk' declares routed tasks but is file-local ('file'), so RoutingSdk cannot write their bodies in a file of its own; remove the 'file' modifier"),
            (diagnostic.Id, diagnostic.GetMessage()));
        Assert.Equal("Desk", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
    }

    [Fact]
    public void A_ref_readonly_parameter_keeps_its_modifier_and_the_task_is_routed()
    {
        // Before: 'ref readonly' was dropped from the generated signature (CS0759: no defining declaration).
        var (output, generated) = Run(Usings + """
            public sealed partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, Prompt = "{count} {email}")]
                public partial Task<string> ClassifyAsync(ref readonly int count, string email);
            }
            """);

        Assert.Empty(GeneratedErrors(output));
        Assert.Empty(GeneratorHarness.Analyze(output).Positions);
        Assert.Contains(generated, g => g.Contains("ClassifyAsync(ref readonly int count, string email)", StringComparison.Ordinal) && g.Contains(".RouteAsync(", StringComparison.Ordinal));
    }

    [Fact]
    public void A_span_parameter_is_RSDK0003_and_a_scoped_one_keeps_its_modifier()
    {
        // Before: the body formatted the span into the prompt (CS9244: a ref struct is no type argument), and 'scoped' was
        // dropped from the generated signature (CS8988).
        var (output, generated) = Run(Usings + """
            public sealed partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public partial Task<string> ClassifyAsync(scoped ReadOnlySpan<char> text);
            }
            """);

        Assert.Empty(GeneratedErrors(output));
        Assert.Contains(generated, g => g.Contains("ClassifyAsync(scoped global::System.ReadOnlySpan<char> text)", StringComparison.Ordinal));
        var diagnostic = Assert.Single(GeneratorHarness.Analyze(output).Diagnostics);
        Assert.Equal(("RSDK0003", "parameter 'text' of routed task 'ClassifyAsync' has the ref struct type 'System.ReadOnlySpan<char>', which the generated body cannot put into the prompt; take a string or an array instead"),
            (diagnostic.Id, diagnostic.GetMessage()));
    }

    [Fact]
    public void A_member_named_like_the_router_parameter_is_RSDK0002()
    {
        // Before: the body called 'router.RouteAsync', which binds to the field of type object (CS1061).
        var (output, _) = Run(Usings + """
            public sealed partial class Desk(TaskRouter router)
            {
                private readonly object router = router;

                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public partial Task<string> ClassifyAsync(string email);
            }
            """);

        Assert.Empty(GeneratedErrors(output));
        var diagnostic = Assert.Single(GeneratorHarness.Analyze(output).Diagnostics);
        Assert.Equal(("RSDK0002", "routed task 'ClassifyAsync' cannot call the TaskRouter primary-constructor parameter 'router': a member 'router' of 'Desk' has its name and hides it; rename the member or the parameter"),
            (diagnostic.Id, diagnostic.GetMessage()));
        Assert.Equal("ClassifyAsync", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
    }

    [Fact]
    public void A_dynamic_parameter_is_put_into_the_prompt_as_an_object()
    {
        // Before: PromptValue.Format(dynamic) made the prompt and the router call dynamic, where 'default' has no type (CS8716).
        var (output, generated) = Run(Usings + """
            public sealed partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public partial Task<string> ClassifyAsync(dynamic email);
            }
            """);

        Assert.DoesNotContain(GeneratorHarness.CompilerProblems(output), d => d.Severity == DiagnosticSeverity.Error);
        Assert.Empty(GeneratorHarness.Analyze(output).Positions);
        Assert.Contains(generated, g => g.Contains("global::RoutingSdk.PromptValue.Format((object?)email)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("typeof(int)", "its registration type 'int' is not a class")]
    [InlineData("typeof(Lib.Hidden)", "its registration type 'Lib.Hidden' is not public")]
    [InlineData("typeof(Lib.Generic<int>)", "its registration type 'Lib.Generic<int>' is generic")]
    [InlineData("typeof(Lib.NoRegister)", "its registration type 'Lib.NoRegister' has no public static Register(IServiceCollection) method")]
    public void A_registration_type_the_generated_code_cannot_call_is_RSDK0020_and_left_out(string type, string problem)
    {
        // Before: AddRoutedTasks() called int.Register(services) and RoutingTable.All read int.Plans (CS0117, CS0122, CS0305).
        var library = Library("Lib", "[assembly: RoutingSdk.RoutedTasksAssembly(" + type + ", \"Lib.Task small 0.8 0.9 1 2\")]\n" + """
            namespace Lib
            {
                internal static class Hidden
                {
                    public static System.Collections.Generic.IReadOnlyList<RoutingSdk.RoutePlan> Plans { get; } = new RoutingSdk.RoutePlan[0];
                    public static void Register(Microsoft.Extensions.DependencyInjection.IServiceCollection services) { }
                }

                public static class Generic<T>
                {
                    public static System.Collections.Generic.IReadOnlyList<RoutingSdk.RoutePlan> Plans { get; } = new RoutingSdk.RoutePlan[0];
                    public static void Register(Microsoft.Extensions.DependencyInjection.IServiceCollection services) { }
                }

                public static class NoRegister
                {
                    public static System.Collections.Generic.IReadOnlyList<RoutingSdk.RoutePlan> Plans { get; } = new RoutingSdk.RoutePlan[0];
                }
            }
            """);
        var (output, generated) = Run(App, library);

        Assert.Empty(GeneratedErrors(output));
        Assert.DoesNotContain(generated, g => g.Contains(".Register(services);", StringComparison.Ordinal));
        var diagnostic = Assert.Single(GeneratorHarness.Analyze(output).Diagnostics);
        Assert.Equal(("RSDK0020", $"Referenced assembly 'Lib' publishes its routed tasks in a form this RoutingSdk version cannot use ({problem}): AddRoutedTasks() and RoutingTable.All of this assembly leave them out; rebuild 'Lib' with this version of RoutingSdk"),
            (diagnostic.Id, diagnostic.GetMessage()));
    }

    [Fact]
    public void Published_figures_too_large_to_add_up_do_not_throw_from_the_cost_report()
    {
        // Before: the cost report summed the referenced plans' USD figures in decimal: OverflowException (CS8785).
        const string Huge = "79228162514264337593543950335";
        var first = Library("First", PublishingLibrary("First", $"First.Task small 0.8 0.9 {Huge} 0.0000000000000000000000000001"));
        var second = Library("Second", PublishingLibrary("Second", $"Second.Task small 0.8 0.9 {Huge} {Huge}"));
        var (output, generated) = Run(App, first, second);

        Assert.Empty(GeneratedErrors(output));
        var report = Assert.Single(generated, g => g.Contains("RoutingSdk cost report", StringComparison.Ordinal));
        Assert.Contains("total (3 tasks)", report, StringComparison.Ordinal);
        Assert.Contains("$79,228,162,514,264,337,593,543,950,335.00", report, StringComparison.Ordinal);
        Assert.Empty(GeneratorHarness.Analyze(output).Positions);
    }

    [Fact]
    public void Published_figures_below_zero_are_RSDK0020_and_left_out()
    {
        var library = Library("Lib", PublishingLibrary("Lib", "Lib.Task small 0.8 0.9 -79228162514264337593543950335 1"));
        var (output, generated) = Run(App, library);

        Assert.Empty(GeneratedErrors(output));
        Assert.DoesNotContain(generated, g => g.Contains("Lib.Task", StringComparison.Ordinal));
        var diagnostic = Assert.Single(GeneratorHarness.Analyze(output).Diagnostics);
        Assert.Contains("(its plans text is not in the format this version reads)", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    private const string App = Usings + """
        namespace App;

        public sealed partial class Assistant(TaskRouter router)
        {
            [RoutedTask(TaskKind.Formatting, Complexity.Low)]
            public partial Task<string> FormatAsync(string text);
        }
        """;

    /// <summary>A library that publishes <paramref name="plans"/> with a registration type the generated code can call.</summary>
    private static string PublishingLibrary(string ns, string plans) => "[assembly: RoutingSdk.RoutedTasksAssembly(typeof(" + ns + ".Registration), \"" + plans + "\")]\n"
        + "namespace " + ns + """

            {
                public static class Registration
                {
                    public static System.Collections.Generic.IReadOnlyList<RoutingSdk.RoutePlan> Plans { get; } = new RoutingSdk.RoutePlan[0];
                    public static void Register(Microsoft.Extensions.DependencyInjection.IServiceCollection services) { }
                }
            }
            """;

    /// <summary>Runs the generator (with the cost report on); the output compilation and the generated sources' text. The generator must not throw.</summary>
    private static (Compilation Output, string[] Generated) Run(string source, params MetadataReference[] references)
    {
        var compilation = GeneratorHarness.Compile(source).WithAssemblyName("App").AddReferences(references);
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new RoutedTaskGenerator().AsSourceGenerator()],
            parseOptions: new CSharpParseOptions(LanguageVersion.CSharp12), optionsProvider: new BuildPropertyOptions("true"));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        Assert.DoesNotContain(diagnostics, d => d.Id == "CS8785");
        return (output, result.GeneratedSources.Select(s => s.SourceText.ToString()).ToArray());
    }

    /// <summary>The errors in generated trees.</summary>
    private static Diagnostic[] GeneratedErrors(Compilation output)
        => output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true).ToArray();

    private static MetadataReference Library(string name, string source)
    {
        using var image = new MemoryStream();
        var emitted = GeneratorHarness.Compile(source).WithAssemblyName(name).Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return MetadataReference.CreateFromImage(image.ToArray());
    }
}
