using System.Diagnostics;
using System.Globalization;
using RoutingSdk.Planning;
using RoutingSdk.Redis;
using StackExchange.Redis;

namespace RoutingSdk.Benchmarks;

/// <summary>
/// What sharing budgets and the ledger through Redis costs per call: reserve + settle + book, sequentially, from one process
/// and from eight at once, against a local redis-server, beside the in-process default — in one run:
/// <c>dotnet run -c Release --project tests/RoutingSdk.Benchmarks -- shared-budgets [--seconds 5] [--redis host:port]</c>.
/// Without <c>--redis</c> it starts its own redis-server on a free loopback port (no persistence) and stops it by process id.
/// </summary>
internal static class SharedBudgets
{
    private static readonly TierSpec Small = TierCatalog.BuiltIn.Find("small")!;
    private static readonly TierSpec Frontier = TierCatalog.BuiltIn.Find("frontier")!;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = Parse(args);
        var seconds = double.Parse(options.GetValueOrDefault("seconds", "5"), CultureInfo.InvariantCulture);
        if (options.ContainsKey("worker")) return await WorkerAsync(options["redis"], options["prefix"], seconds, options["out"]);

        Process? server = null;
        var redis = options.GetValueOrDefault("redis");
        if (redis is null)
        {
            var port = RoutingSdk.Testing.LoopbackPort.Free();
            var info = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true };
            foreach (var a in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" }) info.ArgumentList.Add(a);
            server = Process.Start(info)!;
            redis = $"127.0.0.1:{port}";
            await WaitForAsync(redis);
        }

        try
        {
            Console.WriteLine($"reserve + settle + book per call, {seconds} s each, sequential calls per process; redis-server {redis}; {Environment.ProcessorCount} cores");
            Console.WriteLine("store                      processes  calls/s total      p50 µs      p99 µs");
            Report("in-process (default)", 1, await InProcessAsync(seconds));
            Report("redis", 1, await ProcessesAsync(redis, 1, seconds));
            Report("redis", 8, await ProcessesAsync(redis, 8, seconds));
            Report("in-process (default)", 8, await InProcessParallelAsync(8, seconds));
        }
        finally
        {
            if (server is not null)
            {
                server.Kill();
                server.WaitForExit();
            }
        }

        return 0;
    }

    private static void Report(string store, int processes, (long Calls, double Seconds, double[] LatenciesUs) result)
    {
        var sorted = result.LatenciesUs.OrderBy(x => x).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{store,-26} {processes,9}  {result.Calls / result.Seconds,14:N0}  {Percentile(sorted, 0.50),10:N1}  {Percentile(sorted, 0.99),10:N1}"));
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    /// <summary>One call's work against a store and a ledger: reserve the expected cost, settle the actual one, book the tokens.</summary>
    private static async ValueTask CallAsync(IBudgetStore store, ICostLedger ledger, RoutingBudget budget, int i)
    {
        var reservation = (await store.TryReserveAsync(budget, "", Small.Cost(500, 50))).Reservation
            ?? throw new InvalidOperationException("The benchmark's budget ran out.");
        var record = new CostRecord("Bench.Task", Small, Frontier, 400 + i % 200, 20 + i % 30, 0, CallOutcome.Accepted);
        await store.SettleAsync(reservation, record.Usd);
        ledger.Record(record);
    }

    private static async Task<(long, double, double[])> LoopAsync(IBudgetStore store, ICostLedger ledger, double seconds)
    {
        var budget = new RoutingBudget("bench", 900_000m);
        for (var i = 0; i < 200; i++) await CallAsync(store, ledger, budget, i);   // warm-up
        var latencies = new List<double>(100_000);
        var total = Stopwatch.StartNew();
        long calls = 0;
        while (total.Elapsed.TotalSeconds < seconds)
        {
            var started = Stopwatch.GetTimestamp();
            await CallAsync(store, ledger, budget, (int)calls);
            latencies.Add((Stopwatch.GetTimestamp() - started) * 1e6 / Stopwatch.Frequency);
            calls++;
        }

        return (calls, total.Elapsed.TotalSeconds, latencies.ToArray());
    }

    private static Task<(long, double, double[])> InProcessAsync(double seconds) => LoopAsync(new InProcessBudgetStore(TimeProvider.System), new CostLedger(), seconds);

    private static async Task<(long, double, double[])> InProcessParallelAsync(int loops, double seconds)
    {
        var store = new InProcessBudgetStore(TimeProvider.System);
        var ledger = new CostLedger();
        var results = await Task.WhenAll(Enumerable.Range(0, loops).Select(_ => Task.Run(() => LoopAsync(store, ledger, seconds))));
        return (results.Sum(r => r.Item1), results.Max(r => r.Item2), results.SelectMany(r => r.Item3).ToArray());
    }

    /// <summary>Runs <paramref name="count"/> worker processes at once against one Redis and gathers their latencies.</summary>
    private static async Task<(long, double, double[])> ProcessesAsync(string redis, int count, double seconds)
    {
        var prefix = "bench-" + Guid.NewGuid().ToString("N").Substring(0, 8);
        var self = typeof(SharedBudgets).Assembly.Location;
        var workers = Enumerable.Range(0, count).Select(n =>
        {
            var file = Path.Combine(Path.GetTempPath(), $"{prefix}-{n}.txt");
            var info = new ProcessStartInfo("dotnet") { UseShellExecute = false };
            foreach (var a in new[] { self, "shared-budgets", "--worker", "1", "--redis", redis, "--prefix", prefix, "--seconds", seconds.ToString(CultureInfo.InvariantCulture), "--out", file })
                info.ArgumentList.Add(a);
            return (Process: Process.Start(info)!, File: file);
        }).ToArray();
        foreach (var (process, _) in workers) await process.WaitForExitAsync();
        long calls = 0;
        var elapsed = 0.0;
        var latencies = new List<double>();
        foreach (var (process, file) in workers)
        {
            if (process.ExitCode != 0) throw new InvalidOperationException($"a worker exited with {process.ExitCode}");
            var lines = await File.ReadAllLinesAsync(file);
            calls += long.Parse(lines[0], CultureInfo.InvariantCulture);
            elapsed = Math.Max(elapsed, double.Parse(lines[1], CultureInfo.InvariantCulture));
            latencies.AddRange(lines.Skip(2).Select(l => double.Parse(l, CultureInfo.InvariantCulture)));
            File.Delete(file);
        }

        return (calls, elapsed, latencies.ToArray());
    }

    private static async Task<int> WorkerAsync(string redis, string prefix, double seconds, string file)
    {
        var configuration = ConfigurationOptions.Parse(redis);
        configuration.AbortOnConnectFail = false;
        using var connection = await ConnectionMultiplexer.ConnectAsync(configuration);
        var options = new RedisRoutingOptions { KeyPrefix = prefix };
        using var store = new RedisBudgetStore(connection, options);
        using var ledger = new RedisCostLedger(connection, options);
        var (calls, elapsed, latencies) = await LoopAsync(store, ledger, seconds);
        if (!await ledger.FlushAsync()) return 2;
        await File.WriteAllLinesAsync(file, new[] { calls.ToString(CultureInfo.InvariantCulture), elapsed.ToString("R", CultureInfo.InvariantCulture) }
            .Concat(latencies.Select(l => l.ToString("R", CultureInfo.InvariantCulture))));
        return 0;
    }

    private static async Task WaitForAsync(string redis)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = await ConnectionMultiplexer.ConnectAsync(redis);
                await probe.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException($"redis-server at {redis} did not answer");
    }

    private static Dictionary<string, string> Parse(string[] args)
    {
        var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2) parsed[args[i].TrimStart('-')] = args[i + 1];
        return parsed;
    }
}
