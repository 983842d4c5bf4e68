using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace RoutingSdk.PackageTests;

/// <summary>
/// Packs src/RoutingSdk once, writes a consumer project that references only the package, builds it, runs it, and
/// builds it once more with a probe whose tasks must raise the package's diagnostics. Every step's output is kept for the tests' messages.
/// </summary>
/// <remarks>
/// Stale packages: the package gets a version of its own per run (0.1.0-ci.&lt;ticks&gt;), and the consumer restores
/// into a private packages folder under the run's temp directory, with the machine's global packages folder as a
/// read-only fallback (so Microsoft.Extensions.AI and friends come from there, offline too). Together: the consumer
/// can only ever see the package packed by this run, and nothing is added to the user's NuGet cache.
/// </remarks>
public sealed partial class PackageFixture : IAsyncLifetime
{
    public const string ConsumerName = "PackageConsumer";

    /// <summary>The consumer source that only the probe build compiles: one task per expected diagnostic.</summary>
    public const string ProbeSource = "Probe.cs";

    public string RepoRoot { get; } = FindRepoRoot();
    public string Version { get; } = "0.1.0-ci." + DateTime.UtcNow.Ticks;
    public string WorkDirectory { get; } = Path.Combine(Path.GetTempPath(), "RoutingSdk.PackageTests", Guid.NewGuid().ToString("N")[..12]);
    public string FeedDirectory => Path.Combine(WorkDirectory, "feed");
    public string ConsumerDirectory => Path.Combine(WorkDirectory, "consumer");
    public string PackagePath => Path.Combine(FeedDirectory, $"RoutingSdk.{Version}.nupkg");

    /// <summary>The configuration these tests were built in, whose output of src/RoutingSdk is packed.</summary>
    public static string Configuration { get; } = typeof(PackageFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .SingleOrDefault(a => a.Key == "RoutingSdkConfiguration")?.Value
        ?? throw new InvalidOperationException("The test assembly does not say which configuration it was built in (RoutingSdkConfiguration).");

    public ProcessResult? Pack { get; private set; }
    public ProcessResult? Build { get; private set; }
    public ProcessResult? Run { get; private set; }
    public ProcessResult? Probe { get; private set; }

    /// <summary>The consumer built again with <c>-p:RoutingSdkReport=true</c> (the compile reruns: the property reaches the compiler).</summary>
    public ProcessResult? Report { get; private set; }

    /// <summary>The same report build once more, with nothing changed: the compile is skipped and the report still prints.</summary>
    public ProcessResult? ReportAgain { get; private set; }

    /// <summary>The consumer built without the property after the report builds: quiet again.</summary>
    public ProcessResult? Quiet { get; private set; }

    /// <summary>What went wrong before a step could run (a missing source, an unreadable file), or null.</summary>
    public string? SetupError { get; private set; }

    public string Log => string.Join(Environment.NewLine, new[] { Pack, Build, Run, Probe, Report, ReportAgain, Quiet, SolutionBuild, SolutionRun }.Where(r => r is not null).Select(r => r!.Describe()))
        + (SetupError is null ? "" : Environment.NewLine + "setup: " + SetupError)
        + Environment.NewLine + "work directory: " + WorkDirectory;

    /// <summary>Whether the multi-project solution and the Quick start are built (the long runs of .ci/run).</summary>
    public static bool BuildsSolution => Environment.GetEnvironmentVariable("ROUTINGSDK_LONG_TESTS") == "1";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(FeedDirectory);
        Directory.CreateDirectory(ConsumerDirectory);

        // The assemblies this test run was built with (the project references src/RoutingSdk), packed as they are: no
        // restore or compile of the product in a configuration of its own.
        Pack = await DotNet.RunAsync(RepoRoot,
        [
            "pack", Path.Combine(RepoRoot, "src", "RoutingSdk", "RoutingSdk.csproj"), "--no-build", "-c", Configuration, "-o", FeedDirectory,
            "-p:Version=" + Version, "-p:NuspecOutputPath=" + Path.Combine(WorkDirectory, "nuspec") + Path.DirectorySeparatorChar,
            "-nodeReuse:false",
        ]);
        if (!Pack.Succeeded || !File.Exists(PackagePath)) return;

        try
        {
            await WriteConsumerAsync();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            SetupError = ex.ToString();
            return;
        }

        // The multi-project solution is built beside the consumer's builds (its own folder and projects): together they
        // take less time than one after the other.
        var solution = BuildsSolution ? BuildSolutionAsync() : Task.CompletedTask;
        try
        {
            await RunConsumerAsync();
        }
        finally
        {
            await solution;
        }
    }

    /// <summary>
    /// The consumer: built, then run and built with the report (twice) and without it, while the probe build runs beside
    /// them in folders of its own.
    /// </summary>
    private async Task RunConsumerAsync()
    {
        Build = await DotNet.RunAsync(ConsumerDirectory,
            ["build", ConsumerName + ".csproj", "-c", "Release", "-nodeReuse:false", "-p:UseSharedCompilation=false"]);
        if (!Build.Succeeded) return;

        // The same project with the probe's tasks compiled in (Probe.cs: one task per RSDK1xxx/RSDK2xxx warning), warnings
        // not as errors, into its own folders (it shares only the restore, which it does not redo). It fails on purpose:
        // .editorconfig raises RSDK2002 to an error.
        var probe = DotNet.RunAsync(ConsumerDirectory,
        [
            "build", ConsumerName + ".csproj", "-c", "Release", "--no-restore", "-nodeReuse:false", "-p:UseSharedCompilation=false",
            "-p:RoutingSdkProbe=true", "-p:TreatWarningsAsErrors=false",
            "-p:IntermediateOutputPath=obj/probe/", "-p:OutputPath=bin/probe/",
        ]);
        try
        {
            Run = await DotNet.RunAsync(ConsumerDirectory,
                [Path.Combine(ConsumerDirectory, "bin", "Release", "net10.0", ConsumerName + ".dll")], TimeSpan.FromMinutes(2));

            // The build-time cost report: printed with the property (also by an incremental build), never without it.
            string[] rebuild = ["build", ConsumerName + ".csproj", "-c", "Release", "--no-restore", "-nodeReuse:false", "-p:UseSharedCompilation=false"];
            Report = await DotNet.RunAsync(ConsumerDirectory, [.. rebuild, "-p:RoutingSdkReport=true"]);
            ReportAgain = await DotNet.RunAsync(ConsumerDirectory, [.. rebuild, "-p:RoutingSdkReport=true", "-v:n"]);
            Quiet = await DotNet.RunAsync(ConsumerDirectory, rebuild);
        }
        finally
        {
            Probe = await probe;
        }
    }

    public Task DisposeAsync()
    {
        if (Environment.GetEnvironmentVariable("ROUTINGSDK_KEEP_PACKAGE_TEST") != "1")
        {
            try
            {
                Directory.Delete(WorkDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: it is under the temp directory.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return Task.CompletedTask;
    }

    private async Task WriteConsumerAsync()
    {
        await WriteIsolationAsync(ConsumerDirectory);
        var dependencyInjection = CentralVersion("Microsoft.Extensions.DependencyInjection");

        File.WriteAllText(Path.Combine(ConsumerDirectory, ConsumerName + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <LangVersion>latest</LangVersion>
                <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
                <DefineConstants Condition="'$(RoutingSdkProbe)' == 'true'">$(DefineConstants);ROUTINGSDK_PROBE</DefineConstants>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="RoutingSdk" Version="[{Version}]" />
                <PackageReference Include="Microsoft.Extensions.DependencyInjection" Version="{dependencyInjection}" />
              </ItemGroup>
            </Project>

            """);

        foreach (var source in new[] { "Program.cs", ProbeSource })
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Consumer", source), Path.Combine(ConsumerDirectory, source), overwrite: true);
        }

        // Severities are the user's to configure: the probe's latency warning becomes an error.
        File.WriteAllText(Path.Combine(ConsumerDirectory, ".editorconfig"), $"""
            root = true

            [{ProbeSource}]
            dotnet_diagnostic.RSDK2002.severity = error

            """);
    }

    private IReadOnlyList<(string Name, string Url)>? _sources;
    private string? _globalPackages;

    /// <summary>
    /// Makes <paramref name="directory"/> a root of its own: empty Directory.*.props/targets (MSBuild's upward search
    /// stops there) and a NuGet.config that takes RoutingSdk only from the run's feed and the rest from the machine's sources.
    /// </summary>
    private async Task WriteIsolationAsync(string directory)
    {
        _sources ??= await ReadSourcesAsync();
        _globalPackages ??= await ReadGlobalPackagesFolderAsync();
        var (sources, globalPackages) = (_sources, _globalPackages);
        Directory.CreateDirectory(directory);

        // Stop MSBuild's upward search for Directory.*.props/targets here.
        foreach (var name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            File.WriteAllText(Path.Combine(directory, name), "<Project>\n</Project>\n");
        }

        var nugetConfig = new XElement("configuration",
            new XElement("config",
                new XElement("add", new XAttribute("key", "globalPackagesFolder"), new XAttribute("value", Path.Combine(WorkDirectory, "packages")))),
            globalPackages is null ? null : new XElement("fallbackPackageFolders",
                new XElement("clear"),
                new XElement("add", new XAttribute("key", "machine-global-packages"), new XAttribute("value", globalPackages))),
            new XElement("packageSources",
                new XElement("clear"),
                new XElement("add", new XAttribute("key", "routingsdk-local"), new XAttribute("value", FeedDirectory)),
                sources.Select(s => new XElement("add", new XAttribute("key", s.Name), new XAttribute("value", s.Url)))),
            // RoutingSdk only from the local feed; everything else from the machine's sources.
            new XElement("packageSourceMapping",
                new XElement("packageSource", new XAttribute("key", "routingsdk-local"),
                    new XElement("package", new XAttribute("pattern", "RoutingSdk"))),
                sources.Select(s => new XElement("packageSource", new XAttribute("key", s.Name),
                    new XElement("package", new XAttribute("pattern", "*"))))));
        File.WriteAllText(Path.Combine(directory, "NuGet.config"), new XDocument(nugetConfig).ToString() + "\n");
    }

    /// <summary>The enabled package sources as this repository sees them (`dotnet nuget list source`).</summary>
    private async Task<IReadOnlyList<(string Name, string Url)>> ReadSourcesAsync()
    {
        var result = await DotNet.RunAsync(RepoRoot, ["nuget", "list", "source"], TimeSpan.FromMinutes(1));
        if (!result.Succeeded) throw new InvalidOperationException("Could not list the NuGet sources:\n" + result.Describe());

        // "  1.  nuget.org [Enabled]" followed by "      https://api.nuget.org/v3/index.json"
        var sources = new List<(string, string)>();
        var lines = result.StdOut.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        for (var i = 0; i < lines.Length - 1; i++)
        {
            var match = SourceLine().Match(lines[i]);
            if (match.Success && match.Groups[2].Value == "Enabled") sources.Add((match.Groups[1].Value, lines[i + 1].Trim()));
        }

        return sources;
    }

    private async Task<string?> ReadGlobalPackagesFolderAsync()
    {
        var result = await DotNet.RunAsync(RepoRoot, ["nuget", "locals", "global-packages", "--list"], TimeSpan.FromMinutes(1));
        var match = Regex.Match(result.StdOut, @"global-packages:\s*(\S.*?)\s*$", RegexOptions.Multiline);
        return result.Succeeded && match.Success && Directory.Exists(match.Groups[1].Value) ? match.Groups[1].Value : null;
    }

    /// <summary>A version from the repository's Directory.Packages.props, so the consumer uses what the repo tests with.</summary>
    public string CentralVersion(string id)
    {
        var document = XDocument.Load(Path.Combine(RepoRoot, "Directory.Packages.props"));
        return document.Descendants("PackageVersion").FirstOrDefault(e => (string?)e.Attribute("Include") == id)?.Attribute("Version")?.Value
            ?? throw new InvalidOperationException($"Directory.Packages.props has no version for {id}.");
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props"))) return dir.FullName;
        }

        throw new InvalidOperationException("No Directory.Packages.props above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^\s*\d+\.\s+(.+?)\s+\[(Enabled|Disabled)\]\s*$")]
    private static partial Regex SourceLine();
}
