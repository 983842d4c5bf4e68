using System.Runtime.CompilerServices;
using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Microsoft.CodeAnalysis;
using Xunit.Sdk;

namespace RoutingSdk.Generators.Tests;

/// <summary>
/// Compares generated files with the committed Snapshots/&lt;Test&gt;.&lt;HintName&gt;.verified.cs. On a difference it writes
/// &lt;same&gt;.received.cs beside it and fails with a diff; accepting is copying the received file over the verified one.
/// </summary>
internal static class Snapshot
{
    public static void Verify(GeneratorDriverRunResult result, [CallerMemberName] string test = "")
    {
        var directory = SnapshotDirectory();
        var generated = result.Results.SelectMany(r => r.GeneratedSources).OrderBy(s => s.HintName, StringComparer.Ordinal).ToArray();
        var failures = new StringBuilder();
        var expectedFiles = Directory.Exists(directory)
            ? Directory.GetFiles(directory, test + ".*.verified.cs").Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string?>();

        foreach (var source in generated)
        {
            var name = $"{test}.{Path.GetFileNameWithoutExtension(source.HintName)}";
            var verified = Path.Combine(directory, name + ".verified.cs");
            var received = Path.Combine(directory, name + ".received.cs");
            var actual = source.SourceText.ToString();
            expectedFiles.Remove(Path.GetFileName(verified));
            var expected = File.Exists(verified) ? File.ReadAllText(verified) : null;
            if (expected == actual)
            {
                if (File.Exists(received)) File.Delete(received);
                continue;
            }

            Directory.CreateDirectory(directory);
            File.WriteAllText(received, actual);
            failures.AppendLine(expected is null
                ? $"No snapshot {Path.GetFileName(verified)}; review {Path.GetFileName(received)} and copy it over to accept."
                : $"{Path.GetFileName(verified)} differs (received file written):\n{Diff(expected, actual)}");
        }

        foreach (var stale in expectedFiles)
            failures.AppendLine($"{stale} is no longer generated; delete it if that is intended.");

        if (failures.Length > 0) throw new XunitException(failures.ToString());
    }

    /// <summary>
    /// The project's Snapshots folder, found from the test binaries (caller file paths are mapped to "/_/" in CI's
    /// deterministic builds, so they cannot be used).
    /// </summary>
    private static string SnapshotDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RoutingSdk.Generators.Tests.csproj"))) return Path.Combine(dir.FullName, "Snapshots");
        }

        throw new InvalidOperationException($"The test project folder was not found above {AppContext.BaseDirectory}.");
    }

    private static string Diff(string expected, string actual)
    {
        var diff = InlineDiffBuilder.Diff(expected, actual);
        var builder = new StringBuilder();
        foreach (var line in diff.Lines)
        {
            var prefix = line.Type switch { ChangeType.Inserted => "+ ", ChangeType.Deleted => "- ", _ => "  " };
            if (line.Type != ChangeType.Unchanged) builder.Append(line.Position?.ToString() ?? "").Append(prefix).AppendLine(line.Text);
        }

        return builder.ToString();
    }
}
