using Microsoft.Extensions.DependencyInjection;
using static RoutingSdk.Tests.Routing;

namespace RoutingSdk.Tests;

public class DependencyInjectionTests
{
    [Fact]
    public void AddRoutingSdk_registers_the_router_and_the_ledger_as_singletons()
    {
        var services = new ServiceCollection().AddRoutingSdk();

        Assert.Equal(ServiceLifetime.Singleton, Assert.Single(services, d => d.ServiceType == typeof(TaskRouter)).Lifetime);
        Assert.Equal(ServiceLifetime.Singleton, Assert.Single(services, d => d.ServiceType == typeof(ICostLedger)).Lifetime);

        using var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();
        Assert.Same(provider.GetRequiredService<TaskRouter>(), scope.ServiceProvider.GetRequiredService<TaskRouter>());
        Assert.Same(provider.GetRequiredService<ICostLedger>(), provider.GetRequiredService<TaskRouter>().Ledger);
        Assert.IsType<CostLedger>(provider.GetRequiredService<ICostLedger>());
    }

    [Fact]
    public void AddRoutingSdk_twice_registers_once_and_keeps_an_existing_ledger()
    {
        var mine = new CostLedger();
        var services = new ServiceCollection().AddSingleton<ICostLedger>(mine).AddRoutingSdk().AddRoutingSdk();

        Assert.Single(services, d => d.ServiceType == typeof(TaskRouter));
        using var provider = services.BuildServiceProvider();
        Assert.Same(mine, provider.GetRequiredService<TaskRouter>().Ledger);
    }

    [Fact]
    public async Task Router_resolves_tier_clients_registered_with_AddKeyedChatClient()
    {
        var services = new ServiceCollection();
        services.AddKeyedChatClient("small", FakeChatClient.Answering("Billing", confidence: 0.1));
        services.AddKeyedChatClient("mid", _ => FakeChatClient.Answering("Technical"));
        services.AddRoutingSdk();
        using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<TaskRouter>().RouteAsync(Plan(), "p", null, AnswerParsers.Enum<Category>());

        Assert.Equal(Category.Technical, result);
        Assert.Equal(new[] { "small", "mid" }, provider.GetRequiredService<ICostLedger>().Snapshot().Entries.Select(e => e.Tier));
    }
}
