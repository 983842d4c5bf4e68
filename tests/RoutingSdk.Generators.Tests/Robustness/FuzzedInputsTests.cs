using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using RoutingSdk.Generators.Model;
using RoutingSdk.Planning.Calibration;
using Xunit;
using Xunit.Abstractions;

namespace RoutingSdk.Generators.Tests.Robustness;

/// <summary>
/// On seeded, bounded inputs of the kinds added since <see cref="MalformedSources"/> (<see cref="FuzzedInputs"/>:
/// calibration files, odd task declarations, extreme <c>[assembly: ModelTier]</c>, malformed published plans of referenced
/// assemblies), the generator and every analyzer of the generator assembly neither throw (CS8785, AD0001) nor hang, the
/// generated code has no error the user's own code does not have too, and a calibration file with a problem gets RSDK0008 on it.
/// </summary>
public sealed class FuzzedInputsTests(ITestOutputHelper output)
{
    /// <summary>Cases per family (calibration files, task declarations; half as many tier catalogs, a quarter reference sets).</summary>
    private const int PerFamily = 100;

    private static readonly TimeSpan PerCaseTimeout = TimeSpan.FromSeconds(20);
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);
    private static readonly BuildPropertyOptions Options = new("true");

    [Fact]
    public void Fuzzed_inputs_become_diagnostics_never_exceptions_broken_generated_code_or_hangs()
    {
        var cases = FuzzedInputs.Cases(PerFamily);
        var analyzers = RobustnessTests.Analyzers();
        Assert.NotEmpty(analyzers);

        var failures = new ConcurrentQueue<string>();
        var coverage = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        var next = -1;
        var workers = 2;
        var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
        {
            for (var index = Interlocked.Increment(ref next); index < cases.Count; index = Interlocked.Increment(ref next))
            {
                if (Run(cases[index], analyzers, coverage: coverage) is { } problem) failures.Enqueue(problem + "\n" + cases[index]);
            }
        })
        { IsBackground = true }).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();

        foreach (var failure in failures) output.WriteLine("failed: " + failure.Split('\n')[0]);
        output.WriteLine($"{cases.Count} cases ({string.Join(", ", cases.GroupBy(c => c.Family).Select(g => $"{g.Key}: {g.Count()}"))}) in {clock.Elapsed.TotalSeconds:0.0} s on {workers} threads");
        output.WriteLine("reached: " + string.Join(", ", coverage.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}")));
        Assert.True(failures.IsEmpty, $"{failures.Count} of {cases.Count} cases failed; the first:\n\n" + string.Join("\n\n", failures.Take(3)));

        // The cases reach what they are for: calibrated plans with acceptors and agreement baselines in the generated
        // table, calibration files with problems, catalogs with problems, referenced assemblies the application takes in
        // and ones it cannot.
        foreach (var reached in new[] { "acceptors emitted", "agreement baselines emitted", "skip level emitted", "RSDK0008", "RSDK0007", "RSDK0020", "referenced plans taken in", "RSDK0001", "RSDK0003", "RSDK0004", "routed body" })
            Assert.True(coverage.GetValueOrDefault(reached) >= 3, $"Only {coverage.GetValueOrDefault(reached)} cases reached '{reached}'.");
    }

    /// <summary>The checks would see a generator that throws, an analyzer that throws and generated code that does not compile.</summary>
    [Fact]
    public void A_throwing_generator_a_throwing_analyzer_and_broken_generated_code_each_fail_a_case()
    {
        var valid = FuzzedInputs.Cases(4).First(c => c.Family == "calibration file");
        var analyzers = RobustnessTests.Analyzers();

        Assert.Null(Run(valid, analyzers));
        Assert.Contains("the generator threw", Run(valid, analyzers, new PlantedGenerator(throws: true)));
        Assert.Contains("generated code has errors", Run(valid, analyzers, new PlantedGenerator(throws: false)));
        Assert.Contains("threw", Run(valid, analyzers.Add(new ThrowingAnalyzer())));
    }

    /// <summary>A calibration file with a problem that no RSDK0008 reports fails its case.</summary>
    [Fact]
    public void A_calibration_problem_without_RSDK0008_fails_a_case()
    {
        var broken = new FuzzedInputs.Case("calibration file", 0, FuzzedInputs.Cases(1)[0].Sources, "{\"tasks\": ", Array.Empty<FuzzedInputs.Library>());
        Assert.Null(Run(broken, RobustnessTests.Analyzers()));
        Assert.Contains("RSDK0008", Run(broken, ImmutableArray<DiagnosticAnalyzer>.Empty));
    }

    /// <summary>A body written to throw because of a usage error that no analyzer reports fails its case.</summary>
    [Fact]
    public void A_body_that_throws_for_an_error_nobody_reports_fails_a_case()
    {
        var source = "using System.Threading.Tasks;\nusing RoutingSdk;\n\npublic sealed partial class Desk(TaskRouter router)\n{\n"
            + "    [RoutedTask(TaskKind.Classification)]\n    public partial Task<string> RunAsync(ref string text);\n}\n";
        var input = new FuzzedInputs.Case("task declaration", 0, new[] { source }, null, Array.Empty<FuzzedInputs.Library>());
        Assert.Null(Run(input, RobustnessTests.Analyzers()));
        Assert.Contains("throws because of RSDK0003, but no RSDK0003 is reported", Run(input, ImmutableArray<DiagnosticAnalyzer>.Empty));
    }

    /// <summary>Runs one case within <see cref="PerCaseTimeout"/>; what went wrong, or null.</summary>
    private static string? Run(FuzzedInputs.Case input, ImmutableArray<DiagnosticAnalyzer> analyzers, IIncrementalGenerator? generator = null,
        ConcurrentDictionary<string, int>? coverage = null)
    {
        using var timeout = new CancellationTokenSource(PerCaseTimeout);
        var run = Task.Run(() => Check(input, analyzers, generator ?? new RoutedTaskGenerator(), coverage ?? new(), timeout.Token));
        try
        {
            // A run that ignores the token is left behind (its thread is a background one) and fails the case.
            if (!run.Wait(PerCaseTimeout + TimeSpan.FromSeconds(10))) return $"the case did not end within {PerCaseTimeout.TotalSeconds} s";
            return run.Result;
        }
        catch (AggregateException ex) when (ex.InnerException is OperationCanceledException && timeout.IsCancellationRequested)
        {
            return $"the case did not end within {PerCaseTimeout.TotalSeconds} s";
        }
        catch (AggregateException ex)
        {
            return "the driver threw: " + ex.InnerException;
        }
    }

    private static string? Check(FuzzedInputs.Case input, ImmutableArray<DiagnosticAnalyzer> analyzers, IIncrementalGenerator generator,
        ConcurrentDictionary<string, int> coverage, CancellationToken cancellationToken)
    {
        void Reached(string what) => coverage.AddOrUpdate(what, 1, static (_, n) => n + 1);
        var libraries = new List<MetadataReference>();
        foreach (var library in input.Libraries)
        {
            if (CompileLibrary(library) is not { } reference)
                return $"(test input) library {library.Name} does not compile: " + string.Join("; ", GeneratorHarness.Compile(library.Source).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(3));
            libraries.Add(reference);
        }

        var compilation = GeneratorHarness.Compile(input.Sources).WithAssemblyName("App").AddReferences(libraries);
        var additional = input.Calibration is null
            ? ImmutableArray<AdditionalText>.Empty
            : ImmutableArray.Create<AdditionalText>(new GeneratorHarness.InMemoryText(FuzzedInputs.CalibrationPath, input.Calibration));

        // The generator: no exception, no CS8785.
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { generator.AsSourceGenerator() }, additional, ParseOptions, Options);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var updated, out var generatorDiagnostics, cancellationToken);
        if (driver.GetRunResult().Results.Select(r => r.Exception).FirstOrDefault(e => e is not null) is { } exception) return "the generator threw: " + exception;
        if (generatorDiagnostics.FirstOrDefault(d => d.Id is "CS8785" or "CS8784") is { } crashed) return crashed.Id + ": " + crashed.GetMessage();

        var generated = string.Concat(updated.SyntaxTrees.Skip(compilation.SyntaxTrees.Count()).Select(t => t.GetText(cancellationToken).ToString()));
        if (generated.Contains("acceptors: new", StringComparison.Ordinal)) Reached("acceptors emitted");
        if (generated.Contains("agreementBaselines: new", StringComparison.Ordinal)) Reached("agreement baselines emitted");
        if (SkipLevel.IsMatch(generated)) Reached("skip level emitted");
        if (generated.Contains(".Register(services);", StringComparison.Ordinal)) Reached("referenced plans taken in");
        if (generated.Contains(".RouteAsync(", StringComparison.Ordinal) || generated.Contains(".RouteValueAsync(", StringComparison.Ordinal)) Reached("routed body");

        // The generated code: no error that the user's own code does not have as well (a parameter of an unknown type is
        // unknown in the generated signature too).
        var inputTrees = compilation.SyntaxTrees.ToHashSet();
        var generatedErrors = updated.GetDiagnostics(cancellationToken)
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } tree && !inputTrees.Contains(tree))
            .ToArray();
        if (generatedErrors.Length > 0)
        {
            var own = compilation.GetDiagnostics(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).ToHashSet();
            var unexplained = generatedErrors.Where(d => !own.Contains(d.Id)).ToArray();
            if (unexplained.Length > 0)
            {
                var tree = unexplained[0].Location.SourceTree!;
                return "the generated code has errors the user's code does not: " + string.Join("; ", unexplained.Take(3))
                    + "\n--- " + Path.GetFileName(tree.FilePath) + " ---\n" + tree.GetText(cancellationToken);
            }
        }

        // The analyzers, on the code with the generated bodies (as the build runs them): none throws.
        var thrown = new ConcurrentQueue<string>();
        var withAnalyzers = updated.WithAnalyzers(analyzers.IsEmpty ? ImmutableArray.Create<DiagnosticAnalyzer>(new NoAnalyzer()) : analyzers,
            new CompilationWithAnalyzersOptions(new AnalyzerOptions(additional, Options),
                onAnalyzerException: (ex, analyzer, _) => thrown.Enqueue(analyzer.GetType().Name + " threw: " + ex),
                concurrentAnalysis: false, logAnalyzerExecutionTime: false));
        var diagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken).GetAwaiter().GetResult();
        if (thrown.TryPeek(out var first)) return first;
        if (diagnostics.FirstOrDefault(d => d.Id == "AD0001") is { } ad0001) return "AD0001: " + ad0001.GetMessage();
        foreach (var id in diagnostics.Select(d => d.Id).Where(id => id.StartsWith("RSDK", StringComparison.Ordinal)).Distinct()) Reached(id);

        // A body the generator wrote to throw because of usage errors: the analyzer reports each of them.
        foreach (System.Text.RegularExpressions.Match because in System.Text.RegularExpressions.Regex.Matches(generated, @"'([^']*)' was not generated because of ([A-Z0-9, ]+);"))
        {
            foreach (var id in because.Groups[2].Value.Split(", "))
            {
                if (!diagnostics.Any(d => d.Id == id)) return $"the body of '{because.Groups[1].Value}' throws because of {id}, but no {id} is reported";
            }
        }

        // A calibration file with a problem is told so, on the file, within its lines.
        if (input.Calibration is { } calibration)
        {
            var onFile = diagnostics.Where(d => d.Id == DiagnosticIds.BadCalibration && d.Location.GetLineSpan().Path == FuzzedInputs.CalibrationPath).ToArray();
            var hasProblem = calibration.Length > CalibrationModel.MaxCharacters || !CalibrationFile.Parse(calibration).Success;
            if (hasProblem && onFile.Length == 0) return "the calibration file has a problem but no RSDK0008 reports it";
            var lines = calibration.Split('\n').Length;
            if (onFile.FirstOrDefault(d => d.Location.GetLineSpan().StartLinePosition.Line >= lines || d.GetMessage().Length == 0) is { } misplaced)
                return "RSDK0008 outside the file or without a message: " + misplaced;
        }

        return null;
    }

    /// <summary>An acceptor written with its fourth argument, the skip level.</summary>
    private static readonly System.Text.RegularExpressions.Regex SkipLevel = new(@"Calibration\.Acceptor\([^(){}]+, new double\[\] \{[^}]*\}, [^,()]+, [^,()]+\)");

    private static readonly ConcurrentDictionary<FuzzedInputs.Library, MetadataReference?> Libraries = new();

    /// <summary>The library as a metadata reference (compiled once per distinct library), or null when it does not compile.</summary>
    private static MetadataReference? CompileLibrary(FuzzedInputs.Library library) => Libraries.GetOrAdd(library, static l =>
    {
        Compilation compilation = GeneratorHarness.Compile(l.Source).WithAssemblyName(l.Name);
        if (l.Generate) GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out compilation, out _);
        using var image = new MemoryStream();
        return compilation.Emit(image).Success ? MetadataReference.CreateFromImage(image.ToArray()) : null;
    });

    /// <summary>A generator for the self-test: throws, or writes code that does not compile.</summary>
    private sealed class PlantedGenerator(bool throws) : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
            => context.RegisterSourceOutput(context.CompilationProvider, (spc, _) =>
            {
                if (throws) throw new InvalidOperationException("planted");
                spc.AddSource("Broken.g.cs", "namespace Broken { class C { int M() => \"not an int\"; } }");
            });
    }

    // Test-only analyzers: no release tracking (RS2008), not shipped (RS1036).
#pragma warning disable RS2008, RS1036
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class ThrowingAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = new("TEST0003", "test", "test", "Test", DiagnosticSeverity.Warning, true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationAction(_ => throw new InvalidOperationException("planted"));
        }
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class NoAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = new("TEST0004", "test", "test", "Test", DiagnosticSeverity.Warning, true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
        }
    }
#pragma warning restore RS2008, RS1036
}
