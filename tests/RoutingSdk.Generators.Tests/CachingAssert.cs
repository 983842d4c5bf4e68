using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Sdk;

namespace RoutingSdk.Generators.Tests;

/// <summary>
/// The caching checks every generator run of the tests goes through (<see cref="GeneratorHarness.Run"/>): the same
/// input run a second time leaves every named step (<see cref="TrackingNames"/>) Cached or Unchanged and every output
/// Cached, and no named step's output holds a symbol, a syntax node or tree, a semantic model, a compilation, a
/// location or a diagnostic (which would keep old compilations alive and defeat the cache).
/// </summary>
internal static class CachingAssert
{
    /// <summary>The types a pipeline value must not reach.</summary>
    private static readonly Type[] Banned =
    {
        typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(SemanticModel), typeof(Compilation), typeof(Location), typeof(Diagnostic),
    };

    /// <summary>The names of the generator's own steps.</summary>
    public static readonly IReadOnlySet<string> StepNames = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Runs <paramref name="driver"/> (created with step tracking) on <paramref name="compilation"/>, checks the first
    /// run's step outputs for banned types, runs it again on a clone and checks that nothing was recomputed. Returns
    /// the driver after the first run and the compilation with the generated sources.
    /// </summary>
    public static GeneratorDriver RunTwice(GeneratorDriver driver, Compilation compilation, out Compilation output)
    {
        var first = driver.RunGeneratorsAndUpdateCompilation(compilation, out output, out _);
        var firstResult = first.GetRunResult().Results.Single();
        Assert.Null(firstResult.Exception);
        NoBannedValues(firstResult);

        var second = first.RunGenerators(compilation.Clone()).GetRunResult().Results.Single();
        AllCached(second);
        Assert.Equal(
            firstResult.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())),
            second.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())));
        return first;
    }

    /// <summary>Every named step of <paramref name="result"/> is Cached or Unchanged, and every source output Cached.</summary>
    public static void AllCached(GeneratorRunResult result)
    {
        var steps = result.TrackedSteps.Where(s => StepNames.Contains(s.Key)).ToArray();
        foreach (var (name, runs) in steps)
        {
            foreach (var (_, reason) in runs.SelectMany(r => r.Outputs))
                Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {name} was {reason}, not Cached or Unchanged");
        }

        foreach (var (name, runs) in result.TrackedOutputSteps)
        {
            foreach (var (_, reason) in runs.SelectMany(r => r.Outputs))
                Assert.True(reason == IncrementalStepRunReason.Cached, $"output {name} was {reason}, not Cached");
        }
    }

    /// <summary>No output of a named step reaches a banned type, however deep (fields of records, items of arrays).</summary>
    public static void NoBannedValues(GeneratorRunResult result)
    {
        var named = result.TrackedSteps.Where(s => StepNames.Contains(s.Key)).ToArray();
        Assert.NotEmpty(named);
        foreach (var (name, runs) in named)
        {
            foreach (var (value, _) in runs.SelectMany(r => r.Outputs))
            {
                var path = FindBanned(value, name, new HashSet<object>(ReferenceEqualityComparer.Instance));
                if (path is not null) throw new XunitException($"The output of step {name} reaches {path}: pipeline values must be plain values.");
            }
        }
    }

    /// <summary>The path to the first banned object reachable from <paramref name="value"/>, or null.</summary>
    internal static string? FindBanned(object? value, string path, HashSet<object> seen)
    {
        if (value is null) return null;
        var type = value.GetType();
        if (Banned.Any(b => b.IsAssignableFrom(type))) return $"{path} ({type.Name})";
        if (type.IsPrimitive || type.IsEnum || value is string or decimal or DateTime or TimeSpan or Type or Delegate or Pointer) return null;
        if (!type.IsValueType && !seen.Add(value)) return null;

        if (value is IEnumerable items)
        {
            // A default ImmutableArray throws when enumerated: it holds nothing.
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(System.Collections.Immutable.ImmutableArray<>)
                && (bool)type.GetProperty("IsDefault")!.GetValue(value)!) return null;
            var index = 0;
            foreach (var item in items)
            {
                if (FindBanned(item, $"{path}[{index++}]", seen) is { } found) return found;
            }

            return null;
        }

        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.FieldType.IsPointer) continue;
                if (FindBanned(field.GetValue(value), path + "." + field.Name, seen) is { } found) return found;
            }
        }

        return null;
    }
}
