using System;
using System.IO;
using System.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RoutingSdk.OpenAiServer;

/// <summary>
/// Entry point: <c>dotnet RoutingSdk.OpenAiServer.dll --config models.json [--port 0] [--api-key KEY]</c>. Listens on
/// 127.0.0.1 (a free port unless --port gives one) and prints <c>listening on http://127.0.0.1:PORT</c> on stdout once
/// it accepts requests; stops on Ctrl+C or when killed.
/// </summary>
public static class Program
{
    /// <summary>Runs the server; 2 on a bad command line or config file.</summary>
    public static int Main(string[] args)
    {
        string? configPath = null, apiKey = null;
        var port = 0;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--config" when value is not null: configPath = value; i++; break;
                case "--api-key" when value is not null: apiKey = value; i++; break;
                case "--port" when int.TryParse(value, out port): i++; break;
                default:
                    Console.Error.WriteLine($"unknown or incomplete argument '{args[i]}'; usage: --config models.json [--port 0] [--api-key KEY]");
                    return 2;
            }
        }

        if (configPath is null)
        {
            Console.Error.WriteLine("--config models.json is required");
            return 2;
        }

        ServerConfig config;
        try
        {
            config = ServerConfig.Load(configPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var completions = new ChatCompletions(config, apiKey);
        app.MapPost("/v1/chat/completions", completions.HandleAsync);
        app.Start();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.WriteLine("listening on " + address);
        Console.Out.Flush();
        app.WaitForShutdown();
        return 0;
    }
}
