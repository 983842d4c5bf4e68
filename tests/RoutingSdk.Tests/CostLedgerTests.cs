using static RoutingSdk.Tests.Routing;

namespace RoutingSdk.Tests;

public class CostLedgerTests
{
    private static readonly IAnswerParser<Category> Enum = AnswerParsers.Enum<Category>();
    private static readonly TierSpec Small = TierCatalog.BuiltIn.Find("small")!;
    private static readonly TierSpec Mid = TierCatalog.BuiltIn.Find("mid")!;
    private static readonly TierSpec Frontier = TierCatalog.BuiltIn.Find("frontier")!;

    [Fact]
    public async Task Usd_equals_tokens_times_prices_exactly_across_tiers()
    {
        var router = Router(new Dictionary<string, IChatClient>
        {
            ["small"] = FakeChatClient.Answering("unsure", usage: FakeChatClient.Usage(1_234, 7)),
            ["mid"] = FakeChatClient.Answering("Billing", confidence: 0.5, usage: FakeChatClient.Usage(1_301, 3)),
            ["frontier"] = FakeChatClient.Answering("Technical", usage: FakeChatClient.Usage(999, 11)),
        });

        await router.RouteAsync(Plan(), "p", null, Enum);
        var snapshot = router.Ledger.Snapshot();

        // small: 1,234 x $0.25 + 7 x $1.25; mid: 1,301 x $3 + 3 x $15; frontier: 999 x $15 + 11 x $75 (per million).
        var small = (1_234m * 0.25m + 7m * 1.25m) / 1_000_000m;
        var mid = (1_301m * 3m + 3m * 15m) / 1_000_000m;
        var frontier = (999m * 15m + 11m * 75m) / 1_000_000m;
        Assert.Equal(new[] { small, mid, frontier }, snapshot.Entries.Select(e => e.Usd));
        Assert.Equal(small + mid + frontier, snapshot.TotalUsd);
        Assert.Equal(0.02007525m, snapshot.TotalUsd);
        // Only the accepted answer is priced on the reference tier: it was answered there.
        Assert.Equal(frontier, snapshot.AllFrontierUsd);
    }

    [Fact]
    public void Shadow_calls_and_calibration_samples_are_background_spend_and_the_samples_are_kept_apart_within_it()
    {
        var ledger = new CostLedger();
        var records = new[]
        {
            new CostRecord("T", Small, Frontier, 1_000, 10, 0, CallOutcome.Accepted),
            new CostRecord("T", Frontier, Frontier, 1_000, 10, 0, CallOutcome.Shadow),
            new CostRecord("T", Small, Frontier, 1_000, 10, 0, CallOutcome.CalibrationSample),
            new CostRecord("T", Frontier, Frontier, 300_000, 10, 0, CallOutcome.CalibrationSample),
        };
        foreach (var record in records) ledger.Record(record);

        var snapshot = ledger.Snapshot();
        Assert.Equal(records.Sum(r => r.Usd), snapshot.TotalUsd);
        Assert.Equal(records[1].Usd + records[2].Usd + records[3].Usd, snapshot.ShadowUsd);
        Assert.Equal(records[2].Usd + records[3].Usd, snapshot.SampleUsd);
        var frontier = Assert.Single(snapshot.Entries, e => e.Tier == "frontier");
        Assert.Equal((2, 1), (frontier.ShadowCalls, frontier.SampleCalls));
        Assert.Equal(records[3].Usd, frontier.SampleUsd);
        // Only the accepted answer is priced on the reference tier.
        Assert.Equal(Frontier.Cost(1_000, 10), snapshot.AllFrontierUsd);
    }

    [Fact]
    public async Task Escalated_calls_are_booked_and_counted_as_escalations()
    {
        var router = Router(new Dictionary<string, IChatClient>
        {
            ["small"] = FakeChatClient.Answering("Billing", confidence: 0.2, usage: FakeChatClient.Usage(100, 1)),
            ["mid"] = FakeChatClient.Answering("Billing", usage: FakeChatClient.Usage(100, 1)),
        });

        for (var i = 0; i < 3; i++) await router.RouteAsync(Plan(), "p", null, Enum);
        var entries = router.Ledger.Snapshot().Entries;

        Assert.Collection(entries,
            e => { Assert.Equal(("small", 3L, 3L), (e.Tier, e.Calls, e.Escalations)); Assert.Equal(300, e.InputTokens); },
            e => { Assert.Equal(("mid", 3L, 0L), (e.Tier, e.Calls, e.Escalations)); });
        Assert.All(entries, e => Assert.Equal(TaskName, e.TaskName));
    }

    [Fact]
    public async Task Reasoning_tokens_are_priced_at_the_reasoning_price()
    {
        var thinker = new TierSpec("thinker", 0, 10m, 40m, reasoningCostPerMillion: 100m, extendedThinking: true);
        var catalog = new TierCatalog(new[] { thinker, new TierSpec("reference", 1, 20m, 80m) });
        // Providers count thinking inside the output tokens: 1,000 output of which 800 are reasoning.
        var router = Router(new Dictionary<string, IChatClient> { ["thinker"] = FakeChatClient.Answering("Billing", usage: FakeChatClient.Usage(500, 1_000, 800)) });

        await router.RouteAsync(Plan(catalog: catalog, chain: "thinker"), "p", null, Enum);
        var entry = Assert.Single(router.Ledger.Snapshot().Entries);

        Assert.Equal((500L, 200L, 800L), (entry.InputTokens, entry.OutputTokens, entry.ReasoningTokens));
        Assert.Equal((500m * 10m + 200m * 40m + 800m * 100m) / 1_000_000m, entry.Usd);
    }

    [Fact]
    public async Task Reasoning_tokens_of_a_tier_without_a_reasoning_price_are_billed_as_output()
    {
        var thinker = new TierSpec("thinker", 0, 1.1m, 4.4m, extendedThinking: true);
        var catalog = new TierCatalog(new[] { thinker, new TierSpec("reference", 1, 20m, 80m) });
        var router = Router(new Dictionary<string, IChatClient> { ["thinker"] = FakeChatClient.Answering("Billing", usage: FakeChatClient.Usage(500, 1_000, 800)) });

        await router.RouteAsync(Plan(catalog: catalog, chain: "thinker"), "p", null, Enum);

        Assert.Equal((500m * 1.1m + 1_000m * 4.4m) / 1_000_000m, Assert.Single(router.Ledger.Snapshot().Entries).Usd);
    }

    [Fact]
    public async Task Missing_usage_is_estimated_from_the_text_and_flagged()
    {
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = FakeChatClient.Answering("Billing") });

        // 16 + 22 characters of prompt and instructions, 7 of answer: four characters a token, rounded up.
        await router.RouteAsync(Plan(), "Classify: refund", "Answer with one label.", Enum);
        var entry = Assert.Single(router.Ledger.Snapshot().Entries);

        Assert.Equal((10L, 2L, 1L), (entry.InputTokens, entry.OutputTokens, entry.EstimatedCalls));
        Assert.Equal(Small.Cost(10, 2), entry.Usd);
    }

    [Fact]
    public async Task Reported_usage_is_not_flagged_as_estimated()
    {
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = FakeChatClient.Answering("Billing", usage: FakeChatClient.Usage(5, 1)) });

        await router.RouteAsync(Plan(), "p", null, Enum);

        Assert.Equal(0, Assert.Single(router.Ledger.Snapshot().Entries).EstimatedCalls);
    }

    [Fact]
    public async Task Failed_tier_calls_are_not_booked()
    {
        var router = Router(new Dictionary<string, IChatClient>
        {
            ["small"] = FakeChatClient.Throwing(() => new InvalidOperationException("down")),
            ["mid"] = FakeChatClient.Answering("Billing", usage: FakeChatClient.Usage(5, 1)),
        });

        await router.RouteAsync(Plan(), "p", null, Enum);

        Assert.Equal("mid", Assert.Single(router.Ledger.Snapshot().Entries).Tier);
    }

    [Fact]
    public void Totals_are_exact_under_concurrency()
    {
        var ledger = new CostLedger();
        string[] tasks = ["A.One", "A.Two", "B.Three", "B.Four"];
        TierSpec[] tiers = [Small, Mid, Frontier];
        const int Calls = 200_000;

        static (long In, long Out, CallOutcome Outcome) Shape(int i) => (100 + i % 997, 1 + i % 31, i % 5 == 0 ? CallOutcome.Escalated : CallOutcome.Accepted);

        Parallel.For(0, Calls, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var (input, output, outcome) = Shape(i);
            ledger.Record(new CostRecord(tasks[i % tasks.Length], tiers[i % tiers.Length], Frontier, input, output, 0, outcome));
        });

        decimal expectedUsd = 0;
        long expectedIn = 0, expectedOut = 0, expectedEscalations = 0;
        for (var i = 0; i < Calls; i++)
        {
            var (input, output, outcome) = Shape(i);
            expectedUsd += tiers[i % tiers.Length].Cost(input, output);
            expectedIn += input;
            expectedOut += output;
            if (outcome == CallOutcome.Escalated) expectedEscalations++;
        }

        var snapshot = ledger.Snapshot();
        Assert.Equal(tasks.Length * tiers.Length, snapshot.Entries.Count);
        Assert.Equal(Calls, snapshot.Entries.Sum(e => e.Calls));
        Assert.Equal(expectedIn, snapshot.Entries.Sum(e => e.InputTokens));
        Assert.Equal(expectedOut, snapshot.Entries.Sum(e => e.OutputTokens));
        Assert.Equal(expectedEscalations, snapshot.Entries.Sum(e => e.Escalations));
        Assert.Equal(expectedUsd, snapshot.TotalUsd);
    }

    [Fact]
    public void Entries_are_ordered_by_task_then_tier_rank()
    {
        var ledger = new CostLedger();
        ledger.Record(new CostRecord("B", Frontier, Frontier, 1, 1, 0, CallOutcome.Accepted));
        ledger.Record(new CostRecord("B", Small, Frontier, 1, 1, 0, CallOutcome.Accepted));
        ledger.Record(new CostRecord("A", Mid, Frontier, 1, 1, 0, CallOutcome.Accepted));

        Assert.Equal(new[] { ("A", "mid"), ("B", "small"), ("B", "frontier") }, ledger.Snapshot().Entries.Select(e => (e.TaskName, e.Tier)));
    }

    [Fact]
    public void Saved_usd_is_all_frontier_minus_spent()
    {
        var ledger = new CostLedger();
        ledger.Record(new CostRecord("A", Small, Frontier, 400, 10, 0, CallOutcome.Accepted));

        var snapshot = ledger.Snapshot();
        Assert.Equal(Frontier.Cost(400, 10) - Small.Cost(400, 10), snapshot.SavedUsd);
    }

    [Fact]
    public void One_tier_name_with_two_price_lists_is_refused()
    {
        var ledger = new CostLedger();
        ledger.Record(new CostRecord("A", Small, Frontier, 1, 1, 0, CallOutcome.Accepted));

        Assert.Throws<InvalidOperationException>(() => ledger.Record(new CostRecord("A", new TierSpec("small", 0, 9m, 9m), Frontier, 1, 1, 0, CallOutcome.Accepted)));
    }
}

/// <summary>Ledgers that are no longer referenced give their per-thread counter slots back.</summary>
[Collection(ProcessWideCollection.Name)]
public class CostLedgerSlotTests
{
    [Fact]
    public void Ledgers_created_and_dropped_by_the_thousand_keep_the_threads_table_small_and_never_share_counts()
    {
        var tier = TierCatalog.BuiltIn.Find("small")!;
        // This thread may have booked for other tests' ledgers before: its table only ever grows, so what counts is growth.
        Collect();
        var before = CostLedger.Entry.ThreadTableLength;
        for (var i = 0; i < 10_000; i++)
        {
            // A fresh ledger on a slot an earlier, collected one held: its counts start from nothing.
            var ledger = new CostLedger();
            ledger.Record(new CostRecord("Slots.Task", tier, tier, 10, 2, 0, CallOutcome.Accepted));
            var entry = Assert.Single(ledger.Snapshot().Entries);
            Assert.Equal((1L, 10L, 2L), (entry.Calls, entry.InputTokens, entry.OutputTokens));
            if (i % 100 == 99) Collect();
        }

        Collect();
        // Without the slots given back the table would grow by one slot per ledger made (10,000 here).
        Assert.InRange(CostLedger.Entry.ThreadTableLength, 1, Math.Max(before, 1024));

        static void Collect()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }
    }
}
