using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RoutingSdk.Planning;
using Xunit.Abstractions;

namespace RoutingSdk.Redis.Tests;

/// <summary>
/// The multi-process proof: 4 replicas (RoutingSdk.Redis.Stress, separate processes) × 8 concurrent callers against one
/// redis-server, one shared budget, simulated tiers with faults and 429s. One replica is killed mid-run, Redis is restarted
/// mid-run. Then: every surviving replica's bookings in the shared ledger equal, per tier, what its tiers reported, exactly;
/// the budget's spending exceeds its limit by no more than the calls in flight; the killed replica's leases have returned;
/// no surviving replica crashed.
/// </summary>
public sealed class MultiProcessTests(ITestOutputHelper output)
{
    private const int Processes = 4, Callers = 8;

    [LongRedisFact]
    public Task Four_replicas_share_one_budget_and_one_exact_ledger_through_a_kill_and_a_Redis_restart()
        => Run(seconds: 8, killAt: 2.5, restartAt: 4, budget: 5m);

    [LongRedisFact]
    public Task Four_replicas_over_a_longer_run()
        => Run(seconds: 40, killAt: 10, restartAt: 20, budget: 60m);

    private async Task Run(double seconds, double killAt, double restartAt, decimal budget)
    {
        using var server = RedisServer.StartNew(durable: true);
        var prefix = Plans.Unique("stress");
        var leaseMs = 2000;
        var replicas = Enumerable.Range(0, Processes).Select(n => Replica.Start(server, prefix, n, seconds, budget, leaseMs)).ToArray();
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(killAt));
        var killed = replicas[Processes - 1];
        killed.Kill();
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: killed replica {killed.Number} (pid {killed.Pid})");
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, restartAt - clock.Elapsed.TotalSeconds)));
        server.Stop();
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: stopped redis-server");
        await Task.Delay(TimeSpan.FromSeconds(1));
        server.Start();
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: restarted redis-server (pid {server.ProcessId})");

        var reports = new List<JsonElement>();
        foreach (var replica in replicas.Take(Processes - 1))
        {
            var (exit, report, log) = await replica.WaitAsync(TimeSpan.FromSeconds(seconds + 120));
            Assert.True(exit == 0, $"replica {replica.Number} exited with {exit}:\n{log}");
            reports.Add(report ?? throw new InvalidOperationException($"replica {replica.Number} printed no report:\n{log}"));
        }

        await Task.Delay(TimeSpan.FromMilliseconds(leaseMs + 500));   // the killed replica's leases expire
        using var connection = server.Connect();
        using var ledger = new RedisCostLedger(connection, new RedisRoutingOptions { KeyPrefix = prefix });
        using var store = new RedisBudgetStore(connection, new RedisRoutingOptions { KeyPrefix = prefix });
        var snapshot = ledger.Snapshot();
        var usage = await store.ReadAsync(new RoutingBudget("stress", budget), "");

        var maxCall = TierCatalog.BuiltIn.Find("frontier")!.Cost(4_000, 60);   // the simulated tiers' dearest call
        long calls = 0, answered = 0, refused = 0, unavailable = 0, failed = 0;
        var survivorsUsd = 0m;
        foreach (var report in reports)
        {
            var n = report.GetProperty("process").GetInt32();
            calls += report.GetProperty("calls").GetInt64();
            answered += report.GetProperty("answered").GetInt64();
            refused += report.GetProperty("refused").GetInt64();
            unavailable += report.GetProperty("unavailable").GetInt64();
            failed += report.GetProperty("failed").GetInt64();
            Assert.Equal(0, report.GetProperty("pendingSettles").GetInt32());
            Assert.Equal(0, report.GetProperty("unwrittenCalls").GetInt64());
            var tierUsd = decimal.Parse(report.GetProperty("tierUsd").GetString()!, CultureInfo.InvariantCulture);
            survivorsUsd += tierUsd;
            foreach (var tier in report.GetProperty("tiers").EnumerateObject())
            {
                var reported = decimal.Parse(tier.Value.GetProperty("usd").GetString()!, CultureInfo.InvariantCulture);
                var entry = snapshot.Entries.SingleOrDefault(e => e.TaskName == $"Stress.P{n}" && e.Tier == tier.Name);
                Assert.Equal(reported, entry?.Usd ?? 0m);
                Assert.Equal(tier.Value.GetProperty("answered").GetInt64(), entry?.Calls ?? 0);
            }

            output.WriteLine($"replica {n}: {report}");
        }

        var killedInLedger = snapshot.Entries.Where(e => e.TaskName == $"Stress.P{killed.Number}").Sum(e => e.Usd);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Processes} replicas x {Callers} callers, {seconds} s: {calls} calls by the survivors, {answered} answered, {refused} refused by the budget, {unavailable} refused while Redis was down, {failed} failed on every tier"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ledger: survivors ${snapshot.Entries.Where(e => e.TaskName != $"Stress.P{killed.Number}").Sum(e => e.Usd)} = their tiers' ${survivorsUsd}; killed replica ${killedInLedger} written before it died"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"budget: limit ${budget}, spent ${usage.SpentUsd} (over the limit by ${Math.Max(0, usage.SpentUsd - budget)}, bound {Processes * Callers} calls in flight x ${maxCall} = ${Processes * Callers * maxCall}), reserved after the leases expired ${usage.ReservedUsd}"));

        Assert.Equal(0m, usage.ReservedUsd);
        Assert.True(usage.SpentUsd >= survivorsUsd, "every surviving replica's answered call is settled in the budget");
        Assert.True(usage.SpentUsd <= budget + Processes * Callers * maxCall, "spending exceeds the budget by no more than the calls in flight");
        Assert.True(refused > 0, "the budget ran out during the run");
    }

    /// <summary>One replica process, stopped (when killed) by its process id.</summary>
    private sealed class Replica
    {
        private readonly Process _process;
        private readonly System.Text.StringBuilder _log = new();
        private JsonElement? _report;

        private Replica(int number, Process process)
        {
            Number = number;
            _process = process;
        }

        public int Number { get; }

        public int Pid => _process.Id;

        public static Replica Start(RedisServer server, string prefix, int number, double seconds, decimal budget, int leaseMs)
        {
            var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add(StressAssembly());
            foreach (var (key, value) in new[]
            {
                ("--redis", server.Configuration), ("--prefix", prefix), ("--process", number.ToString(CultureInfo.InvariantCulture)),
                ("--callers", Callers.ToString(CultureInfo.InvariantCulture)), ("--seconds", seconds.ToString(CultureInfo.InvariantCulture)),
                ("--budget", budget.ToString(CultureInfo.InvariantCulture)), ("--lease-ms", leaseMs.ToString(CultureInfo.InvariantCulture)),
            })
            {
                info.ArgumentList.Add(key);
                info.ArgumentList.Add(value);
            }

            var replica = new Replica(number, Process.Start(info)!);
            replica._process.OutputDataReceived += (_, e) => replica.OnLine(e.Data);
            replica._process.ErrorDataReceived += (_, e) => replica.OnLine(e.Data);
            replica._process.BeginOutputReadLine();
            replica._process.BeginErrorReadLine();
            return replica;
        }

        public void Kill() => _process.Kill();

        public async Task<(int Exit, JsonElement? Report, string Log)> WaitAsync(TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource(timeout);
            await _process.WaitForExitAsync(cancel.Token);
            _process.WaitForExit();   // the output is read to its end
            lock (_log) return (_process.ExitCode, _report, _log.ToString());
        }

        private void OnLine(string? line)
        {
            if (line is null) return;
            lock (_log)
            {
                _log.AppendLine(line);
                if (line.StartsWith("report ", StringComparison.Ordinal)) _report = JsonDocument.Parse(line.Substring(7)).RootElement.Clone();
            }
        }

        /// <summary>The stress replica built next to the tests (tests/RoutingSdk.Redis.Stress/bin/&lt;configuration&gt;/&lt;framework&gt;/).</summary>
        private static string StressAssembly()
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));   // .../RoutingSdk.Redis.Tests/bin/Debug/net10.0
            var framework = here.Name;
            var configuration = here.Parent!.Name;
            var tests = here.Parent.Parent!.Parent!.Parent!.FullName;
            var path = Path.Combine(tests, "RoutingSdk.Redis.Stress", "bin", configuration, framework, "RoutingSdk.Redis.Stress.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build tests/RoutingSdk.Redis.Stress first (the test project builds it).", path);
        }
    }
}

/// <summary>
/// A Redis run of several processes (seconds to a minute of both cores, too long for the README's test command): with
/// ROUTINGSDK_LONG_TESTS=1 (.ci/run sets it) and a redis-server.
/// </summary>
public sealed class LongRedisFactAttribute : FactAttribute
{
    public LongRedisFactAttribute()
    {
        if (new RedisFactAttribute().Skip is { } missing) Skip = missing;
        else if (Environment.GetEnvironmentVariable("ROUTINGSDK_LONG_TESTS") != "1") Skip = "a run of several replica processes: set ROUTINGSDK_LONG_TESTS=1 to run it (.ci/run does)";
    }
}
