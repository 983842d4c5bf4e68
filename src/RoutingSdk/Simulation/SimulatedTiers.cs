using System;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using RoutingSdk.Planning;

namespace RoutingSdk.Simulation;

/// <summary>
/// Registers <b>simulated</b> tier clients (<see cref="SimulatedChatClient"/>) for offline runs with no API key. The
/// answers come from an answer book and a deterministic hash, not from a model.
/// </summary>
public static class SimulatedTiers
{
    /// <summary>
    /// Registers one keyed <see cref="IChatClient"/> per tier of <paramref name="catalog"/>, keyed by the tier's name
    /// (as <c>AddKeyedChatClient</c> does for real clients), each a <see cref="SimulatedChatClient"/> of that tier.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="catalog">The tiers to simulate, usually <see cref="TierCatalog.BuiltIn"/> or the assembly's own.</param>
    /// <param name="answerBook">Gives the right and a plausible wrong answer for a request.</param>
    /// <param name="seed">Changes which prompts each tier gets wrong, keeping the rates.</param>
    /// <returns>The same service collection.</returns>
    public static IServiceCollection AddSimulatedChatClients(this IServiceCollection services, TierCatalog catalog,
        Func<SimulatedRequest, SimulatedAnswer> answerBook, int seed = 0)
    {
        if (services is null) throw new ArgumentNullException(nameof(services));
        if (catalog is null) throw new ArgumentNullException(nameof(catalog));
        if (answerBook is null) throw new ArgumentNullException(nameof(answerBook));

        foreach (var tier in catalog.Tiers)
        {
            services.AddKeyedChatClient(tier.Name, new SimulatedChatClient(tier, answerBook, seed));
        }

        return services;
    }
}
