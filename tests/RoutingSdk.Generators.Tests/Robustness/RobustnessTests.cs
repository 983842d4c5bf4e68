using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace RoutingSdk.Generators.Tests.Robustness;

/// <summary>
/// The generator and every analyzer of the generator assembly never throw into the compiler and always end, on more
/// than 10,000 malformed and half-typed sources (<see cref="MalformedSources"/>).
/// </summary>
public sealed class RobustnessTests(ITestOutputHelper output)
{
    private const int MinimumSources = 10_000;
    private static readonly TimeSpan PerRunTimeout = TimeSpan.FromSeconds(30);
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);
    private static readonly BuildPropertyOptions Options = new("true");

    /// <summary>Every DiagnosticAnalyzer the generator assembly exports, found by reflection so new ones are included.</summary>
    internal static ImmutableArray<DiagnosticAnalyzer> Analyzers()
        => typeof(RoutedTaskGenerator).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t)
                && t.GetCustomAttributes(typeof(DiagnosticAnalyzerAttribute), inherit: false).Length > 0)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

    /// <summary>The environment variable that runs the whole corpus (<c>ROUTINGSDK_FULL_CORPUS=1</c>); without it a fixed sample runs.</summary>
    public const string FullCorpusVariable = "ROUTINGSDK_FULL_CORPUS";

    /// <summary>How many sources the sample feeds: a few hundred, so that an ordinary <c>dotnet test</c> stays fast.</summary>
    private const int SampleSize = 300;

    /// <summary>
    /// A fixed, varied sample of the corpus: sources spread evenly over every family, and the typing of one input at every
    /// fifth keystroke. The same sample every run; the whole corpus runs with <see cref="FullCorpusVariable"/> set.
    /// </summary>
    [Fact]
    public void Generator_and_analyzers_survive_a_sample_of_malformed_and_half_typed_sources()
    {
        var jobs = MalformedSources.Sample(MalformedSources.Jobs(Seeds(), randomPerSeed: 120), SampleSize);
        Assert.True(jobs.Select(j => j.Family).Distinct().Count() >= 15, "The sample should cover every family of the corpus.");
        Survive(jobs, minimumSources: SampleSize * 3 / 4);
    }

    /// <summary>The whole corpus (more than 10,000 sources, several minutes): only with <see cref="FullCorpusVariable"/>=1.</summary>
    [FullCorpusFact]
    [Trait("Category", "FullCorpus")]
    public void Generator_and_analyzers_survive_malformed_and_half_typed_sources()
        => Survive(MalformedSources.Jobs(Seeds(), randomPerSeed: 120), MinimumSources);

    private static IReadOnlyList<string> Seeds()
    {
        var seeds = MalformedSources.Seeds();
        Assert.True(seeds.Count >= 3, $"Expected the snapshot and diagnostic test inputs as seeds, found {seeds.Count}.");
        return seeds;
    }

    private void Survive(IReadOnlyList<MalformedSources.Job> jobs, int minimumSources)
    {
        var analyzers = Analyzers();
        output.WriteLine($"analyzers: {(analyzers.IsEmpty ? "none in the generator assembly yet" : string.Join(", ", analyzers.Select(a => a.GetType().Name)))}");

        var failures = new ConcurrentQueue<string>();
        var fed = 0L;
        var next = -1;
        var stop = false;
        var workers = Math.Max(2, Environment.ProcessorCount);
        var busySince = new long[workers];
        var busyWith = new string?[workers];
        var clock = Stopwatch.StartNew();

        var threads = Enumerable.Range(0, workers).Select(w => new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                var index = Interlocked.Increment(ref next);
                if (index >= jobs.Count) break;
                var job = jobs[index];
                var driver = CreateDriver();
                for (var position = 0; position < job.Sources.Count; position++)
                {
                    var source = job.Sources[position];
                    busyWith[w] = job.Family + ":\n" + source;
                    Volatile.Write(ref busySince[w], Stopwatch.GetTimestamp());
                    // The analyzers see every source as typed, and every 8th with the generated code (binding that is the slow part).
                    var problem = RunOnce(ref driver, source, analyzers, withGenerated: (index + position) % 8 == 0);
                    Volatile.Write(ref busySince[w], 0);
                    Interlocked.Increment(ref fed);
                    if (problem is not null) failures.Enqueue($"[{job.Family}] {problem}\n--- source ---\n{Shorten(source)}");
                }
            }
        })
        { IsBackground = true, Name = "robustness-" + w }).ToArray();
        foreach (var thread in threads) thread.Start();

        // The watchdog: a run that does not end within the timeout fails the test (its thread is left behind).
        while (threads.Any(t => t.IsAlive))
        {
            Thread.Sleep(100);
            for (var w = 0; w < workers; w++)
            {
                var since = Volatile.Read(ref busySince[w]);
                if (since != 0 && Stopwatch.GetElapsedTime(since) > PerRunTimeout)
                {
                    failures.Enqueue($"a run did not end within {PerRunTimeout.TotalSeconds} s\n--- source ---\n{Shorten(busyWith[w] ?? "")}");
                    Volatile.Write(ref stop, true);
                }
            }

            if (Volatile.Read(ref stop)) break;
        }

        var families = jobs.GroupBy(j => j.Family).Select(g => $"{g.Key}: {g.Sum(j => j.Sources.Count)}");
        output.WriteLine($"jobs: {jobs.Count}; sources fed to the generator{(analyzers.IsEmpty ? "" : " and analyzers")}: {fed:N0} in {clock.Elapsed.TotalSeconds:0.0} s on {workers} threads");
        foreach (var family in families) output.WriteLine("  " + family);

        Assert.True(failures.IsEmpty, $"{failures.Count} failing runs; the first:\n\n" + string.Join("\n\n", failures.Take(5)));
        Assert.True(fed >= minimumSources, $"Only {fed} sources were fed; expected at least {minimumSources}.");
    }

    /// <summary>
    /// Runs the generator, then the analyzers on the source with the generated code (<paramref name="withGenerated"/>) or
    /// on the source alone (as the IDE analyzes a file whose generated code is not there yet); returns what went wrong, or null.
    /// </summary>
    internal static string? RunOnce(ref GeneratorDriver driver, string source, ImmutableArray<DiagnosticAnalyzer> analyzers, bool withGenerated = true)
    {
        using var timeout = new CancellationTokenSource(PerRunTimeout);
        try
        {
            var compilation = GeneratorHarness.Compile(source);
            driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var updated, out var diagnostics, timeout.Token);
            var exception = driver.GetRunResult().Results.Select(r => r.Exception).FirstOrDefault(e => e is not null);
            if (exception is not null) return "the generator threw: " + exception;
            var crashed = diagnostics.FirstOrDefault(d => d.Id == "CS8785");
            if (crashed is not null) return "CS8785: " + crashed.GetMessage();
            if (analyzers.IsEmpty) return null;

            var thrown = new ConcurrentQueue<string>();
            var withAnalyzers = (withGenerated ? updated : compilation).WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, Options),
                onAnalyzerException: (ex, analyzer, _) => thrown.Enqueue(analyzer.GetType().Name + " threw: " + ex),
                concurrentAnalysis: false, logAnalyzerExecutionTime: false));
            var analyzerDiagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync(timeout.Token).GetAwaiter().GetResult();
            if (thrown.TryPeek(out var first)) return first;
            var ad0001 = analyzerDiagnostics.FirstOrDefault(d => d.Id == "AD0001");
            return ad0001 is null ? null : "AD0001: " + ad0001.GetMessage();
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return $"the run did not end within {PerRunTimeout.TotalSeconds} s";
        }
        catch (Exception ex)
        {
            return "the driver threw: " + ex;
        }
    }

    internal static GeneratorDriver CreateDriver()
        => CSharpGeneratorDriver.Create(new[] { new RoutedTaskGenerator().AsSourceGenerator() }, parseOptions: ParseOptions, optionsProvider: Options);

    [Fact]
    public void An_analyzer_that_throws_is_caught_as_a_failing_run()
    {
        var driver = CreateDriver();
        var problem = RunOnce(ref driver, GeneratorSnapshotTests.SupportDesk, ImmutableArray.Create<DiagnosticAnalyzer>(new ThrowingAnalyzer()));
        Assert.NotNull(problem);
        Assert.Contains(nameof(ThrowingAnalyzer), problem);
    }

    [Fact]
    public void A_well_formed_source_is_not_a_failing_run()
    {
        var driver = CreateDriver();
        Assert.Null(RunOnce(ref driver, GeneratorSnapshotTests.SupportDesk, ImmutableArray.Create<DiagnosticAnalyzer>(new QuietAnalyzer())));
    }

    /// <summary>A fact that runs only when <see cref="FullCorpusVariable"/> is 1 (CI sets it); skipped otherwise.</summary>
    private sealed class FullCorpusFactAttribute : FactAttribute
    {
        public FullCorpusFactAttribute()
        {
            if (Environment.GetEnvironmentVariable(FullCorpusVariable) != "1")
                Skip = $"The full malformed-source corpus runs with {FullCorpusVariable}=1; a sample of it runs always.";
        }
    }

    private static string Shorten(string source) => source.Length <= 1500 ? source : source[..1500] + "\n…";

    // Test-only analyzers: no release tracking (RS2008), not shipped (RS1036).
#pragma warning disable RS2008, RS1036
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class ThrowingAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = new("TEST0001", "test", "test", "Test", DiagnosticSeverity.Warning, true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSymbolAction(_ => throw new InvalidOperationException("analyzer bug"), SymbolKind.Method);
        }
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class QuietAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = new("TEST0002", "test", "test", "Test", DiagnosticSeverity.Warning, true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSymbolAction(_ => { }, SymbolKind.Method);
        }
    }
#pragma warning restore RS2008, RS1036
}
