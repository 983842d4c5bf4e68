using System.IO;
using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using RoutingSdk.Generators;

namespace RoutingSdk.Generators.Tests;

/// <summary>Runs the generator on in-memory sources against the net10.0 reference set (the test process's runtime) and the RoutingSdk runtime.</summary>
internal static class GeneratorHarness
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

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

    public static CSharpCompilation Compile(params string[] sources)
        => CSharpCompilation.Create("Consumer",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Input{i}.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                // As the .NET SDK does by default: the runtime's net8.0 build unifies with the newer reference set.
                .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS1701"] = ReportDiagnostic.Suppress, ["CS1702"] = ReportDiagnostic.Suppress }));

    public static GeneratorDriver CreateDriver(bool trackSteps = false, params AdditionalText[] additionalTexts)
        => CSharpGeneratorDriver.Create(
            new[] { new RoutedTaskGenerator().AsSourceGenerator() },
            additionalTexts: additionalTexts,
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator with a <c>routing.calibration.json</c> AdditionalFiles item, twice (see <see cref="CachingAssert"/>).</summary>
    public static (GeneratorDriverRunResult Result, Compilation Output) RunWithCalibration(string calibration, params string[] sources)
    {
        var driver = CachingAssert.RunTwice(CreateDriver(true, new InMemoryText("/project/routing.calibration.json", calibration)), Compile(sources), out var output);
        return (driver.GetRunResult(), output);
    }

    /// <summary>An AdditionalFiles item held in memory.</summary>
    public sealed class InMemoryText(string path, string text) : AdditionalText
    {
        public override string Path => path;

        public override Microsoft.CodeAnalysis.Text.SourceText GetText(System.Threading.CancellationToken cancellationToken = default)
            => Microsoft.CodeAnalysis.Text.SourceText.From(text);
    }

    /// <summary>
    /// Runs the generator; returns the run result and the compilation with the generated code added. Every run is
    /// made twice, and the second must recompute nothing, and no step output may hold a symbol, syntax or location
    /// (<see cref="CachingAssert.RunTwice"/>): every snapshot and diagnostic scenario proves the caching.
    /// </summary>
    public static (GeneratorDriverRunResult Result, Compilation Output) Run(params string[] sources)
    {
        var driver = CachingAssert.RunTwice(CreateDriver(trackSteps: true), Compile(sources), out var output);
        return (driver.GetRunResult(), output);
    }

    /// <summary>
    /// The analyzer's RSDK diagnostics on a compilation (the generator's output, so generated bodies are present), as
    /// "ID@line:column" strings in source order, with the diagnostics themselves.
    /// </summary>
    public static (string[] Positions, Diagnostic[] Diagnostics) Analyze(Compilation compilation)
    {
        var diagnostics = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new RoutingSdk.Generators.Analyzers.RoutedTaskAnalyzer()))
            .GetAllDiagnosticsAsync().GetAwaiter().GetResult()
            .Where(d => d.Id.StartsWith("RSDK", StringComparison.Ordinal) || d.Id == "AD0001")
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ToArray();
        return (diagnostics.Select(Position).ToArray(), diagnostics);
    }

    private static string Position(Diagnostic d) => $"{d.Id}@{d.Location.GetLineSpan().StartLinePosition.Line + 1}:{d.Location.GetLineSpan().StartLinePosition.Character + 1}";

    /// <summary>Compiler errors and warnings of the output compilation (generated code included).</summary>
    public static Diagnostic[] CompilerProblems(Compilation output)
        => output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
}
