using System.IO;
using System.Globalization;
using System.Text;

namespace RoutingSdk.Planning.Tests;

/// <summary>docs/planning.md shows the figures the Planner really uses.</summary>
public sealed class DocumentationTests
{
    [Fact]
    public void Planning_doc_quality_table_matches_the_capability_model()
    {
        var docPath = Path.Combine(RepositoryRoot(), "docs", "planning.md");
        var doc = File.ReadAllText(docPath).Replace("\r\n", "\n");
        const string start = "<!-- quality-table:start -->\n", end = "<!-- quality-table:end -->";
        var from = doc.IndexOf(start, StringComparison.Ordinal);
        var to = doc.IndexOf(end, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, "docs/planning.md lacks the quality-table markers");

        Assert.Equal(QualityTable(), doc.Substring(from + start.Length, to - from - start.Length));
    }

    private static string QualityTable()
    {
        var tiers = TierCatalog.BuiltIn.Tiers;
        var table = new StringBuilder();
        table.Append("| kind | complexity | difficulty | ").Append(string.Join(" | ", tiers.Select(t => t.Name))).Append(" |\n");
        table.Append("|---|---|---|").Append(string.Concat(tiers.Select(_ => "---|"))).Append('\n');
        foreach (var kind in Enum.GetValues<TaskKind>())
        {
            foreach (var complexity in Enum.GetValues<Complexity>())
            {
                table.Append(CultureInfo.InvariantCulture, $"| {kind} | {complexity} | {CapabilityModel.Difficulty(kind, complexity):0.00} | ")
                    .Append(string.Join(" | ", tiers.Select(t => CapabilityModel.ExpectedQuality(kind, complexity, t).ToString("0.00", CultureInfo.InvariantCulture))))
                    .Append(" |\n");
            }
        }

        return table.ToString();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props"))) return dir.FullName;
        }

        throw new InvalidOperationException("The repository root (with Directory.Packages.props) was not found.");
    }
}
