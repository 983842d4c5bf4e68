using System;
using System.Collections.Generic;
using System.Threading;

namespace RoutingSdk;

/// <summary>
/// Values of the calls a piece of code makes — the tenant, the user, any tag — that budgets can be keyed by
/// (<see cref="RoutingBudget.KeyedBy"/>). Ambient: <c>using (RoutingContext.Begin(tenant: "acme")) { ... }</c> applies to
/// every routed call made inside, across awaits; nested contexts add to (and may override) the outer one's values.
/// </summary>
public sealed class RoutingContext : IDisposable
{
    /// <summary>The key of the tenant value (<see cref="Begin(string?, IEnumerable{KeyValuePair{string, string}}?)"/>'s <c>tenant</c>).</summary>
    public const string TenantKey = "tenant";

    private static readonly AsyncLocal<RoutingContext?> s_current = new();

    private readonly Dictionary<string, string> _values;
    private readonly RoutingContext? _outer;
    private int _disposed;

    private RoutingContext(Dictionary<string, string> values, RoutingContext? outer)
    {
        _values = values;
        _outer = outer;
    }

    /// <summary>The context of the code running now, or null.</summary>
    public static RoutingContext? Current => s_current.Value;

    /// <summary>
    /// Makes <paramref name="context"/> the current one for the code that runs from here in this flow: a call the router
    /// makes in the background on behalf of a caller (a shadow call, a calibration sample) is charged to the caller's
    /// tenant, although it runs outside the caller's execution context.
    /// </summary>
    internal static void Enter(RoutingContext? context) => s_current.Value = context;

    /// <summary>The tenant value, or null.</summary>
    public string? Tenant => Get(TenantKey);

    /// <summary>
    /// Starts a context for the calls made until it is disposed: <paramref name="tenant"/> (the value of
    /// <see cref="TenantKey"/>) and any other <paramref name="values"/>, over the values of the current context.
    /// </summary>
    public static RoutingContext Begin(string? tenant = null, IEnumerable<KeyValuePair<string, string>>? values = null)
    {
        var outer = Current;
        var merged = outer is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(outer._values, StringComparer.Ordinal);
        if (values is not null)
        {
            foreach (var pair in values)
            {
                if (pair.Key is null || pair.Value is null) throw new ArgumentException("A routing context value needs a key and a value.", nameof(values));
                merged[pair.Key] = pair.Value;
            }
        }

        if (tenant is not null) merged[TenantKey] = tenant;
        var context = new RoutingContext(merged, outer);
        s_current.Value = context;
        return context;
    }

    /// <summary>The value of <paramref name="key"/>, or null.</summary>
    public string? Get(string key) => key is not null && _values.TryGetValue(key, out var value) ? value : null;

    /// <summary>Ends the context: the outer one (or none) applies again to the code that continues here.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && ReferenceEquals(s_current.Value, this)) s_current.Value = _outer;
    }
}
