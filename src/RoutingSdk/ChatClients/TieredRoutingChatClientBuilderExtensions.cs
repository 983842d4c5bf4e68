using System;
using Microsoft.Extensions.DependencyInjection;
using RoutingSdk;

namespace Microsoft.Extensions.AI;

/// <summary>Adds tiered routing to a Microsoft.Extensions.AI chat pipeline.</summary>
public static class TieredRoutingChatClientBuilderExtensions
{
    /// <summary>
    /// Adds a <see cref="TieredRoutingChatClient"/>: requests go to the cheaper tiers of the plan first and reach the
    /// pipeline's inner client (the chain's last tier) only when they are not answered well enough. The router comes from
    /// the service provider (<c>AddRoutingSdk()</c>); the cheaper tiers are its keyed <see cref="IChatClient"/>s. Steps
    /// added before this one (<c>UseOpenTelemetry</c>, <c>UseDistributedCache</c>, …) wrap the routed call; steps added
    /// after it wrap the last tier only.
    /// </summary>
    public static ChatClientBuilder UseTieredRouting(this ChatClientBuilder builder, Action<TieredRoutingOptions>? configure = null)
    {
        if (builder is null) throw new ArgumentNullException(nameof(builder));
        var options = new TieredRoutingOptions();
        configure?.Invoke(options);
        var plan = options.ToPlan();
        return builder.Use((inner, services) =>
        {
            var router = services.GetService<TaskRouter>()
                ?? throw new InvalidOperationException("UseTieredRouting needs a TaskRouter: call services.AddRoutingSdk() or build the pipeline with UseTieredRouting(router, ...).");
            return new TieredRoutingChatClient(inner, router, plan);
        });
    }

    /// <summary>Adds a <see cref="TieredRoutingChatClient"/> over an explicit <paramref name="router"/>.</summary>
    public static ChatClientBuilder UseTieredRouting(this ChatClientBuilder builder, TaskRouter router, Action<TieredRoutingOptions>? configure = null)
    {
        if (builder is null) throw new ArgumentNullException(nameof(builder));
        if (router is null) throw new ArgumentNullException(nameof(router));
        var options = new TieredRoutingOptions();
        configure?.Invoke(options);
        var plan = options.ToPlan();
        return builder.Use(inner => new TieredRoutingChatClient(inner, router, plan));
    }
}
