using System;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using RoutingSdk;
using RoutingSdk.Redis;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Shares RoutingSdk's budgets, ledger, rate-limit cooldowns and guardrail statistics across every replica of a service, on Redis.</summary>
public static class RedisServiceCollectionExtensions
{
    /// <summary>
    /// Connects to Redis (<paramref name="configuration"/>: a StackExchange.Redis configuration string, <c>"localhost:6379"</c>)
    /// and shares the budgets (<see cref="RedisBudgetStore"/>), the ledger (<see cref="RedisCostLedger"/>, as the
    /// <see cref="ICostLedger"/>), the cooldowns (<see cref="RedisTierCooldowns"/>) and the shadow guardrail's statistics
    /// (<see cref="RedisAgreementStatistics"/>) through it. Registers the runtime too.
    /// The connection does not give up when Redis is down (at start or later): it tries again every second, and the failure
    /// policy applies meanwhile.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="configuration"/> is empty, has a keyword StackExchange.Redis does not know, or names no endpoint.</exception>
    public static IServiceCollection AddRoutingSdkRedis(this IServiceCollection services, string configuration)
        => services.AddRoutingSdkRedis(configuration, _ => { });

    /// <summary>As <see cref="AddRoutingSdkRedis(IServiceCollection, string)"/>, with options (key prefix, lease duration, flush interval).</summary>
    /// <exception cref="ArgumentException"><paramref name="configuration"/> is empty, has a keyword StackExchange.Redis does not know, or names no endpoint.</exception>
    public static IServiceCollection AddRoutingSdkRedis(this IServiceCollection services, string configuration, Action<RedisRoutingOptions> configure)
    {
        if (services is null) throw new ArgumentNullException(nameof(services));
        var options = Parse(configuration ?? throw new ArgumentNullException(nameof(configuration)));
        options.AbortOnConnectFail = false;
        options.ReconnectRetryPolicy = new LinearRetry(1000);   // back within a second of Redis
        options.BacklogPolicy = BacklogPolicy.FailFast;          // while it is down, fail closed at once instead of queueing until a timeout
        services.TryAddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
        return services.AddRoutingSdkRedis(configure ?? throw new ArgumentNullException(nameof(configure)));
    }

    /// <summary>
    /// The configuration string, read where the application registers it: one that cannot work (empty, an unknown keyword,
    /// no endpoint) stops the application at startup rather than failing its first call.
    /// </summary>
    private static ConfigurationOptions Parse(string configuration)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(configuration);
        }
        catch (ArgumentException ex)
        {
            // The string itself is not repeated: it may hold a password.
            throw new ArgumentException($"The Redis configuration string is not one StackExchange.Redis reads (\"host:6379,password=...\"): {ex.Message}", nameof(configuration), ex);
        }

        return options.EndPoints.Count > 0
            ? options
            : throw new ArgumentException("The Redis configuration string names no endpoint (\"host:6379\").", nameof(configuration));
    }

    /// <summary>
    /// Shares the budgets, the ledger, the cooldowns and the guardrail's statistics through the <see cref="IConnectionMultiplexer"/> registered in the
    /// service collection, as <see cref="AddRoutingSdkRedis(IServiceCollection, string)"/> does.
    /// </summary>
    public static IServiceCollection AddRoutingSdkRedis(this IServiceCollection services)
        => services.AddRoutingSdkRedis(_ => { });

    /// <summary>As <see cref="AddRoutingSdkRedis(IServiceCollection)"/>, with options (key prefix, lease duration, flush interval).</summary>
    public static IServiceCollection AddRoutingSdkRedis(this IServiceCollection services, Action<RedisRoutingOptions> configure)
    {
        if (services is null) throw new ArgumentNullException(nameof(services));
        var options = new RedisRoutingOptions();
        (configure ?? throw new ArgumentNullException(nameof(configure)))(options);
        services.TryAddSingleton(options);
        services.TryAddSingleton(sp => new RedisBudgetStore(sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<RedisRoutingOptions>(),
            sp.GetService<ILogger<RedisBudgetStore>>()));
        services.TryAddSingleton(sp => new RedisCostLedger(sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<RedisRoutingOptions>(),
            sp.GetService<ILogger<RedisCostLedger>>()));
        services.TryAddSingleton(sp => new RedisTierCooldowns(sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<RedisRoutingOptions>(),
            sp.GetService<ILogger<RedisTierCooldowns>>()));
        services.TryAddSingleton(sp => new RedisAgreementStatistics(sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<RedisRoutingOptions>(),
            sp.GetService<ILogger<RedisAgreementStatistics>>()));
        services.RemoveAll<IBudgetStore>().AddSingleton<IBudgetStore>(sp => sp.GetRequiredService<RedisBudgetStore>());
        services.RemoveAll<ICostLedger>().AddSingleton<ICostLedger>(sp => sp.GetRequiredService<RedisCostLedger>());
        services.RemoveAll<ITierCooldowns>().AddSingleton<ITierCooldowns>(sp => sp.GetRequiredService<RedisTierCooldowns>());
        services.RemoveAll<IAgreementStatistics>().AddSingleton<IAgreementStatistics>(sp => sp.GetRequiredService<RedisAgreementStatistics>());
        return services.AddRoutingSdk();
    }
}
