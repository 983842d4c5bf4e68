namespace RoutingSdk.Calibration.Tests;

/// <summary>
/// Finds the shared data sets: the folder <c>shared/data</c> next to the repository root (../shared/data seen from the
/// root, which is found by walking up from the test binaries to RoutingSdk.sln).
/// </summary>
internal static class RealData
{
    public static string? RepositoryRoot { get; } = FindRoot();

    public static string? Directory { get; } = RepositoryRoot is null ? null : Existing(Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data")));

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private static string? FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RoutingSdk.sln"))) return dir.FullName;
        }

        return null;
    }

    private static string? Existing(string path) => System.IO.Directory.Exists(path) ? path : null;
}

/// <summary>A fact that needs ../shared/data; skipped, with the reason shown, only when that folder does not exist.</summary>
public sealed class RealDataFactAttribute : FactAttribute
{
    public RealDataFactAttribute()
    {
        if (RealData.Directory is null)
            Skip = $"the shared data folder (../shared/data next to the repository root {RealData.RepositoryRoot ?? "(not found)"}) does not exist in this checkout";
    }
}

/// <summary>
/// A real-data test that takes minutes (a full cross-validation of the calibrator on the shared data): it runs where
/// <c>ROUTINGSDK_LONG_TESTS=1</c> is set, as <c>.ci/run</c> sets it, so that the README's <c>dotnet test</c> stays short.
/// </summary>
public sealed class LongRealDataFactAttribute : FactAttribute
{
    /// <summary>The environment variable that turns the long runs on.</summary>
    public const string Variable = "ROUTINGSDK_LONG_TESTS";

    public LongRealDataFactAttribute()
    {
        if (RealData.Directory is null)
            Skip = $"the shared data folder (../shared/data next to the repository root {RealData.RepositoryRoot ?? "(not found)"}) does not exist in this checkout";
        else if (Environment.GetEnvironmentVariable(Variable) != "1")
            Skip = $"a cross-validation of several minutes: set {Variable}=1 to run it (.ci/run does)";
    }
}
