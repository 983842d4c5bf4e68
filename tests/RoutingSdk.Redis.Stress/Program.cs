using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using RoutingSdk;
using RoutingSdk.Planning;
using RoutingSdk.Redis;
using RoutingSdk.Redis.Stress;

// One replica: --redis <configuration> --prefix <key prefix> --process <n> --callers <c> --seconds <s> --budget <usd> --lease-ms <ms>.
// Routes its own task ("Stress.P<n>") from <c> concurrent callers for <s> seconds over simulated tiers with faults and 429s,
// under one budget shared (through Redis) with every other replica; then writes what it still holds and prints one JSON line.
var options = Arguments.Parse(args);
var process = int.Parse(options["process"], CultureInfo.InvariantCulture);
var catalog = TierCatalog.BuiltIn;
var tiers = new[] { "small", "mid", "frontier" }
    .Select((name, i) => new SimulatedTier(catalog.Find(name)!, faultRate: 0.03, rateLimitRate: 0.005, seed: process * 10 + i))
    .ToArray();

var services = new ServiceCollection();
foreach (var tier in tiers) services.AddKeyedSingleton<IChatClient>(tier.Spec.Name, tier);
services.AddRoutingSdkRedis(options["redis"], o =>
{
    o.KeyPrefix = options["prefix"];
    o.LeaseDuration = TimeSpan.FromMilliseconds(double.Parse(options["lease-ms"], CultureInfo.InvariantCulture));
    o.LedgerFlushInterval = TimeSpan.FromMilliseconds(100);
    o.RetryInterval = TimeSpan.FromMilliseconds(200);
});
services.AddRoutingSdk(o => o.RateLimitCooldown = TimeSpan.FromMilliseconds(200));
services.AddRoutingBudget(new RoutingBudget("stress", decimal.Parse(options["budget"], CultureInfo.InvariantCulture)));
using var provider = services.BuildServiceProvider();
var router = provider.GetRequiredService<TaskRouter>();
var plan = new RoutePlan($"Stress.P{process}", TaskKind.Classification, Complexity.Low, catalog, new[] { "small", "mid", "frontier" }, 0.5, 0.97, 0.1m, 6.75m);

long calls = 0, answered = 0, refused = 0, unavailable = 0, failed = 0;
var stop = Stopwatch.StartNew();
var duration = TimeSpan.FromSeconds(double.Parse(options["seconds"], CultureInfo.InvariantCulture));
Console.WriteLine($"started {process}");
await Task.WhenAll(Enumerable.Range(0, int.Parse(options["callers"], CultureInfo.InvariantCulture)).Select(async _ =>
{
    while (stop.Elapsed < duration)
    {
        Interlocked.Increment(ref calls);
        try
        {
            await router.RouteAsync(plan, new string('x', 2000), null, AnswerParsers.Text);
            Interlocked.Increment(ref answered);
        }
        catch (BudgetExceededException)
        {
            Interlocked.Increment(ref refused);
            await Task.Delay(20);
        }
        catch (BudgetUnavailableException)
        {
            Interlocked.Increment(ref unavailable);   // Redis down: fail closed
            await Task.Delay(20);
        }
        catch (RoutingFailedException)
        {
            Interlocked.Increment(ref failed);   // every tier of the chain failed or was cooling down
            await Task.Delay(20);
        }
    }
}));

// Write what this replica still holds (settles and ledger increments that waited for Redis), then report.
var store = provider.GetRequiredService<RedisBudgetStore>();
var ledger = provider.GetRequiredService<RedisCostLedger>();
var deadline = Stopwatch.StartNew();
while ((store.PendingCount > 0 || !await ledger.FlushAsync()) && deadline.Elapsed < TimeSpan.FromSeconds(60))
{
    await store.FlushAsync();
    await Task.Delay(100);
}

var report = new Dictionary<string, object>
{
    ["process"] = process,
    ["calls"] = calls,
    ["answered"] = answered,
    ["refused"] = refused,
    ["unavailable"] = unavailable,
    ["failed"] = failed,
    ["pendingSettles"] = store.PendingCount,
    ["unwrittenCalls"] = ledger.UnwrittenCalls,
    ["tierUsd"] = tiers.Sum(t => t.Reported.Usd).ToString(CultureInfo.InvariantCulture),
    ["tiers"] = tiers.ToDictionary(t => t.Spec.Name, t => new { usd = t.Reported.Usd.ToString(CultureInfo.InvariantCulture), answered = t.Reported.Answered }),
};
Console.WriteLine("report " + JsonSerializer.Serialize(report));
return 0;

internal static class Arguments
{
    public static Dictionary<string, string> Parse(string[] args)
    {
        var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2) parsed[args[i].TrimStart('-')] = args[i + 1];
        return parsed;
    }
}
