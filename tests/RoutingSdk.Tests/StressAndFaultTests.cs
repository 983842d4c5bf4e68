using System.Diagnostics;
using static RoutingSdk.Tests.Routing;

namespace RoutingSdk.Tests;

/// <summary>
/// Tests that measure the whole process (its CPU time, the ledger's per-thread tables) run one at a time, so that what they
/// measure is theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideCollection
{
    public const string Name = "Measures of the whole process";
}

/// <summary>A million concurrent calls book exactly what they cost; injected faults never yield a silently wrong answer.</summary>
[Collection(ProcessWideCollection.Name)]
public class StressAndFaultTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly IAnswerParser<Category> Enum = AnswerParsers.Enum<Category>();

    private static long Input(long n, int modulus, int @base) => @base + n % modulus;

    [Fact]
    public async Task A_million_concurrent_calls_book_exactly_the_sum_of_their_costs()
    {
        const int Calls = 1_000_000;
        long smallCounter = 0, midCounter = 0;
        // Every small answer has its own token counts; every fifth is unsure and escalates to mid, with its own counts.
        var small = new FakeChatClient((_, _, _) =>
        {
            var n = Interlocked.Increment(ref smallCounter);
            return Task.FromResult(FakeChatClient.Response("Billing", n % 5 == 0 ? 0.1 : 0.99, FakeChatClient.Usage(Input(n, 7, 100), Input(n, 3, 5))));
        });
        var mid = new FakeChatClient((_, _, _) =>
        {
            var n = Interlocked.Increment(ref midCounter);
            return Task.FromResult(FakeChatClient.Response("Technical", usage: FakeChatClient.Usage(Input(n, 11, 200), 7)));
        });
        var ledger = new CostLedger();
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = small, ["mid"] = mid }, ledger);
        var plan = NamedPlan("Stress.Million");
        var technical = 0L;
        // The bound is on the CPU time the calls used, not on wall-clock time, which depends on what else the machine runs:
        // on two cores the same work took 1 s alone and 4-8 s beside two busy loops and the other test assemblies.
        var cpu = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();

        var workers = Enumerable.Range(0, Environment.ProcessorCount).Select(w => Task.Run(async () =>
        {
            var mine = 0L;
            for (var i = w; i < Calls; i += Environment.ProcessorCount)
            {
                if (await router.RouteAsync(plan, "p", null, Enum) == Category.Technical) mine++;
            }

            Interlocked.Add(ref technical, mine);
        })).ToArray();
        await Task.WhenAll(workers);
        clock.Stop();
        cpu = Environment.CpuUsage.TotalTime - cpu;

        // The expected totals, from the same formulas.
        long smallIn = 0, smallOut = 0, midIn = 0;
        for (long n = 1; n <= Calls; n++)
        {
            smallIn += Input(n, 7, 100);
            smallOut += Input(n, 3, 5);
        }

        for (long n = 1; n <= Calls / 5; n++) midIn += Input(n, 11, 200);
        var smallTier = TierCatalog.BuiltIn.Find("small")!;
        var midTier = TierCatalog.BuiltIn.Find("mid")!;
        var snapshot = ledger.Snapshot();

        Assert.Equal(Calls / 5, technical);
        var smallEntry = snapshot.Entries.Single(e => e.Tier == "small");
        var midEntry = snapshot.Entries.Single(e => e.Tier == "mid");
        Assert.Equal((Calls, Calls / 5, smallIn, smallOut), (smallEntry.Calls, smallEntry.Escalations, smallEntry.InputTokens, smallEntry.OutputTokens));
        Assert.Equal((Calls / 5, midIn, 7L * Calls / 5), (midEntry.Calls, midEntry.InputTokens, midEntry.OutputTokens));
        Assert.Equal(smallTier.Cost(smallIn, smallOut) + midTier.Cost(midIn, 7L * Calls / 5), snapshot.TotalUsd);
        output.WriteLine($"{Calls:N0} calls on {Environment.ProcessorCount} cores in {clock.Elapsed.TotalSeconds:0.00} s ({cpu.TotalSeconds:0.00} s of CPU); booked ${snapshot.TotalUsd}");
        Assert.True(cpu < TimeSpan.FromSeconds(20), $"took {cpu} of CPU ({clock.Elapsed} elapsed)");
    }

    private enum Fault
    {
        None,
        Throws,
        TimesOut,
        Malformed,
        Empty,
        NoUsage,
        Unsure,
    }

    /// <summary>A tier that answers the right category, or fails in one of the ways a real provider does.</summary>
    private sealed class FaultyTier(string name, int seed, double faultRate) : IChatClient
    {
        public int Answered;
        public int Faults;

        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var prompt = messages.Last().Text;
            var right = (Category)(StableHash.Of(prompt) % 3);
            var draw = new Random(StableHash.Of(prompt + name) ^ seed);
            var fault = draw.NextDouble() < faultRate ? (Fault)(1 + draw.Next(6)) : Fault.None;
            if (fault != Fault.None) Interlocked.Increment(ref Faults);
            if (draw.Next(2) == 0) await Task.Yield();
            switch (fault)
            {
                case Fault.Throws:
                    throw new InvalidOperationException($"{name}: 500 internal error");
                case Fault.TimesOut:
                    using (var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(2)))
                    {
                        await Task.Delay(Timeout.Infinite, timeout.Token);   // the tier's own timeout, not the caller's
                    }

                    break;
            }

            Interlocked.Increment(ref Answered);
            return fault switch
            {
                Fault.Malformed => FakeChatClient.Response("{\"category\": ", usage: FakeChatClient.Usage(50, 5)),
                Fault.Empty => FakeChatClient.Response("   ", usage: FakeChatClient.Usage(50, 0)),
                Fault.NoUsage => FakeChatClient.Response(right.ToString(), confidence: 0.99),
                Fault.Unsure => FakeChatClient.Response(((Category)(((int)right + 1) % 3)).ToString(), confidence: 0.2, usage: FakeChatClient.Usage(50, 2)),
                _ => FakeChatClient.Response(right.ToString(), confidence: 0.99, usage: FakeChatClient.Usage(50, 2)),
            };
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private static class StableHash
    {
        public static int Of(string text)
        {
            unchecked
            {
                var hash = 17;
                foreach (var c in text) hash = hash * 31 + c;
                return hash & int.MaxValue;
            }
        }
    }

    [Fact]
    public async Task Injected_faults_end_in_a_right_answer_or_a_clear_exception_and_every_answer_is_booked()
    {
        const int Calls = 3000;
        var tiers = new[] { new FaultyTier("small", 1, 0.4), new FaultyTier("mid", 2, 0.3), new FaultyTier("frontier", 3, 0.2) };
        var ledger = new CostLedger();
        // The last tier's unsure answer would be accepted by default (the best the chain can do); here it must be confident too.
        var options = new RoutingOptions { LastTierMinimumScore = 0.5 };
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = tiers[0], ["mid"] = tiers[1], ["frontier"] = tiers[2] }, ledger, options);
        var plan = NamedPlan("Faults");
        int right = 0, wrong = 0, failed = 0;

        await Parallel.ForEachAsync(Enumerable.Range(0, Calls), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            var prompt = "ticket " + i;
            var expected = (Category)(StableHash.Of(prompt) % 3);
            try
            {
                var answer = await router.RouteAsync(plan, prompt, null, Enum);
                Interlocked.Increment(ref answer == expected ? ref right : ref wrong);
            }
            catch (RoutingFailedException ex)
            {
                // A clear exception: one reason per tier, in chain order.
                Assert.Equal(new[] { "small", "mid", "frontier" }, ex.Failures.Select(f => f.Tier));
                Assert.All(ex.Failures, f => Assert.False(string.IsNullOrWhiteSpace(f.Reason)));
                Interlocked.Increment(ref failed);
            }
        });

        output.WriteLine($"right {right}, failed with RoutingFailedException {failed}, wrong {wrong}; faults injected: {string.Join(", ", tiers.Select((t, i) => $"{i}:{t.Faults}"))}");
        Assert.Equal(0, wrong);
        Assert.Equal(Calls, right + failed);
        Assert.True(failed > 0 && right > Calls * 0.9, $"right {right}, failed {failed}");
        Assert.True(tiers.All(t => t.Faults > 0));
        var snapshot = ledger.Snapshot();
        Assert.Equal(tiers.Sum(t => t.Answered), snapshot.Entries.Sum(e => e.Calls));   // every answered tier call is booked
        Assert.True(snapshot.Entries.Sum(e => e.EstimatedCalls) > 0);                    // answers without usage are booked on estimates
    }

    [Fact]
    public async Task By_default_the_last_tier_answer_is_accepted_whatever_its_score_and_a_minimum_refuses_it()
    {
        var clients = new Dictionary<string, IChatClient> { ["small"] = FakeChatClient.Answering("Billing", 0.2), ["mid"] = FakeChatClient.Answering("Technical", 0.3) };
        var plan = NamedPlan("Faults.Last", chain: ["small", "mid"]);

        Assert.Equal(Category.Technical, await Router(clients).RouteAsync(plan, "p", null, Enum));
        var ex = await Assert.ThrowsAsync<RoutingFailedException>(() => Router(clients, options: new RoutingOptions { LastTierMinimumScore = 0.5 }).RouteAsync(plan, "p", null, Enum));
        Assert.Contains("'mid': the answer's confidence 0.3 is below the acceptance threshold 0.5", ex.Message);
    }

    [Fact]
    public async Task Injected_faults_do_not_break_a_budget_beyond_the_calls_in_flight()
    {
        const int InFlight = 16;
        var tiers = new[] { new FaultyTier("small", 4, 0.4), new FaultyTier("mid", 5, 0.3), new FaultyTier("frontier", 6, 0.2) };
        var options = new RoutingOptions();
        options.Budgets.Add(new RoutingBudget("run", 0.05m));
        var ledger = new CostLedger();
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = tiers[0], ["mid"] = tiers[1], ["frontier"] = tiers[2] }, ledger, options);
        var refused = 0;

        await Parallel.ForEachAsync(Enumerable.Range(0, 3000), new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (i, _) =>
        {
            try { await router.RouteAsync(NamedPlan("Faults.Budget"), "ticket " + i, null, Enum); }
            catch (RoutingFailedException) { }
            catch (BudgetExceededException) { Interlocked.Increment(ref refused); }
        });

        // The most one call can cost beyond its reservation: a frontier answer without usage, estimated (the prompt is tiny).
        var worstOvershoot = TierCatalog.BuiltIn.Find("frontier")!.Cost(50, 5);
        output.WriteLine($"refused {refused}, spent {ledger.Snapshot().TotalUsd} of 0.05, bound {0.05m + InFlight * worstOvershoot}");
        Assert.True(refused > 0);
        Assert.True(ledger.Snapshot().TotalUsd <= 0.05m + InFlight * worstOvershoot, $"spent {ledger.Snapshot().TotalUsd}");
    }
}
