using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.IO;
using System.Net.Http;
using static RoutingSdk.Tests.Routing;

namespace RoutingSdk.Tests;

/// <summary>An invoice as a record result; its constructor refuses a negative amount.</summary>
public sealed record Invoice
{
    public Invoice(string Number, decimal Amount)
    {
        if (Amount < 0) throw new ArgumentOutOfRangeException(nameof(Amount), Amount, "An invoice amount cannot be negative.");
        this.Number = Number;
        this.Amount = Amount;
    }

    public string Number { get; }

    public decimal Amount { get; }
}

/// <summary>
/// Tiers that misbehave in every way a provider can: no response, answers the parser chokes on, impossible usage, tokens
/// ignored, late answers, exceptions that quote the prompt. Whatever they do, only a RoutingFailedException, a
/// BudgetExceededException or an OperationCanceledException reaches the caller; the ledger and every budget hold exactly
/// what was reported (never negative), and no reservation outlives its call.
/// </summary>
[Collection(ListenerCollection.Name)]
public class HostileTierTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly IAnswerParser<Invoice> InvoiceParser = AnswerParsers.Json<Invoice>();
    private static readonly IAnswerParser<Category> Enum = AnswerParsers.Enum<Category>();
    private const string GoodInvoice = "{\"Number\":\"A-1\",\"Amount\":5}";

    private static FakeChatClient Tier(string text, long input = 100, long output = 10) => FakeChatClient.Answering(text, usage: FakeChatClient.Usage(input, output));

    private static RoutingOptions WithBudget(decimal limit = 1m)
    {
        var options = new RoutingOptions();
        options.Budgets.Add(new RoutingBudget("run", limit));
        return options;
    }

    /// <summary>The ledger is never negative, every budget's spending equals the ledger's total and nothing stays reserved.</summary>
    private static void AssertBooksBalance(TaskRouter router, CostLedger ledger)
    {
        var snapshot = ledger.Snapshot();
        Assert.True(snapshot.TotalUsd >= 0m, $"ledger total {snapshot.TotalUsd}");
        foreach (var entry in snapshot.Entries)
        {
            Assert.True(entry.InputTokens >= 0 && entry.OutputTokens >= 0 && entry.ReasoningTokens >= 0 && entry.Usd >= 0m, $"{entry.Tier}: {entry.InputTokens}/{entry.OutputTokens}/{entry.Usd}");
        }

        foreach (var usage in router.Budgets.Usages())
        {
            var (spent, reserved) = usage;
            Assert.Equal(0m, reserved);
            Assert.Equal(snapshot.TotalUsd, spent);
        }
    }

    private static CostEntry Entry(CostLedger ledger, string tier) => Assert.Single(ledger.Snapshot().Entries, e => e.Tier == tier);

    [Theory]
    [InlineData("{\"Number\":\"A\\uD800\",\"Amount\":5}")]    // an escaped lone surrogate: the JSON reader cannot decode it
    [InlineData("{\"Number\":\"A-1\",\"Amount\":-5}")]        // the record's constructor throws
    public async Task An_answer_the_parser_cannot_read_escalates_is_booked_and_releases_its_reservation(string answer)
    {
        var ledger = new CostLedger();
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Tier(answer, 1, 1), ["mid"] = Tier(GoodInvoice, 1, 1) }, ledger, WithBudget(0.01m));

        // 100 such calls on a small budget: leaked reservations would add up and refuse the later ones.
        for (var i = 0; i < 100; i++)
        {
            var invoice = await router.RouteAsync(Plan(chain: ["small", "mid"]), "invoice", null, InvoiceParser);
            Assert.Equal("A-1", invoice.Number);
        }

        Assert.Equal(100, Entry(ledger, "small").Calls);
        Assert.Equal(100, Entry(ledger, "small").Escalations);
        AssertBooksBalance(router, ledger);
    }

    [Fact]
    public async Task A_parser_that_throws_on_every_tier_ends_in_RoutingFailedException_with_every_call_booked()
    {
        var ledger = new CostLedger();
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Tier("x"), ["mid"] = Tier("y") }, ledger, WithBudget());

        var ex = await Assert.ThrowsAsync<RoutingFailedException>(() => router.RouteAsync(Plan(chain: ["small", "mid"]), "p", null, new ThrowingParser()));

        Assert.Equal(2, ex.Failures.Count);
        Assert.Equal(1, Entry(ledger, "small").Calls);
        Assert.Equal(1, Entry(ledger, "mid").Calls);
        AssertBooksBalance(router, ledger);
    }

    [Fact]
    public async Task A_null_response_is_an_empty_answer_escalated_and_booked_as_estimated()
    {
        var ledger = new CostLedger();
        var nothing = new FakeChatClient((_, _, _) => Task.FromResult<ChatResponse>(null!));
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = nothing, ["mid"] = Tier("Billing") }, ledger, WithBudget());

        Assert.Equal(Category.Billing, await router.RouteAsync(Plan(chain: ["small", "mid"]), "classify this", null, Enum));

        var small = Entry(ledger, "small");
        Assert.Equal((1, 1, 1), (small.Calls, small.Escalations, small.EstimatedCalls));
        AssertBooksBalance(router, ledger);

        // Without a budget or a listener (the fast path), and with no tier left.
        var alone = Router(new Dictionary<string, IChatClient> { ["small"] = nothing }, ledger);
        await Assert.ThrowsAsync<RoutingFailedException>(() => alone.RouteAsync(Plan(chain: ["small"]), "p", null, Enum));
    }

    [Fact]
    public async Task Negative_usage_is_booked_as_an_estimate_never_below_zero_and_counted_as_invalid()
    {
        const string Task = "Hostile.NegativeUsage";
        long invalid = 0;
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RoutingTelemetry.Name && instrument.Name == RoutingTelemetry.UsageInvalid) listener.EnableMeasurementEvents(instrument);
        };
        meters.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == RoutingTelemetry.TaskTag && (string?)tag.Value == Task) Interlocked.Add(ref invalid, value);
            }
        });
        meters.Start();

        var ledger = new CostLedger();
        var hostile = FakeChatClient.Answering("Billing", usage: FakeChatClient.Usage(-1_000_000, -5));
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = hostile }, ledger, WithBudget());

        Assert.Equal(Category.Billing, await router.RouteAsync(NamedPlan(Task, chain: ["small"]), "classify this email", null, Enum));

        var entry = Entry(ledger, "small");
        Assert.True(entry.InputTokens > 0 && entry.OutputTokens > 0, $"{entry.InputTokens}/{entry.OutputTokens}");
        Assert.Equal(1, entry.EstimatedCalls);
        Assert.True(entry.Usd > 0m);
        Assert.Equal(1, Interlocked.Read(ref invalid));
        AssertBooksBalance(router, ledger);
    }

    [Fact]
    public async Task Negative_usage_without_listeners_on_the_fast_path_never_books_a_negative_cost()
    {
        var ledger = new CostLedger();
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = FakeChatClient.Answering("Billing", usage: FakeChatClient.Usage(-1_000_000, 10)) }, ledger);

        await router.RouteAsync(Plan(chain: ["small"]), "p", null, Enum);

        Assert.True(ledger.Snapshot().TotalUsd > 0m);
        Assert.True(Entry(ledger, "small").InputTokens > 0);
    }

    [Fact]
    public async Task Overflowing_usage_is_clamped_and_two_calls_do_not_wrap()
    {
        var ledger = new CostLedger();
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = FakeChatClient.Answering("Billing", usage: FakeChatClient.Usage(long.MaxValue, long.MaxValue)) }, ledger,
            WithBudget(1_000_000m));

        await router.RouteAsync(Plan(chain: ["small"]), "p", null, Enum);
        await router.RouteAsync(Plan(chain: ["small"]), "p", null, Enum);

        var entry = Entry(ledger, "small");
        Assert.Equal(2 * CallRecorder.MaxTokensPerCall, entry.InputTokens);
        Assert.Equal(2 * CallRecorder.MaxTokensPerCall, entry.OutputTokens);
        Assert.Equal(TierCatalog.BuiltIn.Find("small")!.Cost(2 * CallRecorder.MaxTokensPerCall, 2 * CallRecorder.MaxTokensPerCall), entry.Usd);
        AssertBooksBalance(router, ledger);
    }

    [Fact]
    public void The_ledger_sums_saturate_instead_of_wrapping()
    {
        var ledger = new CostLedger();
        var small = TierCatalog.BuiltIn.Find("small")!;
        ledger.Record(new CostRecord("Hostile.Direct", small, small, long.MaxValue, 1, 0, CallOutcome.Accepted, false));
        ledger.Record(new CostRecord("Hostile.Direct", small, small, long.MaxValue, -7, 0, CallOutcome.Accepted, false));

        var entry = Entry(ledger, "small");
        Assert.Equal(long.MaxValue, entry.InputTokens);
        Assert.Equal(1, entry.OutputTokens);
    }

    [Fact]
    public async Task A_negative_count_does_not_refill_a_budget()
    {
        var ledger = new CostLedger();
        var calls = 0;
        var tier = new FakeChatClient((_, _, _) => Task.FromResult(FakeChatClient.Response("Billing",
            usage: Interlocked.Increment(ref calls) == 3 ? FakeChatClient.Usage(-4_000_000, 0) : FakeChatClient.Usage(1000, 100))));
        var small = TierCatalog.BuiltIn.Find("small")!;
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = tier }, ledger, WithBudget(10 * small.Cost(1000, 100) + 0.0001m));

        decimal before = 0m;
        var answered = 0;
        for (var i = 0; i < 20; i++)
        {
            try
            {
                await router.RouteAsync(Plan(chain: ["small"]), "p", null, Enum);
                answered++;
            }
            catch (BudgetExceededException)
            {
            }

            var spent = router.Budgets.Usages()[0].Spent;
            Assert.True(spent >= before, $"the budget went from {before} to {spent}");
            before = spent;
        }

        // Ten calls, the one that reported a negative count (booked on its estimate, a fraction of a cent), and at most one
        // more whose cost went beyond its reservation.
        Assert.True(answered <= 12, $"{answered} calls answered on a 10-call budget");
        AssertBooksBalance(router, ledger);
    }

    [Fact]
    public async Task A_tier_that_never_completes_ends_at_the_callers_cancellation()
    {
        var ledger = new CostLedger();
        var never = new FakeChatClient((_, _, _) => new TaskCompletionSource<ChatResponse>().Task);   // ignores the token
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = never, ["mid"] = Tier("Billing") }, ledger, WithBudget());
        using var cts = new CancellationTokenSource();

        var call = router.RouteAsync(Plan(chain: ["small", "mid"]), "p", null, Enum, cts.Token);
        await Task.Delay(50);
        var clock = Stopwatch.StartNew();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(5)));   // a hang fails, not hangs
        clock.Stop();

        output.WriteLine($"ended {clock.Elapsed.TotalMilliseconds:0.0} ms after the caller cancelled");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"{clock.Elapsed.TotalMilliseconds} ms");
        Assert.Equal(0, ((FakeChatClient)router.GetTierClient("mid")!).Calls);   // never retried
        Assert.Empty(ledger.Snapshot().Entries);
        AssertBooksBalance(router, ledger);
    }

    [Fact]
    public async Task A_late_answer_is_not_returned_but_booked_when_it_arrives()
    {
        var ledger = new CostLedger();
        var answer = new TaskCompletionSource<ChatResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var late = new FakeChatClient((_, _, _) => answer.Task);
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = late }, ledger, WithBudget());
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => router.RouteAsync(Plan(chain: ["small"]), "p", null, Enum, cts.Token).WaitAsync(TimeSpan.FromSeconds(5)));
        output.WriteLine($"ended {clock.Elapsed.TotalMilliseconds:0.0} ms after the call began (cancelled at 200 ms)");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.2), $"{clock.Elapsed.TotalMilliseconds} ms");
        Assert.Empty(ledger.Snapshot().Entries);
        AssertBooksBalance(router, ledger);

        answer.SetResult(FakeChatClient.Response("Billing", usage: FakeChatClient.Usage(1000, 50)));
        var deadline = Stopwatch.StartNew();
        while (ledger.Snapshot().Entries.Count == 0 && deadline.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(10);

        var entry = Entry(ledger, "small");
        Assert.Equal((1, 1000L, 50L), (entry.Calls, entry.InputTokens, entry.OutputTokens));
        Assert.Equal(TierCatalog.BuiltIn.Find("small")!.Cost(1000, 50), entry.Usd);
        AssertBooksBalance(router, ledger);
    }

    [Fact]
    public async Task An_answer_that_arrives_after_the_caller_cancelled_is_booked_not_returned()
    {
        var ledger = new CostLedger();
        foreach (var options in new[] { new RoutingOptions(), WithBudget() })   // the fast path, and the general path with a budget
        {
            using var cts = new CancellationTokenSource();
            // The tier cancels the caller (as a caller's timer would during the call) and answers anyway, synchronously.
            var answering = new FakeChatClient((_, _, _) =>
            {
                cts.Cancel();
                return Task.FromResult(FakeChatClient.Response("Billing", usage: FakeChatClient.Usage(100, 10)));
            });
            var router = Router(new Dictionary<string, IChatClient> { ["small"] = answering }, ledger, options);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => router.RouteAsync(Plan(chain: ["small"]), "p", null, Enum, cts.Token));
            Assert.Equal(1, answering.Calls);
            foreach (var usage in router.Budgets.Usages()) Assert.Equal((TierCatalog.BuiltIn.Find("small")!.Cost(100, 10), 0m), usage);
        }

        Assert.Equal(2, Entry(ledger, "small").Calls);
    }

    [Fact]
    public async Task A_last_tier_that_throws_IOException_on_cancellation_surfaces_as_OperationCanceledException()
    {
        var ledger = new CostLedger();
        var resetting = new FakeChatClient(async (_, _, ct) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                throw new IOException("connection reset");
            }

            return FakeChatClient.Response("Billing");
        });
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Tier("nonsense"), ["mid"] = resetting }, ledger, WithBudget());
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => router.RouteAsync(Plan(chain: ["small", "mid"]), "p", null, Enum, cts.Token));
        Assert.Equal(1, Entry(ledger, "small").Calls);
        AssertBooksBalance(router, ledger);
    }

    [Fact]
    public async Task A_tier_exception_that_quotes_the_prompt_is_not_copied_into_the_message()
    {
        const string Secret = "account 4111-1111-1111-1111";
        var echoing = new FakeChatClient((messages, _, _) => throw new HttpRequestException($"400 Bad Request: {messages[^1].Text}", null, System.Net.HttpStatusCode.BadRequest));
        var leaking = FakeChatClient.Throwing(() => new InvalidOperationException($"cannot process '{Secret}'"));
        var clients = new Dictionary<string, IChatClient> { ["small"] = echoing, ["mid"] = leaking };

        var ex = await Assert.ThrowsAsync<RoutingFailedException>(() => Router(clients).RouteAsync(Plan(chain: ["small", "mid"]), Secret, null, Enum));
        output.WriteLine(ex.Message);
        Assert.DoesNotContain(Secret, ex.Message);
        Assert.Contains("'small': HttpRequestException (HTTP 400)", ex.Message);
        Assert.Contains("'mid': InvalidOperationException", ex.Message);
        Assert.Contains(Secret, ex.Failures[1].Exception!.Message);   // the caller's code still has the exceptions

        var recorded = await Assert.ThrowsAsync<RoutingFailedException>(() => Router(clients, options: new RoutingOptions { RecordContent = true })
            .RouteAsync(Plan(chain: ["small", "mid"]), Secret, null, Enum));
        Assert.Contains(Secret, recorded.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    public void Scores_and_shares_outside_0_to_1_are_refused_naming_the_setting(double value)
    {
        var score = Assert.Throws<ArgumentOutOfRangeException>(() => new RoutingOptions { LastTierMinimumScore = value });
        Assert.Contains("LastTierMinimumScore", score.Message);
        var share = Assert.Throws<ArgumentOutOfRangeException>(() => new RoutingBudget("run", 1m) { DowngradeAt = value });
        Assert.Contains("DowngradeAt", share.Message);
        Assert.Contains("'run'", share.Message);
    }

    [Fact]
    public void A_limit_that_is_not_positive_is_refused_naming_the_budget_and_value()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new RoutingBudget("daily", 0m));
        Assert.Contains("'daily'", ex.Message);
        Assert.Contains("got 0", ex.Message);
    }

    [Fact]
    public async Task An_unknown_downgrade_tier_is_an_error_at_the_first_call_of_the_task()
    {
        var options = new RoutingOptions();
        options.Budgets.Add(new RoutingBudget("run", 1m) { Action = BudgetAction.Downgrade, DowngradeTier = "tiny" });
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = Tier("Billing") }, options: options);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => router.RouteAsync(Plan(chain: ["small"]), "p", null, Enum));
        Assert.Contains("'run'", ex.Message);
        Assert.Contains("'tiny'", ex.Message);
    }

    private sealed class ThrowingParser : IAnswerParser<Category>
    {
        public bool TryParse(string text, out Category value) => throw new NullReferenceException("the parser broke on: " + text);
    }
}
