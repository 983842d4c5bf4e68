namespace RoutingSdk.Generators;

/// <summary>The version written into [GeneratedCode] attributes: this assembly's, which the build takes from the package version.</summary>
internal static class ThisAssembly
{
    public static readonly string Version = typeof(ThisAssembly).Assembly.GetName().Version is { } v
        ? $"{v.Major}.{v.Minor}.{v.Build}"
        : "0.0.0";
}
