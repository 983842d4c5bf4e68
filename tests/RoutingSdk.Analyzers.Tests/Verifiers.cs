using System.IO;
using System.Collections.Immutable;
using System.Reflection;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using RoutingSdk.Generators;
using RoutingSdk.Generators.Analyzers;

namespace RoutingSdk.Analyzers.Tests;

/// <summary>
/// The analyzer (and code fix) tests' project: the net10.0 reference set from Basic.Reference.Assemblies (no reference
/// pack is downloaded), the RoutingSdk runtime, and the generator as an analyzer reference of the project, so that
/// tasks get their generated bodies as they do in the IDE and the build.
/// </summary>
internal static class TestProject
{
    public const string Usings = "using System.Threading;\nusing System.Threading.Tasks;\nusing RoutingSdk;\n";

    /// <summary>A reference set with no package to resolve: every reference is added explicitly below.</summary>
    private static readonly ReferenceAssemblies NoPackages = new("net10.0");

    private static readonly ImmutableArray<MetadataReference> References = Net100.References.All
        .Concat(new[]
        {
            typeof(TaskRouter).Assembly,
            typeof(Microsoft.Extensions.AI.IChatClient).Assembly,
            typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection).Assembly,
        }.Select(a => a.Location)
        // The runtime's kernel assembly, copied beside it (tests see the kernel types through the generator, which compiles them in).
        .Append(Path.Combine(Path.GetDirectoryName(typeof(TaskRouter).Assembly.Location)!, "RoutingSdk.Planning.dll"))
        .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)))
        .ToImmutableArray();

    private static readonly AnalyzerReference Generator = new AnalyzerFileReference(typeof(RoutedTaskGenerator).Assembly.Location, new LoadedAssemblies());

    public static void Configure<TVerifier>(AnalyzerTest<TVerifier> test)
        where TVerifier : IVerifier, new()
    {
        test.ReferenceAssemblies = NoPackages;
        test.TestState.AdditionalReferences.AddRange(References);
        test.SolutionTransforms.Add((solution, projectId) => solution.AddAnalyzerReference(projectId, Generator));
    }

    /// <summary>
    /// The analyzer's RSDK diagnostics on one source, as "ID: message" (the generator does not run on it), with the
    /// <paramref name="libraries"/> (name, source) compiled with the generator and referenced.
    /// </summary>
    public static async Task<string[]> AnalyzeAsync(string source, string? calibration = null, IReadOnlyList<(string Name, string Source)>? libraries = null)
    {
        var additional = calibration is null
            ? ImmutableArray<AdditionalText>.Empty
            : ImmutableArray.Create<AdditionalText>(new InMemoryAdditionalText("routing.calibration.json", calibration));
        var compilation = CSharpCompilation.Create("Docs", new[] { CSharpSyntaxTree.ParseText(source, path: "Example.cs") },
            References.AddRange((libraries ?? []).Select(l => Library(l.Name, l.Source))),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new RoutedTaskAnalyzer()), new AnalyzerOptions(additional))
            .GetAnalyzerDiagnosticsAsync();
        return diagnostics.Select(d => d.Id + ": " + d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>A class library compiled with the generator, as a metadata reference.</summary>
    private static MetadataReference Library(string name, string source)
    {
        var compilation = CSharpCompilation.Create(name, new[] { CSharpSyntaxTree.ParseText(source, path: name + ".cs") }, References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        CSharpGeneratorDriver.Create(new RoutedTaskGenerator()).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        using var image = new MemoryStream();
        var emitted = output.Emit(image);
        if (!emitted.Success) throw new InvalidOperationException($"The library {name} does not compile:\n" + string.Join("\n", emitted.Diagnostics));
        return MetadataReference.CreateFromImage(image.ToArray());
    }

    private sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
    {
        public override string Path => path;

        public override Microsoft.CodeAnalysis.Text.SourceText GetText(CancellationToken cancellationToken = default)
            => Microsoft.CodeAnalysis.Text.SourceText.From(text);
    }

    /// <summary>The generator assembly is already loaded by the test; hand it out rather than loading a second copy.</summary>
    private sealed class LoadedAssemblies : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
    }
}

/// <summary>Runs <see cref="RoutedTaskAnalyzer"/> on markup: <c>{|RSDK1001:Tier = "frontier"|}</c> marks the exact span.</summary>
internal sealed class AnalyzerTest : CSharpAnalyzerTest<RoutedTaskAnalyzer, DefaultVerifier>
{
    public AnalyzerTest(string source)
    {
        TestCode = TestProject.Usings + source;
        TestProject.Configure(this);
    }

    public static Task RunAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest(source);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>For sources the compiler itself rejects (a partial method in a type that is not partial): only RSDK diagnostics are compared.</summary>
    public static Task RunIgnoringCompilerErrorsAsync(string source)
        => new AnalyzerTest(source) { CompilerDiagnostics = CompilerDiagnostics.None }.RunAsync();
}

/// <summary>Runs a code fix on markup, one diagnostic at a time and with Fix All (document, project and solution scope).</summary>
internal sealed class CodeFixTest<TCodeFix> : CSharpCodeFixTest<RoutedTaskAnalyzer, TCodeFix, DefaultVerifier>
    where TCodeFix : CodeFixProvider, new()
{
    public CodeFixTest(string source, string fixedSource, string? equivalenceKey = null)
    {
        TestCode = TestProject.Usings + source;
        FixedCode = TestProject.Usings + fixedSource;
        CodeActionEquivalenceKey = equivalenceKey;
        TestProject.Configure(this);
    }

    public static Task RunAsync(string source, string fixedSource, string? equivalenceKey = null)
        => new CodeFixTest<TCodeFix>(source, fixedSource, equivalenceKey).RunAsync();

    /// <summary>For a source the compiler itself rejects before the fix: only RSDK diagnostics are compared.</summary>
    public static Task RunIgnoringCompilerErrorsAsync(string source, string fixedSource, string? equivalenceKey = null)
        => new CodeFixTest<TCodeFix>(source, fixedSource, equivalenceKey) { CompilerDiagnostics = CompilerDiagnostics.None }.RunAsync();
}
