using System;

namespace RoutingSdk;

/// <summary>
/// The tiers that answered "too many requests" and are skipped until their cooldown ends. The default,
/// <see cref="InProcessTierCooldowns"/>, is this process's; RoutingSdk.Redis shares them across replicas, so that a tier that
/// answered 429 to one replica is skipped by all. Set <see cref="RoutingOptions.TierCooldowns"/>, or register an
/// <see cref="ITierCooldowns"/> service.
/// </summary>
/// <remarks>
/// The router asks <see cref="IsCoolingDown"/> before every tier call, on its fast path too: it must answer from memory,
/// without allocating or blocking. Both methods must be thread-safe and must never throw.
/// </remarks>
public interface ITierCooldowns
{
    /// <summary>Whether <paramref name="tier"/> is cooling down now; <paramref name="until"/> is when it ends.</summary>
    bool IsCoolingDown(string tier, out DateTimeOffset until);

    /// <summary>Skips <paramref name="tier"/> until <paramref name="until"/> (a later cooldown already known is kept).</summary>
    void Start(string tier, DateTimeOffset until);
}
