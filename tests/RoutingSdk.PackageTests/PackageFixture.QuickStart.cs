using System.Text.RegularExpressions;

namespace RoutingSdk.PackageTests;

/// <summary>
/// The README's Quick start, built as written: a fresh console project (what <c>dotnet new console</c> makes) with the
/// packages of the section's <c>dotnet add package</c> lines and the files of its C# blocks (each block starts with a
/// <c>// File.cs</c> comment), on the packed package, built with the multi-project solution.
/// </summary>
public sealed partial class PackageFixture
{
    public string QuickStartDirectory => Path.Combine(SolutionDirectory, "Desk");

    /// <summary>What was taken from the README: the packages and the files (name, text).</summary>
    public QuickStart? QuickStartSection { get; private set; }

    /// <summary>The Quick start's console project, in the solution's folder (<see cref="BuildSolutionAsync"/> builds it).</summary>
    private void WriteQuickStart()
    {
        QuickStartSection = QuickStart.Read(File.ReadAllText(Path.Combine(RepoRoot, "README.md")));
        Directory.CreateDirectory(QuickStartDirectory);
        var packages = string.Concat(QuickStartSection.Packages.Select(id => $"""

                <PackageReference Include="{id}" Version="{(id == "RoutingSdk" ? "[" + Version + "]" : CentralVersion(id))}" />
            """));
        // As `dotnet new console` writes it, plus warnings as errors: the README's code must not even warn.
        File.WriteAllText(Path.Combine(QuickStartDirectory, "Desk.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>{packages}
              </ItemGroup>
            </Project>

            """);
        foreach (var (name, text) in QuickStartSection.Files) File.WriteAllText(Path.Combine(QuickStartDirectory, name), text);
    }
}

/// <summary>The README's Quick start section: from its heading to the first subsection.</summary>
public sealed partial record QuickStart(IReadOnlyList<string> Packages, IReadOnlyList<(string Name, string Text)> Files, IReadOnlyList<string> Problems)
{
    public static QuickStart Read(string readme)
    {
        readme = readme.Replace("\r\n", "\n");
        var start = readme.IndexOf("\n## Quick start\n", StringComparison.Ordinal);
        if (start < 0) return new QuickStart([], [], ["The README has no '## Quick start' section."]);
        var end = readme.IndexOf("\n#", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? readme[start..] : readme[start..end];

        var packages = new List<string>();
        var files = new List<(string, string)>();
        var problems = new List<string>();
        foreach (Match block in Block().Matches(section))
        {
            var (language, body) = (block.Groups["language"].Value, block.Groups["body"].Value);
            if (language == "sh")
            {
                packages.AddRange(AddPackage().Matches(body).Select(m => m.Groups["id"].Value));
            }
            else if (language == "csharp")
            {
                var file = FileComment().Match(body);
                if (file.Success) files.Add((file.Groups["name"].Value, body));
                else problems.Add("A C# block of the Quick start does not start with a '// File.cs' comment:\n" + body);
            }
        }

        return new QuickStart(packages, files, problems);
    }

    [GeneratedRegex(@"```(?<language>\w+)\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex Block();

    [GeneratedRegex(@"^dotnet add package (?<id>[\w.]+)", RegexOptions.Multiline)]
    private static partial Regex AddPackage();

    [GeneratedRegex(@"\A// (?<name>\w+\.cs)\n")]
    private static partial Regex FileComment();
}
