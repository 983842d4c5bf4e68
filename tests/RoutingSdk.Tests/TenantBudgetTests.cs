using static RoutingSdk.Tests.Routing;

namespace RoutingSdk.Tests;

/// <summary>Budgets keyed by a value of the routing context: one allowance per tenant (or any key), in process.</summary>
public class TenantBudgetTests
{
    private static readonly IAnswerParser<Category> Enum = AnswerParsers.Enum<Category>();

    // A Classification call on small with 400 input and 10 output tokens costs exactly $0.0001125 (and reserves as much).
    private static string Prompt => new('x', 1600);

    private static (TaskRouter Router, FakeChatClient Small) PerTenant(decimal limit)
    {
        var options = new RoutingOptions();
        options.Budgets.Add(new RoutingBudget("per-tenant", limit) { KeyedBy = RoutingContext.TenantKey });
        var small = FakeChatClient.Answering("Billing", usage: FakeChatClient.Usage(400, 10));
        return (Router(new Dictionary<string, IChatClient> { ["small"] = small }, options: options), small);
    }

    [Fact]
    public async Task Each_tenant_has_its_own_allowance()
    {
        var (router, small) = PerTenant(0.0002m);   // one call per tenant
        var plan = Plan(chain: "small");
        using (RoutingContext.Begin(tenant: "acme"))
        {
            await router.RouteAsync(plan, Prompt, null, Enum);
            var ex = await Assert.ThrowsAsync<BudgetExceededException>(() => router.RouteAsync(plan, Prompt, null, Enum));
            Assert.Equal("acme", ex.Scope);
            Assert.Contains("Budget 'per-tenant' for 'acme'", ex.Message);
        }

        using (RoutingContext.Begin(tenant: "globex")) await router.RouteAsync(plan, Prompt, null, Enum);
        await router.RouteAsync(plan, Prompt, null, Enum);   // no tenant: the calls without one share their own allowance
        await Assert.ThrowsAsync<BudgetExceededException>(() => router.RouteAsync(plan, Prompt, null, Enum));
        Assert.Equal(3, small.Calls);
    }

    [Fact]
    public async Task The_context_flows_across_awaits_and_nested_contexts_restore_the_outer_one()
    {
        using (RoutingContext.Begin(tenant: "acme", values: new Dictionary<string, string> { ["user"] = "u1" }))
        {
            await Task.Yield();
            Assert.Equal("acme", RoutingContext.Current!.Tenant);
            using (RoutingContext.Begin(tenant: "globex"))
            {
                Assert.Equal("globex", RoutingContext.Current!.Tenant);
                Assert.Equal("u1", RoutingContext.Current.Get("user"));
            }

            Assert.Equal("acme", RoutingContext.Current!.Tenant);
        }

        Assert.Null(RoutingContext.Current);
    }

    [Fact]
    public async Task A_budget_keyed_by_another_value_splits_by_it()
    {
        var options = new RoutingOptions();
        options.Budgets.Add(new RoutingBudget("per-user", 0.0002m) { KeyedBy = "user" });
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = FakeChatClient.Answering("Billing", usage: FakeChatClient.Usage(400, 10)) }, options: options);
        var plan = Plan(chain: "small");
        foreach (var user in new[] { "u1", "u2", "u3" })
        {
            using (RoutingContext.Begin(values: new Dictionary<string, string> { ["user"] = user })) await router.RouteAsync(plan, Prompt, null, Enum);
        }

        using (RoutingContext.Begin(values: new Dictionary<string, string> { ["user"] = "u2" }))
            await Assert.ThrowsAsync<BudgetExceededException>(() => router.RouteAsync(plan, Prompt, null, Enum));
    }
}
