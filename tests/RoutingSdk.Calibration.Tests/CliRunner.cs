using RoutingSdk.Cli;

namespace RoutingSdk.Calibration.Tests;

/// <summary>Runs the <c>routing</c> tool in process, as its tests do.</summary>
internal static class CliRunner
{
    /// <summary>The tool's exit code and what it wrote to standard output and standard error.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
