using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace RoutingSdk.Generators.Tests;

/// <summary>An edit elsewhere leaves every step of the pipeline cached.</summary>
public sealed class CachingTests
{
    [Fact]
    public void Unrelated_edit_leaves_every_step_cached_or_unchanged()
    {
        var compilation = GeneratorHarness.Compile(GeneratorSnapshotTests.SupportDesk, "namespace Demo; public static class Other { public const int Value = 1; }");
        var driver = GeneratorHarness.CreateDriver(trackSteps: true).RunGenerators(compilation);

        var other = compilation.SyntaxTrees.Last();
        var edited = compilation.ReplaceSyntaxTree(other,
            CSharpSyntaxTree.ParseText("namespace Demo; public static class Other { public const int Value = 2; }", (CSharpParseOptions)other.Options, other.FilePath));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var tracked = result.TrackedSteps
            .Where(step => typeof(TrackingNames).GetFields().Any(f => (string)f.GetValue(null)! == step.Key))
            .ToArray();
        Assert.Contains(tracked, step => step.Key == TrackingNames.Planned);
        Assert.Contains(tracked, step => step.Key == TrackingNames.Catalog);
        foreach (var (name, runs) in tracked)
        {
            foreach (var output in runs.SelectMany(r => r.Outputs))
                Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {name} was {output.Reason}");
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(r => r.Outputs),
            output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"an output was {output.Reason}"));
    }
}
