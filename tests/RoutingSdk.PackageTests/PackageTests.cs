using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using RoutingSdk.Planning;
using Xunit;

namespace RoutingSdk.PackageTests;

/// <summary>
/// The package as a user gets it: packed from src/RoutingSdk, consumed by a project that knows nothing but the
/// public contract, built with TreatWarningsAsErrors and run against fake tier clients.
/// </summary>
public sealed partial class PackageTests(PackageFixture fixture) : IClassFixture<PackageFixture>
{
    // The built-in catalog's list prices in USD per million tokens (input, output, reasoning), from the contract.
    private static readonly Dictionary<string, (decimal In, decimal Out, decimal Reasoning)> Prices = new()
    {
        ["small"] = (0.25m, 1.25m, 0m),
        ["mid"] = (3m, 15m, 0m),
        ["frontier"] = (15m, 75m, 0m),
        ["frontier-thinking"] = (15m, 75m, 75m),
    };

    [Fact]
    public void Package_carries_the_runtime_and_kernel_in_lib_and_only_the_generator_and_code_fixes_in_analyzers()
    {
        RequirePacked();
        using var zip = ZipFile.OpenRead(fixture.PackagePath);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        string[] expected =
        [
            "lib/netstandard2.0/RoutingSdk.dll", "lib/netstandard2.0/RoutingSdk.Planning.dll",
            "lib/net8.0/RoutingSdk.dll", "lib/net8.0/RoutingSdk.Planning.dll",
            "analyzers/dotnet/cs/RoutingSdk.Generators.dll", "analyzers/dotnet/cs/RoutingSdk.CodeFixes.dll",
            "build/RoutingSdk.props", "build/RoutingSdk.targets", "buildTransitive/RoutingSdk.props", "buildTransitive/RoutingSdk.targets",
        ];
        foreach (var path in expected) Assert.True(entries.Contains(path), $"{path} is missing from the package:\n{string.Join("\n", entries)}");
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.EndsWith("RoutingSdk.Generators.dll", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.EndsWith("RoutingSdk.CodeFixes.dll", StringComparison.Ordinal));
        // The compiler loads only what it runs: the kernel is compiled into the generator, so no assembly of the analyzer
        // folder is also one the application loads (and none of the offline learning is there at all).
        var analyzers = entries.Where(e => e.StartsWith("analyzers/", StringComparison.Ordinal) && e.EndsWith(".dll", StringComparison.Ordinal)).OrderBy(e => e, StringComparer.Ordinal);
        Assert.Equal(new[] { "analyzers/dotnet/cs/RoutingSdk.CodeFixes.dll", "analyzers/dotnet/cs/RoutingSdk.Generators.dll" }, analyzers);
        Assert.DoesNotContain(entries, e => e.Contains("RoutingSdk.Calibration", StringComparison.Ordinal));

        using var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        var dependencies = XDocument.Load(nuspec).Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => (string?)e.Attribute("id")).ToHashSet();
        Assert.Contains("Microsoft.Extensions.AI", dependencies);
        // Planning ships inside this package; a dependency on a "RoutingSdk.Planning" package would not restore.
        Assert.DoesNotContain("RoutingSdk.Planning", dependencies);
        Assert.DoesNotContain("RoutingSdk.Generators", dependencies);
        Assert.DoesNotContain("RoutingSdk.CodeFixes", dependencies);
        // The code fixes' Workspaces dependency is the IDE's own; the package must not pull it into the consumer.
        Assert.DoesNotContain("Microsoft.CodeAnalysis.CSharp.Workspaces", dependencies);
    }

    [Fact]
    public void Consumer_builds_with_warnings_as_errors_and_no_RSDK_diagnostics()
    {
        RequireBuilt();
        var output = fixture.Build!.StdOut + fixture.Build.StdErr;
        Assert.False(output.Contains("RSDK", StringComparison.Ordinal), "RSDK diagnostics for well-planned tasks:\n" + fixture.Log);
        Assert.True(output.Contains("0 Warning(s)", StringComparison.Ordinal), "The consumer build had warnings:\n" + fixture.Log);

        // The generator from the package ran (and not some other copy): its three kinds of files are there.
        var generated = Directory.GetFiles(Path.Combine(fixture.ConsumerDirectory, "obj"), "*.g.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "probe" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Select(Path.GetFileName).ToArray();
        Assert.Contains("RoutingSdk.RoutingTable.g.cs", generated);
        Assert.Contains("RoutingSdk.ServiceCollectionExtensions.g.cs", generated);
        Assert.Contains(generated, f => f!.EndsWith(".RoutedTasks.g.cs", StringComparison.Ordinal));
    }

    // What the probe's tasks must raise: the diagnostic, the task, and the attribute argument it points at.
    private static readonly (string Id, string Member, string Argument)[] ProbeExpectations =
    [
        ("RSDK1001", "OverspendAsync", "Tier = \"frontier\""),
        ("RSDK1002", "ThinkingAsync", "MaxTier = \"frontier-thinking\""),
        ("RSDK1003", "OverBudgetAsync", "MaxCostPerThousandCalls = 1"),
        ("RSDK2001", "UnreachableAsync", "QualityThreshold = 0.99"),
        ("RSDK2002", "TooSlowAsync", "LatencyBudgetMs = 1000"),
        ("RSDK2003", "UnderspendAsync", "Tier = \"small\""),
    ];

    [Fact]
    public void Probe_build_shows_every_expected_diagnostic_on_its_argument_and_none_on_well_planned_tasks()
    {
        RequireBuilt();
        Assert.True(fixture.Probe is not null, fixture.Log);
        var output = fixture.Probe!.StdOut + fixture.Probe.StdErr;
        var probe = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Consumer", PackageFixture.ProbeSource));

        // "…/Probe.cs(14,58): warning RSDK1001: 'OverspendAsync' pins tier 'frontier' …", as MSBuild prints it.
        var reported = Regex.Matches(output, @"(?<file>[^\s/\\(]+\.cs)\((?<line>\d+),(?<column>\d+)\): (?<severity>warning|error) (?<id>RSDK\d{4}):")
            .Select(m => $"{m.Groups["file"].Value}({m.Groups["line"].Value},{m.Groups["column"].Value}): {m.Groups["severity"].Value} {m.Groups["id"].Value}")
            .ToHashSet(StringComparer.Ordinal);

        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, member, argument) in ProbeExpectations)
        {
            var declaration = Array.FindIndex(probe, l => l.Contains(" " + member + "(", StringComparison.Ordinal));
            Assert.True(declaration > 0, $"{member} is not declared in {PackageFixture.ProbeSource}");
            var column = probe[declaration - 1].IndexOf(argument, StringComparison.Ordinal);
            Assert.True(column >= 0, $"The attribute above {member} has no '{argument}'");
            // .editorconfig raised RSDK2002 to an error; the rest keep their default severity.
            expected.Add($"{PackageFixture.ProbeSource}({declaration},{column + 1}): {(id == "RSDK2002" ? "error" : "warning")} {id}");
        }

        Assert.True(expected.SetEquals(reported),
            $"Expected exactly:\n{string.Join("\n", expected.Order())}\nReported:\n{string.Join("\n", reported.Order())}\n\n{fixture.Log}");
        // The raised severity failed the build, and nothing else did.
        Assert.False(fixture.Probe.Succeeded, "The probe build should fail on the RSDK2002 raised to an error:\n" + fixture.Log);
        Assert.DoesNotMatch(@": error (?!RSDK2002)[A-Z]+\d+", output);
    }

    [Fact]
    public void Build_with_RoutingSdkReport_prints_the_cost_report_of_every_task()
    {
        RequireBuilt();
        Assert.True(fixture.Report is { Succeeded: true }, "The report build failed:\n" + fixture.Log);
        var expected = CostReport.Format(ConsumerSpecs.Select(spec => Planner.Plan(spec, TierCatalog.BuiltIn)));
        var printed = fixture.Report.StdOut.Split('\n').Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
        var lines = expected.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(ConsumerName + ": " + lines[0], printed);
        foreach (var line in lines.Skip(1))
            Assert.True(printed.Contains(line.Trim()), $"The report line '{line}' was not printed:\n{fixture.Log}");
    }

    [Fact]
    public void Incremental_build_with_RoutingSdkReport_skips_the_compile_and_still_prints_the_report()
    {
        RequireBuilt();
        Assert.True(fixture.ReportAgain is { Succeeded: true }, "The second report build failed:\n" + fixture.Log);
        Assert.True(fixture.ReportAgain.StdOut.Contains("Skipping target \"CoreCompile\"", StringComparison.Ordinal), "The second report build compiled again:\n" + fixture.Log);
        Assert.True(fixture.ReportAgain.StdOut.Contains(ConsumerName + ": RoutingSdk cost report: 3 routed tasks.", StringComparison.Ordinal), "No report from the incremental build:\n" + fixture.Log);
        Assert.Contains("per 1,000 calls of every task", fixture.ReportAgain.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_without_RoutingSdkReport_prints_no_report_before_or_after_a_report_build()
    {
        RequireBuilt();
        Assert.True(fixture.Quiet is { Succeeded: true }, "The build after the report builds failed:\n" + fixture.Log);
        foreach (var build in new[] { fixture.Build!, fixture.Quiet })
        {
            var output = build.StdOut + build.StdErr;
            Assert.False(output.Contains("cost report", StringComparison.OrdinalIgnoreCase), "A build without the property printed the report:\n" + build.Describe());
            Assert.False(output.Contains("per 1,000 calls", StringComparison.Ordinal), "A build without the property printed the report:\n" + build.Describe());
        }
    }

    [Fact]
    public void Routing_table_holds_the_planners_plan_for_every_task()
    {
        var plans = Lines("PLAN").ToDictionary(l => l[1]);
        Assert.True(plans.Count == 3, "Expected three plans:\n" + fixture.Log);

        foreach (var spec in ConsumerSpecs)
        {
            var expected = Planner.Plan(spec, TierCatalog.BuiltIn);
            Assert.True(expected.Findings.Count == 0, $"The planner has findings for {spec.TaskName}; the consumer would not build: {string.Join("; ", expected.Findings)}");
            Assert.True(plans.TryGetValue(spec.TaskName, out var line), $"No plan for {spec.TaskName}:\n{fixture.Log}");
            Assert.Equal(expected.StartTier, line[2]);
            Assert.Equal(string.Join(",", expected.Chain), line[3]);
            Assert.Equal(spec.QualityThreshold, double.Parse(line[4], CultureInfo.InvariantCulture));
        }

        // The contract's own example: a low-complexity classification starts on the cheapest tier.
        Assert.Equal("small", plans["SupportDesk.ClassifyAsync"][2]);
        Assert.True(plans["SupportDesk.ExtractOrderAsync"][3].Split(',').Length >= 2, "The extraction needs a chain to fall back along:\n" + fixture.Log);
    }

    [Fact]
    public void Prompt_is_built_from_the_parameters_and_instructions_are_the_system_message()
    {
        var classify = Line("RECEIVED", "classify");
        Assert.Equal("small", classify[2]);
        Assert.Equal("user", classify[3]);
        Assert.Equal("<none>", classify[4]);
        Assert.Equal("Classify this customer email as billing, technical or general:\nMy router reboots every night at 2am.", classify[5]);
        Assert.Equal("SupportDesk.ClassifyAsync", classify[6]);
        Assert.Equal(["classify", "Technical", "small:1"], Line("RESULT", "classify")[1..]);

        var review = Line("RECEIVED", "review");
        Assert.Equal(Plan("SupportDesk.ReviewClauseAsync")[2], review[2]);
        Assert.Equal("system,user", review[3]);
        Assert.Equal("You are a careful contract lawyer. Answer in plain English.", review[4]);
        Assert.Equal("Review this clause under Dutch law and list at most 2 risks to the customer:\nThe customer shall indemnify the vendor for all losses.", review[5]);
        // A Task<string> task returns the answer text (trimmed), from the start tier only.
        Assert.Equal(["review", "1. Unlimited liability for the customer.\n2. Auto-renewal without notice.", review[2] + ":1"], Line("RESULT", "review")[1..]);
    }

    [Fact]
    public void A_throwing_tier_hands_the_call_to_the_next_tier_of_the_chain()
    {
        var chain = Plan("SupportDesk.ExtractOrderAsync")[3].Split(',');
        Assert.Equal(["extract", "A-1001;12.50;EUR", $"{chain[0]}:1,{chain[1]}:1"], Line("RESULT", "extract")[1..]);
        var received = Line("RECEIVED", "extract");
        Assert.Equal(chain[1], received[2]);
        Assert.Equal("Answer with JSON only: {\"orderNumber\": string, \"amount\": number, \"currency\": string}.", received[4]);
        Assert.Equal("Extract the order from this email:\nOrder A-1001 for EUR 12.50 arrived broken.", received[5]);
    }

    [Fact]
    public void The_callers_cancellation_propagates_and_no_later_tier_is_called()
    {
        var start = Plan("SupportDesk.ClassifyAsync")[2];
        var cancel = Line("RESULT", "cancel");
        Assert.EndsWith("(OperationCanceledException)", cancel[2]);
        Assert.Equal(start + ":1", cancel[3]);

        var precancelled = Line("RESULT", "precancelled");
        Assert.EndsWith("(OperationCanceledException)", precancelled[2]);
        Assert.Equal("", precancelled[3]);
    }

    [Fact]
    public void When_every_tier_fails_one_RoutingFailedException_names_each_tier()
    {
        var chain = Plan("SupportDesk.ClassifyAsync")[3].Split(',');
        var result = Line("RESULT", "allfail");
        Assert.Equal("RoutingFailedException", result[2]);
        Assert.Equal(string.Join(",", chain.Select(t => t + ":1")), result[3]);

        var failed = Line("FAILED", "SupportDesk.ClassifyAsync");
        Assert.Equal(string.Join(",", chain), failed[2]);
        foreach (var tier in chain)
        {
            Assert.Contains($"'{tier}'", failed[3]);
            // Each tier's failure by its exception type; its message (which may quote the prompt) only with RecordContent.
            Assert.Contains("InvalidOperationException", failed[3]);
            Assert.DoesNotContain($"tier {tier} is down", failed[3]);
        }
    }

    [Fact]
    public void Ledger_total_is_the_tokens_of_the_successful_calls_times_the_tier_prices()
    {
        // Providers count reasoning tokens inside the output tokens; the ledger books them at the reasoning price.
        var billed = Lines("BILLED");
        Assert.True(billed.Count == 3, "Expected three successful calls:\n" + fixture.Log);
        var expected = 0m;
        foreach (var line in billed)
        {
            var (input, output, reasoning) = (long.Parse(line[3], CultureInfo.InvariantCulture), long.Parse(line[4], CultureInfo.InvariantCulture), long.Parse(line[5], CultureInfo.InvariantCulture));
            var price = Prices[line[2]];
            expected += (input * price.In + (output - reasoning) * price.Out + reasoning * price.Reasoning) / 1_000_000m;
        }

        var total = decimal.Parse(Line("LEDGER")[1], CultureInfo.InvariantCulture);
        Assert.True(expected == total, $"ledger total {total}, expected {expected}:\n{fixture.Log}");

        // One entry per successful (task, tier); failed and cancelled calls cost nothing.
        var entries = Lines("ENTRY");
        Assert.Equal(billed.Select(b => b[2]).Order(), entries.Select(e => e[2]).Order());
        Assert.All(entries, e => Assert.Equal("1", e[3]));
    }

    /// <summary>The consumer's three tasks as the Planner sees them (Consumer/Program.cs).</summary>
    private static readonly TaskSpec[] ConsumerSpecs =
    [
        new TaskSpec("SupportDesk.ClassifyAsync", "ClassifyAsync", TaskKind.Classification, Complexity.Low) { QualityThreshold = 0.85 },
        new TaskSpec("SupportDesk.ReviewClauseAsync", "ReviewClauseAsync", TaskKind.Analysis, Complexity.High) { QualityThreshold = 0.9, LatencyBudgetMs = 30000 },
        new TaskSpec("SupportDesk.ExtractOrderAsync", "ExtractOrderAsync", TaskKind.Extraction, Complexity.Low) { QualityThreshold = 0.85 },
    ];

    private const string ConsumerName = PackageFixture.ConsumerName;

    private void RequirePacked()
        => Assert.True(fixture.Pack is { Succeeded: true } && File.Exists(fixture.PackagePath), "dotnet pack failed:\n" + fixture.Log);

    private void RequireBuilt()
    {
        RequirePacked();
        Assert.True(fixture.Build is { Succeeded: true }, "The consumer did not build:\n" + fixture.Log);
    }

    private IReadOnlyList<string[]> Lines(string key)
    {
        RequireBuilt();
        Assert.True(fixture.Run is { Succeeded: true } && fixture.Run.StdOut.Contains("DONE", StringComparison.Ordinal), "The consumer did not run to the end:\n" + fixture.Log);
        return fixture.Run!.StdOut.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0)
            .Select(Split).Where(f => f[0] == key).ToArray();
    }

    private string[] Line(string key, string? first = null)
    {
        var matches = Lines(key).Where(l => first is null || (l.Length > 1 && l[1] == first)).ToArray();
        Assert.True(matches.Length == 1, $"Expected one {key}|{first} line, found {matches.Length}:\n{fixture.Log}");
        return matches[0];
    }

    private string[] Plan(string taskName) => Line("PLAN", taskName);

    /// <summary>Splits KEY|field|field, undoing the consumer's escapes (\n, \p for '|', \\).</summary>
    private static string[] Split(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '|')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else if (c == '\\' && i + 1 < line.Length)
            {
                var next = line[++i];
                current.Append(next switch { 'n' => '\n', 'p' => '|', _ => next });
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return fields.ToArray();
    }
}
