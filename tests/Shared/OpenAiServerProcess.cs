using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;

namespace RoutingSdk.Testing;

/// <summary>
/// The local OpenAI-compatible server (tests/RoutingSdk.OpenAiServer) in a child process: started with
/// <c>dotnet RoutingSdk.OpenAiServer.dll</c> on a free loopback port, stopped by its process id on dispose.
/// </summary>
/// <remarks>
/// Link this file into a test project and reference the server project with <c>ReferenceOutputAssembly="false"</c>
/// and an <c>AssemblyMetadata("OpenAiServerPath", ...)</c> attribute naming the built DLL (see
/// RoutingSdk.Calibration.Tests.csproj).
/// </remarks>
internal sealed class OpenAiServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _configPath;

    private OpenAiServerProcess(Process process, string configPath, Uri baseUrl)
    {
        _process = process;
        _configPath = configPath;
        BaseUrl = baseUrl;
    }

    /// <summary>The OpenAI base URL, ending in <c>/v1</c> (what the OpenAI client's <c>Endpoint</c> takes).</summary>
    public Uri BaseUrl { get; }

    /// <summary>The server's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>
    /// Starts the server with <paramref name="configJson"/> (the models it serves; format in the server's ServerConfig.cs)
    /// and waits until it listens.
    /// </summary>
    /// <param name="configJson">The server's config file content.</param>
    /// <param name="apiKey">When given, the server answers 401 to requests without this bearer key.</param>
    public static async Task<OpenAiServerProcess> StartAsync(string configJson, string? apiKey = null)
    {
        var dll = typeof(OpenAiServerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "OpenAiServerPath")?.Value
            ?? throw new InvalidOperationException("the test assembly has no AssemblyMetadata(\"OpenAiServerPath\") naming the server DLL");
        if (!File.Exists(dll)) throw new FileNotFoundException($"the OpenAI-compatible test server is not built: {dll}", dll);
        var configPath = Path.Combine(Path.GetTempPath(), "routingsdk-openai-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(configPath, configJson).ConfigureAwait(false);
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(configPath);
        if (apiKey is not null)
        {
            start.ArgumentList.Add("--api-key");
            start.ArgumentList.Add(apiKey);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + start.FileName);
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            var line = process.StandardOutput.ReadLineAsync();
            if (await Task.WhenAny(line, Task.Delay(TimeSpan.FromSeconds(30))).ConfigureAwait(false) != line || line.Result is null
                || !line.Result.StartsWith("listening on ", StringComparison.Ordinal))
            {
                var said = line.IsCompleted ? line.Result : "(nothing within 30 s)";
                if (!process.HasExited) process.Kill();
                throw new InvalidOperationException($"the OpenAI-compatible test server did not start: stdout '{said}', stderr '{await stderr.ConfigureAwait(false)}'");
            }

            return new OpenAiServerProcess(process, configPath, new Uri(line.Result.Substring("listening on ".Length).TrimEnd('/') + "/v1"));
        }
        catch
        {
            process.Dispose();
            File.Delete(configPath);
            throw;
        }
    }

    /// <summary>Stops the server by its process id and deletes its config file.</summary>
    public void Dispose()
    {
        try
        {
            using var byId = Process.GetProcessById(_process.Id);
            byId.Kill();
            byId.WaitForExit(10_000);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // It has already exited.
        }

        _process.Dispose();
        File.Delete(_configPath);
    }

    /// <summary>The dotnet host that runs the tests (so the same runtime runs the server), else <c>dotnet</c> on the PATH.</summary>
    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
