using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace RoutingSdk.Redis.Tests;

/// <summary>
/// A redis-server of the test's own on a free loopback port, stopped by its process id. Persistence off by default; with
/// <c>durable</c> an append-only file (in a temporary folder) that a stop (SIGTERM: the server writes it out and exits) keeps
/// for the restart.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private readonly bool _durable;
    private readonly string? _password;
    private readonly string _dir;
    private Process? _process;

    private RedisServer(bool durable, string? password)
    {
        _durable = durable;
        _password = password;
        _dir = Directory.CreateTempSubdirectory("routingsdk-redis-").FullName;
        Port = RoutingSdk.Testing.LoopbackPort.Free();
        Start();
    }

    /// <summary>The redis-server binary: on PATH or /usr/bin/redis-server; null when not installed.</summary>
    public static string? Binary { get; } = Find();

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string of this server (does not give up while it is down).</summary>
    public string Configuration => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=5000,syncTimeout=5000,asyncTimeout=5000,connectRetry=1";

    public int ProcessId => _process?.Id ?? 0;

    /// <summary>Starts a server; with <paramref name="password"/> it requires clients to authenticate (requirepass).</summary>
    public static RedisServer StartNew(bool durable = false, string? password = null)
        => new(durable, password);

    /// <summary>A connection as AddRoutingSdkRedis makes one: never giving up, trying again every second, failing fast while down.</summary>
    public ConnectionMultiplexer Connect()
    {
        var options = ConfigurationOptions.Parse(Configuration);
        options.ReconnectRetryPolicy = new LinearRetry(1000);
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return ConnectionMultiplexer.Connect(options);
    }

    /// <summary>Stops the server by its process id (SIGTERM, SIGKILL if it has not ended after 10 seconds) and waits for it to end.</summary>
    public void Stop()
    {
        if (_process is null) return;
        try
        {
            using (var term = Process.Start(new ProcessStartInfo("kill", _process.Id.ToString()) { UseShellExecute = false })) term?.WaitForExit(5_000);
            if (!_process.WaitForExit(10_000)) _process.Kill();
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already ended.
        }

        _process.Dispose();
        _process = null;
    }

    /// <summary>Starts the server again on the same port (and folder).</summary>
    public void Start()
    {
        if (Binary is null) throw new InvalidOperationException(RedisFactAttribute.Missing);
        var arguments = new List<string> { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--dir", _dir, "--protected-mode", "no" };
        if (_password is not null) arguments.AddRange(new[] { "--requirepass", _password });
        arguments.AddRange(_durable ? new[] { "--appendonly", "yes", "--appendfsync", "everysec" } : new[] { "--appendonly", "no" });
        var info = new ProcessStartInfo(Binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (Pings()) return;
            if (_process.HasExited) throw new InvalidOperationException($"redis-server on port {Port} exited with code {_process.ExitCode}");
            Thread.Sleep(50);
        }

        throw new InvalidOperationException($"redis-server on port {Port} did not answer within 30 seconds");
    }

    /// <summary>Whether the server answers PING on its port (a plain socket: no client library state involved).</summary>
    private bool Pings()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            stream.ReadTimeout = 1000;
            stream.Write("PING\r\n"u8);
            var buffer = new byte[16];
            var read = stream.Read(buffer, 0, buffer.Length);
            var reply = System.Text.Encoding.ASCII.GetString(buffer, 0, read);
            return reply.StartsWith("+PONG", StringComparison.Ordinal) || (_password is not null && reply.StartsWith("-NOAUTH", StringComparison.Ordinal));
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        Stop();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
    }

    private static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/bin").Append("/usr/local/bin"))
        {
            if (dir.Length == 0) continue;
            var path = Path.Combine(dir, "redis-server");
            if (File.Exists(path)) return path;
        }

        return null;
    }
}

/// <summary>
/// A test that needs a real redis-server: skipped outside CI when the binary is missing (with how to install it); with
/// CI=true a missing binary fails the test instead.
/// </summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public const string Missing = "redis-server is not installed: sudo apt-get install redis-server (with CI=true this fails instead of skipping)";

    public RedisFactAttribute()
    {
        if (RedisServer.Binary is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Skip = Missing;
    }
}

/// <summary>
/// A <see cref="RedisFactAttribute"/> test that waits on leases or restarts the server, seconds each: it runs with
/// ROUTINGSDK_LONG_TESTS=1 (.ci/run sets it), so that the README's <c>dotnet test</c> stays short.
/// </summary>
public sealed class RedisLongFactAttribute : FactAttribute
{
    public RedisLongFactAttribute()
    {
        if (RedisServer.Binary is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Skip = RedisFactAttribute.Missing;
        else if (Environment.GetEnvironmentVariable("ROUTINGSDK_LONG_TESTS") != "1") Skip = "waits on leases or restarts redis-server for seconds: set ROUTINGSDK_LONG_TESTS=1 to run it (.ci/run does)";
    }
}
