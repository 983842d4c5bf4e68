extern alias generator;

using System.Collections.Immutable;
using System.Text;
using BenchmarkDotNet.Attributes;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace RoutingSdk.Benchmarks;

/// <summary>
/// What the generator costs a compile of many tasks, time and allocations (docs/performance.md, "Allocations and the
/// compiler's collections"): a fresh driver on a fresh compilation per operation, as a command-line build runs it, over
/// 1,000 [RoutedTask] methods in 50 classes. <see cref="AttributesAndSignaturesOnly"/> is the floor: a generator that
/// only reads each task's attribute and parameter types, which any generator of task bodies pays for.
/// Run: <c>dotnet run -c Release --project tests/RoutingSdk.Benchmarks -- --filter '*GeneratorCost*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class GeneratorCost
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12, DocumentationMode.None);

    private ImmutableArray<SyntaxTree> _trees;
    private ImmutableArray<MetadataReference> _references;

    /// <summary>Task methods in the compilation.</summary>
    [Params(1_000)]
    public int Tasks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _trees = Sources(Tasks).Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Desk{i}.cs")).ToImmutableArray();
        _references = Net100.References.All
            .Concat(new[] { typeof(TaskRouter).Assembly.Location }.Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)))
            .ToImmutableArray();
    }

    [Benchmark(Baseline = true)]
    public int AttributesAndSignaturesOnly() => Run(new SignatureReader());

    [Benchmark]
    public int RoutedTaskGenerator() => Run(new generator::RoutingSdk.Generators.RoutedTaskGenerator());

    private int Run(IIncrementalGenerator generator)
    {
        var compilation = CSharpCompilation.Create("CompileCost", _trees, _references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var driver = CSharpGeneratorDriver.Create(new[] { generator.AsSourceGenerator() }, parseOptions: ParseOptions).RunGenerators(compilation);
        return driver.GetRunResult().GeneratedTrees.Length;
    }

    /// <summary>The tasks of eng/measure-compile-cost.sh: varied kinds, complexities, thresholds, pins, prompts and result types.</summary>
    private static IEnumerable<string> Sources(int tasks)
    {
        string[] kinds = ["Classification", "Extraction", "Formatting", "Summarization", "Translation", "TemplateGeneration", "CodeGeneration", "Debugging", "Analysis", "Synthesis", "CreativeWriting", "Reasoning", "General"];
        string[] complexities = ["Trivial", "Low", "Medium", "High", "Extreme"];
        string[] thresholds = ["0.7", "0.75", "0.8", "0.85", "0.9"];
        string[] pins = ["", "", "", "", "", "", "", ", Tier = \"small\"", ", Tier = \"mid\"", ", Tier = \"frontier\"", ", MaxTier = \"mid\"", ", MaxTier = \"frontier\"", ", Escalation = Escalation.None", ", LatencyBudgetMs = 20000", ", MaxCostPerThousandCalls = 50"];
        string[] returns = ["Task<string>", "Task<Verdict>", "ValueTask<string>", "Task<Summary>", "Task<string?>"];
        yield return """
            global using System;
            global using System.Collections.Generic;
            global using System.Threading;
            global using System.Threading.Tasks;
            global using RoutingSdk;
            namespace CompileCost;
            public enum Verdict { Yes, No, Unsure }
            public sealed record Summary(string Title, IReadOnlyList<string> Points, double Confidence);
            """;
        const int classes = 50;
        var perClass = (tasks + classes - 1) / classes;
        for (int c = 0, n = 0; c < classes && n < tasks; c++)
        {
            var text = new StringBuilder().Append("namespace CompileCost.Area").Append(c % 7).Append(";\npublic sealed partial class Desk").Append(c).Append("(TaskRouter router)\n{\n");
            for (var m = 0; m < perClass && n < tasks; m++, n++)
            {
                var kind = kinds[n % kinds.Length];
                var prompt = (n % 4) switch
                {
                    0 => $", Prompt = \"Task {n} ({kind}): handle this input carefully:\\n{{input}}\"",
                    1 => $", Prompt = \"Given {{context}}, answer for {{input}} in {{language}}.\", Instructions = \"You are assistant {n}.\"",
                    2 => "",
                    _ => ", Prompt = \"{{literal}} {input} and {count} items\"",
                };
                text.Append("    [RoutedTask(TaskKind.").Append(kind).Append(", Complexity.").Append(complexities[n / 3 % complexities.Length])
                    .Append(", QualityThreshold = ").Append(thresholds[n / 7 % thresholds.Length]).Append(pins[n / 2 % pins.Length]).Append(prompt).Append(")]\n")
                    .Append("    public partial ").Append(returns[n / 5 % returns.Length]).Append(" Run").Append(n)
                    .Append("Async(string input, string context, string language, int count, CancellationToken cancellationToken = default);\n");
            }

            yield return text.Append("}\n").ToString();
        }
    }

    /// <summary>Reads each task's attribute and parameter types and writes nothing: the binding every task-body generator pays for.</summary>
    private sealed class SignatureReader : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var tasks = context.SyntaxProvider.ForAttributeWithMetadataName("RoutingSdk.RoutedTaskAttribute",
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, _) =>
                {
                    var method = (IMethodSymbol)ctx.TargetSymbol;
                    var types = method.ReturnType.Name.Length;
                    foreach (var parameter in method.Parameters) types += parameter.Type.Name.Length;
                    return types;
                });
            context.RegisterSourceOutput(tasks.Collect(), static (_, _) => { });
        }
    }
}
