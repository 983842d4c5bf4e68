using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RoutingSdk.Generators.Model;
using Xunit;
using Xunit.Sdk;

namespace RoutingSdk.Generators.Tests;

/// <summary>
/// Edits leave what they do not touch cached: an edit in another file, a comment in the file of the tasks, a change of
/// one type's task (the other type's file stays cached). Every scenario of the other tests also runs twice through
/// <see cref="CachingAssert"/>.
/// </summary>
public sealed class CachingTests
{
    /// <summary>Two types with tasks in one file, so that an edit of one is a same-file edit for the other.</summary>
    private const string TwoTypes = """
        using System.Threading;
        using System.Threading.Tasks;
        using RoutingSdk;

        namespace Demo;

        public sealed partial class SupportDesk(TaskRouter router)
        {
            [RoutedTask(TaskKind.Classification, Complexity.Low, QualityThreshold = 0.85, Prompt = "Classify:\n{email}")]
            public partial Task<string> ClassifyAsync(string email, CancellationToken cancellationToken = default);
        }

        public sealed partial class Contracts(TaskRouter router)
        {
            [RoutedTask(TaskKind.Analysis, Complexity.High, QualityThreshold = 0.9, Prompt = "Review:\n{clause}")]
            public partial Task<string> ReviewClauseAsync(string clause, CancellationToken cancellationToken = default);
        }
        """;

    [Fact]
    public void Unrelated_edit_leaves_every_step_cached_or_unchanged()
    {
        var compilation = GeneratorHarness.Compile(GeneratorSnapshotTests.SupportDesk, "namespace Demo; public static class Other { public const int Value = 1; }");
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        var result = driver.RunGenerators(Edit(compilation, 1, "Value = 1", "Value = 2")).GetRunResult().Results.Single();

        Assert.Contains(result.TrackedSteps, step => step.Key == TrackingNames.Planned);
        Assert.Contains(result.TrackedSteps, step => step.Key == TrackingNames.Catalog);
        CachingAssert.AllCached(result);
    }

    [Fact]
    public void Comment_added_in_the_file_of_the_tasks_leaves_every_step_and_output_cached()
    {
        var compilation = GeneratorHarness.Compile(TwoTypes);
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        // Every task below the comment moves by a line: its model must not change with it.
        var result = driver.RunGenerators(Edit(compilation, 0, "namespace Demo;", "namespace Demo;\n\n// A comment that moves every task down.\n"))
            .GetRunResult().Results.Single();

        Assert.Equal(2, result.TrackedSteps[TrackingNames.Tasks].SelectMany(r => r.Outputs).Count());
        CachingAssert.AllCached(result);
    }

    [Fact]
    public void Changed_task_re_emits_its_type_and_leaves_the_other_types_file_cached()
    {
        var compilation = GeneratorHarness.Compile(TwoTypes);
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        var result = driver.RunGenerators(Edit(compilation, 0, "Classify:\\n{email}", "Classify this email:\\n{email}")).GetRunResult().Results.Single();

        var reasons = result.TrackedSteps[TrackingNames.Types].SelectMany(r => r.Outputs)
            .ToDictionary(o => ((TypeTasks)o.Value).HintName, o => o.Reason);
        Assert.Equal(IncrementalStepRunReason.Modified, reasons["Demo.SupportDesk.RoutedTasks.g.cs"]);
        Assert.True(reasons["Demo.Contracts.RoutedTasks.g.cs"] is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached,
            $"the untouched type's step was {reasons["Demo.Contracts.RoutedTasks.g.cs"]}");

        // Its source output is not run again: the file of the untouched type is cached.
        var outputs = result.TrackedOutputSteps.SelectMany(s => s.Value)
            .Where(step => step.Inputs.Any(i => i.Source.Outputs[i.OutputIndex].Value is TypeTasks))
            .ToDictionary(step => step.Inputs.Select(i => i.Source.Outputs[i.OutputIndex].Value).OfType<TypeTasks>().Single().HintName,
                step => step.Outputs.Single().Reason);
        Assert.Equal(IncrementalStepRunReason.Cached, outputs["Demo.Contracts.RoutedTasks.g.cs"]);
        Assert.Equal(IncrementalStepRunReason.Modified, outputs["Demo.SupportDesk.RoutedTasks.g.cs"]);
        Assert.Contains("Classify this email:", result.GeneratedSources.Single(s => s.HintName == "Demo.SupportDesk.RoutedTasks.g.cs").SourceText.ToString());

        // The plans did not change: the routing table and the registration are not written again.
        Assert.All(result.TrackedSteps[TrackingNames.Assembly].SelectMany(r => r.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached, $"step Assembly was {o.Reason}"));
        var assemblyOutput = result.TrackedOutputSteps.SelectMany(s => s.Value)
            .Single(step => step.Inputs.Any(i => i.Source.Outputs[i.OutputIndex].Value is (AssemblyTasks, ReferencedTasks)));
        Assert.Equal(IncrementalStepRunReason.Cached, assemblyOutput.Outputs.Single().Reason);
    }

    [Fact]
    public void Changed_plan_re_writes_the_routing_table()
    {
        var compilation = GeneratorHarness.Compile(TwoTypes);
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        var result = driver.RunGenerators(Edit(compilation, 0, "QualityThreshold = 0.85", "QualityThreshold = 0.8")).GetRunResult().Results.Single();

        Assert.All(result.TrackedSteps[TrackingNames.Assembly].SelectMany(r => r.Outputs), o => Assert.Equal(IncrementalStepRunReason.Modified, o.Reason));
        Assert.Contains("\" }, 0.8, ", result.GeneratedSources.Single(s => s.HintName == "RoutingSdk.RoutingTable.g.cs").SourceText.ToString());
    }

    [Fact]
    public void The_object_walk_finds_a_location_held_deep_in_a_value()
    {
        // The check of CachingAssert must be able to fail: a location inside a list inside a record is found.
        var tree = CSharpSyntaxTree.ParseText("class C { }");
        var value = new Holder("x", new object[] { 1, new Holder("y", new object[] { tree.GetRoot().GetLocation() }) });

        var path = CachingAssert.FindBanned(value, "value", new HashSet<object>(ReferenceEqualityComparer.Instance));

        Assert.NotNull(path);
        Assert.Contains("Location", path);
        Assert.Null(CachingAssert.FindBanned(new Holder("x", new object[] { 1, "text" }), "value", new HashSet<object>(ReferenceEqualityComparer.Instance)));
    }

    [Fact]
    public void Every_tracking_name_is_a_step_of_the_generator()
    {
        var compilation = GeneratorHarness.Compile(GeneratorSnapshotTests.SupportDesk,
            "[assembly: RoutingSdk.ModelTier(\"small\", Rank = 0, InputCostPerMillion = 1, OutputCostPerMillion = 1)]");
        var driver = CSharpGeneratorDriver.Create(new[] { new RoutedTaskGenerator().AsSourceGenerator() },
            parseOptions: new CSharpParseOptions(LanguageVersion.CSharp12), optionsProvider: new BuildPropertyOptions("true"),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

        var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

        // A name the pipeline does not use would let the caching checks pass without checking anything.
        Assert.Empty(CachingAssert.StepNames.Except(result.TrackedSteps.Keys));
    }

    private sealed record Holder(string Name, object[] Items);

    private static Compilation Edit(Compilation compilation, int file, string from, string to)
    {
        var tree = compilation.SyntaxTrees.ElementAt(file);
        var text = tree.ToString();
        if (!text.Contains(from, StringComparison.Ordinal)) throw new XunitException($"'{from}' is not in file {file}.");
        return compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(text.Replace(from, to, StringComparison.Ordinal), (CSharpParseOptions)tree.Options, tree.FilePath));
    }
}
