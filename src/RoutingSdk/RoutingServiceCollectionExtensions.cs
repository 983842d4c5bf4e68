using System;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RoutingSdk;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the RoutingSdk runtime.</summary>
public static class RoutingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="TaskRouter"/>, <see cref="ICostLedger"/> (the default <see cref="CostLedger"/>) and
    /// <see cref="RoutingOptions"/> as singletons, unless they are registered already. Tier clients are registered
    /// separately, one keyed <c>IChatClient</c> per tier name: <c>services.AddKeyedChatClient("small", client)</c>. The
    /// generated <c>AddRoutedTasks()</c> calls this.
    /// </summary>
    public static IServiceCollection AddRoutingSdk(this IServiceCollection services)
    {
        if (services is null) throw new ArgumentNullException(nameof(services));
        services.TryAddSingleton<ICostLedger, CostLedger>();
        services.TryAddSingleton(sp =>
        {
            var options = new RoutingOptions();
            foreach (var configuration in sp.GetServices<RoutingOptionsConfiguration>()) configuration.Configure(options);
            options.Classifier ??= sp.GetService<ITierClassifier>();
            options.BudgetStore ??= sp.GetService<IBudgetStore>();
            options.TierCooldowns ??= sp.GetService<ITierCooldowns>();
            if (options.Shadow is { } shadow) shadow.Statistics ??= sp.GetService<IAgreementStatistics>();
            foreach (var scorer in sp.GetServices<IAnswerScorer>())
            {
                if (!options.Scorers.Contains(scorer)) options.Scorers.Add(scorer);
            }

            return options;
        });
        services.TryAddSingleton<TaskRouter>(sp => new TaskRouter(sp, sp.GetRequiredService<ICostLedger>(), sp.GetRequiredService<RoutingOptions>()));
        return services;
    }

    /// <summary>
    /// Registers the runtime like <see cref="AddRoutingSdk(IServiceCollection)"/> and configures its
    /// <see cref="RoutingOptions"/>: scorers, the classifier, budgets, the clock, content recording. May be called any
    /// number of times, before or after <c>AddRoutedTasks()</c>; the configurations apply in order.
    /// </summary>
    public static IServiceCollection AddRoutingSdk(this IServiceCollection services, Action<RoutingOptions> configure)
    {
        if (configure is null) throw new ArgumentNullException(nameof(configure));
        services.AddRoutingSdk();
        services.AddSingleton(new RoutingOptionsConfiguration(configure));
        return services;
    }

    /// <summary>Adds a spending limit (<see cref="RoutingBudget"/>) to the router's options.</summary>
    public static IServiceCollection AddRoutingBudget(this IServiceCollection services, RoutingBudget budget)
    {
        if (budget is null) throw new ArgumentNullException(nameof(budget));
        return services.AddRoutingSdk(o => o.Budgets.Add(budget));
    }
}
