using Microsoft.Extensions.DependencyInjection.Extensions;
using RoutingSdk;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the RoutingSdk runtime.</summary>
public static class RoutingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="TaskRouter"/> and <see cref="ICostLedger"/> (the default <see cref="CostLedger"/>) as singletons,
    /// unless they are registered already. Tier clients are registered separately, one keyed <c>IChatClient</c> per tier
    /// name: <c>services.AddKeyedChatClient("small", client)</c>. The generated <c>AddRoutedTasks()</c> calls this.
    /// </summary>
    public static IServiceCollection AddRoutingSdk(this IServiceCollection services)
    {
        if (services is null) throw new System.ArgumentNullException(nameof(services));
        services.TryAddSingleton<ICostLedger, CostLedger>();
        services.TryAddSingleton<TaskRouter>(sp => new TaskRouter(sp, sp.GetRequiredService<ICostLedger>()));
        return services;
    }
}
