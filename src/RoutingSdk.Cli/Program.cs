namespace RoutingSdk.Cli;

/// <summary>Entry point of the <c>routing</c> tool.</summary>
public static class Program
{
    /// <summary>Runs the tool with the process's console.</summary>
    public static int Main(string[] args) => CliApp.Run(args, System.Console.Out, System.Console.Error);
}
