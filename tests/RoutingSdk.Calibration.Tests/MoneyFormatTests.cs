using System.Globalization;
using System.Text.RegularExpressions;
using RoutingSdk.Cli;

namespace RoutingSdk.Calibration.Tests;

/// <summary>Dollars print as dollars in any culture: in the CLI, and in what the docs and samples tell users to write.</summary>
public sealed class MoneyFormatTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("routing-money-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Docs_and_samples_format_no_money_with_the_cultures_currency()
    {
        var root = RealData.RepositoryRoot ?? throw new InvalidOperationException("repository root not found");
        var files = new[] { Path.Combine(root, "README.md") }
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories))
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "samples"), "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")));
        // {x:C6} or ToString("C2") print the current culture's currency: ¤0.000009 under the invariant culture, 0,000009 € in France.
        var currency = new Regex(@"\{[^{}]*:[Cc]\d*\}|ToString\(""[Cc]\d*""");
        var found = files.SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => currency.IsMatch(x.line)).Select(x => $"{Path.GetRelativePath(root, x.f)}:{x.i + 1}: {x.line.Trim()}").ToArray();
        Assert.True(found.Length == 0, string.Join(Environment.NewLine, found));
    }

    [Fact]
    public void The_quick_start_prints_dollars_under_the_invariant_culture()
    {
        // The README's ledger line, as written there, run under the culture of a container without locales.
        var previous = CultureInfo.CurrentCulture;
        try
        {
            foreach (var culture in new[] { CultureInfo.InvariantCulture, CultureInfo.GetCultureInfo("fr-FR") })
            {
                CultureInfo.CurrentCulture = culture;
                var totalUsd = 0.000009m;
                var allFrontierUsd = 0.00054m;
                Assert.Equal("spent $0.000009, all-frontier would have been $0.000540",
                    FormattableString.Invariant($"spent ${totalUsd:0.000000}, all-frontier would have been ${allFrontierUsd:0.000000}"));
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        var readme = File.ReadAllText(Path.Combine(RealData.RepositoryRoot!, "README.md"));
        Assert.Contains("FormattableString.Invariant($\"spent ${costs.TotalUsd:0.000000}, all-frontier would have been ${costs.AllFrontierUsd:0.000000}\")", readme);
    }

    [Fact]
    public void The_cli_prints_the_same_figures_in_any_culture()
    {
        File.WriteAllLines(Path.Combine(_dir, "in.txt"), new[] { "I want a refund", "The app crashes" });
        File.WriteAllLines(Path.Combine(_dir, "expected.txt"), new[] { "billing", "technical" });
        var outputs = new List<string>();
        var previous = CultureInfo.CurrentCulture;
        try
        {
            foreach (var culture in new[] { CultureInfo.InvariantCulture, CultureInfo.GetCultureInfo("de-DE") })
            {
                CultureInfo.CurrentCulture = culture;
                var output = new StringWriter();
                var code = CliApp.Run(new[] { "try", "--task-kind", "Classification", "--inputs", Path.Combine(_dir, "in.txt"), "--expected", Path.Combine(_dir, "expected.txt"),
                    "--simulated", "--out", Path.Combine(_dir, "out.csv") }, output, new StringWriter());
                Assert.Equal(0, code);
                outputs.Add(output.ToString());
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        Assert.Equal(outputs[0], outputs[1]);
        Assert.Matches(@"small\s+\d\.\d{3}\s+0\.\d{6}", outputs[0]);
    }
}
