using RoutingSdk.Planning;
using Xunit;

namespace RoutingSdk.PackageTests;

/// <summary>
/// A solution as users build it: routed tasks in two class libraries, an application without tasks that references one of
/// them (which references the other), the cost report with nothing set but the property, and the README's Quick start.
/// </summary>
public sealed partial class PackageTests
{
    /// <summary>The libraries' tasks as the Planner sees them (Solution/Billing, Solution/Support).</summary>
    private static readonly TaskSpec[] SolutionSpecs =
    [
        new TaskSpec("InvoiceTasks.ExtractTotalAsync", "ExtractTotalAsync", TaskKind.Extraction, Complexity.Low) { QualityThreshold = 0.85 },
        new TaskSpec("TicketTasks.ClassifyAsync", "ClassifyAsync", TaskKind.Classification, Complexity.Low) { QualityThreshold = 0.85 },
        new TaskSpec("TicketTasks.SummarizeAsync", "SummarizeAsync", TaskKind.Summarization, Complexity.Medium),
    ];

    [SolutionFact]
    public void Application_without_tasks_registers_the_tasks_of_every_library_it_references_directly_or_transitively()
    {
        var run = SolutionLines();
        Assert.Contains(["REGISTERED", "Billing.InvoiceTasks", "True"], run);
        Assert.Contains(["REGISTERED", "Support.TicketTasks", "True"], run);
        // A library's own AddRoutedTasks() registers its tasks and those of the libraries it references.
        Assert.Contains(["LIBRARY", "True", "True"], run);
    }

    [SolutionFact]
    public void Application_routing_table_lists_the_plan_of_every_task_of_the_solution()
    {
        var plans = SolutionLines().Where(l => l[0] == "PLAN").ToDictionary(l => l[1], l => l[2]);
        Assert.True(plans.Count == SolutionSpecs.Length, "Expected one plan per library task:\n" + fixture.Log);
        foreach (var spec in SolutionSpecs)
            Assert.Equal(string.Join(",", Planner.Plan(spec, TierCatalog.BuiltIn).Chain), plans[spec.TaskName]);
    }

    [SolutionFact]
    public void Library_tasks_called_from_the_application_go_through_the_router_and_are_booked()
    {
        var run = SolutionLines();
        Assert.Contains(["RESULT", "invoice", "Technical"], run);
        Assert.Contains(["RESULT", "ticket", "Technical"], run);

        // Each call answered on its plan's start tier: 1,000 input and 10 output tokens at the built-in prices.
        var entries = run.Where(l => l[0] == "ENTRY").ToDictionary(l => l[1]);
        foreach (var task in new[] { "InvoiceTasks.ExtractTotalAsync", "TicketTasks.ClassifyAsync" })
        {
            Assert.True(entries.TryGetValue(task, out var entry), $"No ledger entry for {task}:\n{fixture.Log}");
            var start = Planner.Plan(SolutionSpecs.Single(s => s.TaskName == task), TierCatalog.BuiltIn).StartTier!;
            Assert.Equal([start, "1", "1000", "10"], entry[2..6]);
            var price = Prices[start];
            Assert.Equal((1000 * price.In + 10 * price.Out) / 1_000_000m, decimal.Parse(entry[6], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [SolutionFact]
    public void Cost_report_prints_in_projects_that_set_nothing_but_the_property_and_the_application_covers_its_libraries()
    {
        Assert.True(fixture.SolutionBuild is not null, "The solution was not built:\n" + fixture.Log);
        var output = fixture.SolutionBuild!.StdOut + fixture.SolutionBuild.StdErr;
        Assert.True(fixture.SolutionBuild.Succeeded, "The solution did not build:\n" + fixture.Log);
        Assert.DoesNotContain("CompilerGeneratedFilesOutputPath", output);
        Assert.DoesNotContain("the generator wrote no report", output);

        var printed = fixture.SolutionBuild.StdOut.Split('\n').Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
        var plans = SolutionSpecs.Select(spec => Planner.Plan(spec, TierCatalog.BuiltIn)).ToArray();
        // Each project reports its tasks and those of the libraries it references: Billing its own, Support its own and
        // Billing's, the application, which has none, those of both libraries.
        AssertReport(printed, "Billing", plans[..1]);
        AssertReport(printed, "Support", plans);
        AssertReport(printed, "App", plans);
        Assert.Contains("Includes the routed tasks of the referenced Billing (1).", printed);
        Assert.Contains("Includes the routed tasks of the referenced Billing (1), Support (2).", printed);
    }

    [SolutionFact]
    public void Readme_quick_start_builds_as_written_on_the_packed_package()
    {
        RequireBuilt();
        var quickStart = fixture.QuickStartSection;
        Assert.True(quickStart is not null, "The Quick start was not read:\n" + fixture.Log);
        Assert.Empty(quickStart!.Problems);
        Assert.Contains("RoutingSdk", quickStart.Packages);
        Assert.Equal(["Program.cs", "SupportDesk.cs"], quickStart.Files.Select(f => f.Name).Order());
        Assert.True(fixture.SolutionBuild is not null, "The solution with the Quick start was not built:\n" + fixture.Log);
        var output = fixture.SolutionBuild!.StdOut + fixture.SolutionBuild.StdErr;
        // MSBuild ends each error and warning line with the project it belongs to.
        var problems = output.Split('\n').Where(l => l.Contains("Desk.csproj]", StringComparison.Ordinal) && (l.Contains(": error ", StringComparison.Ordinal) || l.Contains(": warning ", StringComparison.Ordinal))).ToArray();
        Assert.True(problems.Length == 0, "The README's Quick start does not build cleanly:\n" + string.Join("\n", problems));
        Assert.True(File.Exists(Path.Combine(fixture.QuickStartDirectory, "bin", "Release", "net10.0", "Desk.dll")), "The README's Quick start was not built:\n" + fixture.SolutionBuild.Describe());
    }

    [Fact]
    public void Package_carries_the_page_of_every_diagnostic_that_the_help_links_name()
    {
        RequirePacked();
        using var zip = System.IO.Compression.ZipFile.OpenRead(fixture.PackagePath);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        var pages = Directory.GetFiles(Path.Combine(fixture.RepoRoot, "docs", "diagnostics"), "RSDK*.md").Select(Path.GetFileName).ToArray();
        Assert.NotEmpty(pages);
        foreach (var page in pages) Assert.True(entries.Contains("docs/diagnostics/" + page), $"docs/diagnostics/{page} is missing from the package");
    }

    private void AssertReport(HashSet<string> printed, string project, TaskPlan[] plans)
    {
        var lines = CostReport.Format(plans).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(printed.Contains(project + ": " + lines[0]), $"No report header for {project}:\n{fixture.Log}");
        foreach (var line in lines.Skip(1))
            Assert.True(printed.Contains(line.Trim()), $"The report line '{line}' of {project} was not printed:\n{fixture.Log}");
    }

    private IReadOnlyList<string[]> SolutionLines()
    {
        RequireBuilt();
        Assert.True(fixture.SolutionRun is { Succeeded: true } && fixture.SolutionRun.StdOut.Contains("DONE", StringComparison.Ordinal),
            "The solution's application did not run to the end:\n" + fixture.Log);
        return fixture.SolutionRun!.StdOut.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).Select(l => l.Split('|')).ToArray();
    }
}

/// <summary>
/// A test of the multi-project solution and the README's Quick start, built with cold compilers beside the consumer: about
/// a minute of both cores, so it runs with ROUTINGSDK_LONG_TESTS=1 (.ci/run sets it), not in the README's test command.
/// </summary>
public sealed class SolutionFactAttribute : FactAttribute
{
    public SolutionFactAttribute()
    {
        if (!PackageFixture.BuildsSolution) Skip = "builds a multi-project solution and the README's Quick start: set ROUTINGSDK_LONG_TESTS=1 to run it (.ci/run does)";
    }
}
