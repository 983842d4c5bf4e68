namespace RoutingSdk.PackageTests;

/// <summary>
/// The multi-project scenario: two class libraries with routed tasks (Billing; Support, which references Billing) and an
/// application without tasks of its own that references only Support (and gets the package only through it), all on the
/// packed package, built in one solution
/// with the README's Quick start (Desk). None of the projects sets anything for the cost report: the one build with
/// <c>-p:RoutingSdkReport=true</c> is also the fresh-consumer check of the report.
/// </summary>
public sealed partial class PackageFixture
{
    public string SolutionDirectory => Path.Combine(WorkDirectory, "solution");

    /// <summary>The solution (the application, its libraries, the Quick start) built with <c>-p:RoutingSdkReport=true</c> and nothing else set.</summary>
    public ProcessResult? SolutionBuild { get; private set; }

    /// <summary>The application run.</summary>
    public ProcessResult? SolutionRun { get; private set; }

    private async Task BuildSolutionAsync()
    {
        await WriteIsolationAsync(SolutionDirectory);
        var dependencyInjection = CentralVersion("Microsoft.Extensions.DependencyInjection");
        WriteProject("Billing", "Library", [Package], []);
        WriteProject("Support", "Library", [Package], ["Billing"]);
        // The application gets RoutingSdk (and its generator) only through Support.
        WriteProject("App", "Exe", [("Microsoft.Extensions.DependencyInjection", dependencyInjection)], ["Support"]);

        WriteQuickStart();

        // One build for both (MSBuild builds the projects side by side): the solution and the Quick start's console app.
        File.WriteAllText(Path.Combine(SolutionDirectory, "Solution.slnx"), """
            <Solution>
              <Project Path="App/App.csproj" />
              <Project Path="Billing/Billing.csproj" />
              <Project Path="Support/Support.csproj" />
              <Project Path="Desk/Desk.csproj" />
            </Solution>

            """);
        SolutionBuild = await DotNet.RunAsync(SolutionDirectory,
            ["build", "Solution.slnx", "-c", "Release", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-p:RoutingSdkReport=true"]);
        var app = Path.Combine(SolutionDirectory, "App", "bin", "Release", "net10.0", "App.dll");
        if (File.Exists(app)) SolutionRun = await DotNet.RunAsync(SolutionDirectory, [app], TimeSpan.FromMinutes(2));
    }

    private (string Id, string Version) Package => ("RoutingSdk", "[" + Version + "]");

    /// <summary>A project of the solution: a plain SDK project with its packages, its sources copied from Solution/&lt;name&gt;.</summary>
    private void WriteProject(string name, string outputType, (string Id, string Version)[] packages, string[] projects)
    {
        var directory = Path.Combine(SolutionDirectory, name);
        Directory.CreateDirectory(directory);
        var packageItems = string.Concat(packages.Select(p => $"""

                <PackageReference Include="{p.Id}" Version="{p.Version}" />
            """));
        var projectItems = string.Concat(projects.Select(p => $"""

                <ProjectReference Include="..\{p}\{p}.csproj" />
            """));
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>{outputType}</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>{packageItems}{projectItems}
              </ItemGroup>
            </Project>

            """);
        foreach (var source in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Solution", name), "*.cs"))
            File.Copy(source, Path.Combine(directory, Path.GetFileName(source)), overwrite: true);
    }
}
