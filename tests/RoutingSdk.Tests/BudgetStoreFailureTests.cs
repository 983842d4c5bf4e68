using static RoutingSdk.Tests.Routing;

namespace RoutingSdk.Tests;

/// <summary>
/// A budget store of the application's that fails in a way the router does not expect (not <see cref="BudgetUnavailableException"/>):
/// the failure reaches the caller, and the other budgets of the call keep nothing reserved.
/// </summary>
public class BudgetStoreFailureTests
{
    private static readonly IAnswerParser<Category> Enum = AnswerParsers.Enum<Category>();

    private static string Prompt => new('x', 1600);   // 400 estimated input tokens: the reservation equals the cost, $0.0001125 on small

    private static (TaskRouter Router, FailingStore Store) Router2(FailingStore store)
    {
        var options = new RoutingOptions { BudgetStore = store };
        options.Budgets.Add(new RoutingBudget("first", 1m));
        options.Budgets.Add(new RoutingBudget("second", 1m));
        var small = FakeChatClient.Answering("Billing", null, FakeChatClient.Usage(400, 10));
        return (Router(new Dictionary<string, IChatClient> { ["small"] = small }, options: options), store);
    }

    [Fact]
    public async Task A_reservation_the_store_fails_on_leaves_nothing_reserved_in_the_budgets_reserved_before_it()
    {
        var (router, _) = Router2(new FailingStore { FailReserving = "second" });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => router.RouteAsync(NamedPlan("Store.Reserve"), Prompt, null, Enum));

        Assert.Equal("the store failed reserving in 'second'", error.Message);
        Assert.Equal(new[] { (0m, 0m), (0m, 0m) }, router.Budgets.Usages());   // "first" was reserved, then released
    }

    [Fact]
    public async Task A_settlement_the_store_fails_on_still_settles_the_calls_other_budgets()
    {
        var (router, _) = Router2(new FailingStore { FailSettling = "first" });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => router.RouteAsync(NamedPlan("Store.Settle"), Prompt, null, Enum));

        Assert.Equal("the store failed settling in 'first'", error.Message);
        var usages = router.Budgets.Usages();
        Assert.Equal((0m, 0.0001125m), usages[0]);    // the failed settlement: its reservation is the store's to expire
        Assert.Equal((0.0001125m, 0m), usages[1]);    // settled at the call's cost
    }

    /// <summary>An in-process store that throws, once, when reserving in or settling a named budget.</summary>
    private sealed class FailingStore : IBudgetStore
    {
        private readonly InProcessBudgetStore _inner = new(TimeProvider.System);

        public string? FailReserving { get; set; }

        public string? FailSettling { get; set; }

        public ValueTask<BudgetDecision> TryReserveAsync(RoutingBudget budget, string scope, decimal amountUsd)
        {
            if (budget.Name == FailReserving)
            {
                FailReserving = null;
                throw new InvalidOperationException($"the store failed reserving in '{budget.Name}'");
            }

            return _inner.TryReserveAsync(budget, scope, amountUsd);
        }

        public ValueTask SettleAsync(BudgetReservation reservation, decimal actualUsd)
        {
            if (reservation.Budget.Name == FailSettling)
            {
                FailSettling = null;
                throw new InvalidOperationException($"the store failed settling in '{reservation.Budget.Name}'");
            }

            return _inner.SettleAsync(reservation, actualUsd);
        }

        public ValueTask ChargeAsync(RoutingBudget budget, string scope, decimal actualUsd) => _inner.ChargeAsync(budget, scope, actualUsd);

        public ValueTask<BudgetUsage> ReadAsync(RoutingBudget budget, string scope) => _inner.ReadAsync(budget, scope);
    }
}
