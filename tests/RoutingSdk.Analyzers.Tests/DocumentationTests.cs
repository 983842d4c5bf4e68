using System.Text.RegularExpressions;
using RoutingSdk.Generators;

namespace RoutingSdk.Analyzers.Tests;

/// <summary>Every descriptor has its page in docs/diagnostics, every page a descriptor, and the release tracking lists them all.</summary>
public sealed class DocumentationTests
{
    private static readonly string RepoRoot = FindRepoRoot();
    private static readonly string Pages = Path.Combine(RepoRoot, "docs", "diagnostics");

    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var descriptor in DiagnosticDescriptors.All) data.Add(descriptor.Id);
        return data;
    }

    [Fact]
    public void Every_page_belongs_to_a_descriptor_and_every_descriptor_has_a_page()
    {
        var pages = Directory.GetFiles(Pages, "RSDK*.md").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(DiagnosticDescriptors.All.Select(d => d.Id).Order(StringComparer.Ordinal), pages);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Page_has_the_descriptors_title_and_every_section(string id)
    {
        var descriptor = DiagnosticDescriptors.ById(id);
        var text = File.ReadAllText(Path.Combine(Pages, id + ".md"));
        Assert.StartsWith($"# {id}: {descriptor.Title}\n", text);
        Assert.Contains($"| category | {descriptor.Category} |", text);
        Assert.Contains($"| severity | {descriptor.DefaultSeverity} |", text);
        foreach (var section in new[] { "## What it means", "## Why it matters", "## Example", "## How to fix", "## How to suppress" })
            Assert.Contains("\n" + section + "\n", text);
        // The example's message is the diagnostic's own.
        Assert.Matches($@"\n> (error|warning) {id}: ", text);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task Page_example_raises_the_messages_the_page_shows(string id)
    {
        var text = File.ReadAllText(Path.Combine(Pages, id + ".md"));
        // The example's C# blocks: those that start with "// Library <Name>" are referenced libraries (built with the
        // generator), the other is the code analyzed.
        var section = Regex.Match(text, @"## Example\n(?<section>.*?)(\n## |\z)", RegexOptions.Singleline).Groups["section"].Value;
        var blocks = Regex.Matches(section, @"```csharp\n(?<code>.*?)\n```", RegexOptions.Singleline).Select(m => m.Groups["code"].Value).ToArray();
        var libraries = blocks.Select(b => Regex.Match(b, @"\A// Library (?<name>\w+)\n")).Zip(blocks)
            .Where(p => p.First.Success).Select(p => (p.First.Groups["name"].Value, TestProject.Usings + p.Second)).ToArray();
        var example = Assert.Single(blocks, b => !b.StartsWith("// Library ", StringComparison.Ordinal));
        var shown = Regex.Matches(text, @"^> (?:error|warning) (?<id>RSDK\d{4}): (?<message>.+)$", RegexOptions.Multiline)
            .Select(m => m.Groups["id"].Value + ": " + m.Groups["message"].Value).ToArray();
        Assert.NotEmpty(shown);

        // A page about the calibration file shows the file next to the code: the example runs with it as an AdditionalFiles item.
        var calibration = Regex.Match(text, @"## Example\n.*?```json\n(?<json>.*?)\n```", RegexOptions.Singleline) is { Success: true } json ? json.Groups["json"].Value : null;
        var reported = await TestProject.AnalyzeAsync(TestProject.Usings + example + "\npublic enum TicketCategory { Billing, Technical, General }\n", calibration, libraries);
        foreach (var message in shown) Assert.Contains(message, reported);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Help_link_points_at_the_committed_page_under_the_repository_address_of_Directory_Build_props(string id)
    {
        var descriptor = DiagnosticDescriptors.ById(id);
        var repository = System.Xml.Linq.XDocument.Load(Path.Combine(RepoRoot, "Directory.Build.props")).Descendants("RepositoryUrl").Single().Value;
        Assert.StartsWith("https://", repository);
        Assert.Equal($"{repository}/blob/main/docs/diagnostics/{id}.md", descriptor.HelpLinkUri);
        // The link's path inside the repository is a committed page.
        var relative = descriptor.HelpLinkUri![(repository.Length + "/blob/main/".Length)..];
        Assert.True(File.Exists(Path.Combine(RepoRoot, relative)), $"{descriptor.HelpLinkUri} names no file of the repository");
    }

    [Fact]
    public void Release_tracking_lists_every_descriptor_with_its_category_and_severity()
    {
        var rows = File.ReadAllLines(Path.Combine(RepoRoot, "src", "RoutingSdk.Generators", "AnalyzerReleases.Unshipped.md"))
            .Select(l => Regex.Match(l, @"^(RSDK\d{4})\s*\|\s*([\w.]+)\s*\|\s*(\w+)\s*\|"))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => (Category: m.Groups[2].Value, Severity: m.Groups[3].Value));
        Assert.Equal(DiagnosticDescriptors.All.Length, rows.Count);
        foreach (var descriptor in DiagnosticDescriptors.All)
        {
            Assert.True(rows.TryGetValue(descriptor.Id, out var row), descriptor.Id + " is not in AnalyzerReleases.Unshipped.md");
            Assert.Equal((descriptor.Category, descriptor.DefaultSeverity.ToString()), row);
        }
    }

    [Fact]
    public void Every_planner_finding_has_a_documented_id()
    {
        foreach (var kind in Enum.GetValues<RoutingSdk.Planning.FindingKind>())
            Assert.Contains(DiagnosticDescriptors.For(kind).Id, DiagnosticDescriptors.All.Select(d => d.Id));
    }

    [Fact]
    public void Every_variant_shares_the_title_category_severity_and_link_of_its_ids_descriptor()
    {
        foreach (var variant in DiagnosticDescriptors.Variants)
        {
            var documented = DiagnosticDescriptors.ById(variant.Id);
            Assert.NotSame(documented, variant);
            Assert.Equal((documented.Title, documented.Category, documented.DefaultSeverity, documented.HelpLinkUri),
                (variant.Title, variant.Category, variant.DefaultSeverity, variant.HelpLinkUri));
        }
    }

    [Fact]
    public void Every_descriptor_has_a_message_format_not_a_finished_message()
    {
        // The Parser's errors and the Planner's findings alike: a format with the names and figures at fault as arguments.
        foreach (var descriptor in DiagnosticDescriptors.All.Concat(DiagnosticDescriptors.Variants))
            Assert.NotEqual("{0}", descriptor.MessageFormat.ToString());
    }

    [Fact]
    public void Every_finding_wording_has_a_descriptor_of_its_kinds_id_whose_format_is_the_wording()
    {
        var known = DiagnosticDescriptors.All.Concat(DiagnosticDescriptors.Variants).ToHashSet();
        foreach (var format in Enum.GetValues<RoutingSdk.Planning.FindingFormat>())
        {
            var descriptor = DiagnosticDescriptors.For(format);
            Assert.Contains(descriptor, known);
            Assert.Equal(DiagnosticDescriptors.For(RoutingSdk.Planning.FindingFormats.KindOf(format)).Id, descriptor.Id);
            Assert.Equal(RoutingSdk.Planning.FindingFormats.Of(format), descriptor.MessageFormat.ToString());
        }
    }

    [Fact]
    public void Each_wording_has_its_own_descriptor()
    {
        var formats = Enum.GetValues<RoutingSdk.Planning.FindingFormat>();
        Assert.Equal(formats.Length, formats.Select(DiagnosticDescriptors.For).Distinct().Count());
    }

    [Fact]
    public void Index_lists_every_page()
    {
        var index = File.ReadAllText(Path.Combine(Pages, "README.md"));
        foreach (var descriptor in DiagnosticDescriptors.All)
            Assert.Contains($"| [{descriptor.Id}]({descriptor.Id}.md) | {descriptor.Category} | {descriptor.DefaultSeverity} | {descriptor.Title} |", index);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props"))) return dir.FullName;
        }

        throw new InvalidOperationException("No Directory.Packages.props above " + AppContext.BaseDirectory);
    }
}
