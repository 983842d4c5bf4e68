using System;
using System.Collections.Generic;
using System.Threading;

namespace RoutingSdk;

/// <summary>
/// The cost of the routed calls a piece of code makes, for the caller to read: every tier call booked in the ledger
/// while the scope is open, in its async flow (the calls it awaits, and the tasks it starts), is also added here.
/// </summary>
/// <example>
/// <code>
/// using (var cost = CostScope.Begin())
/// {
///     var category = await desk.ClassifyAsync(email);
///     Console.WriteLine($"this request cost {cost.TotalUsd} USD over {cost.Calls} tier calls");
/// }
/// </code>
/// </example>
/// <remarks>
/// Scopes nest: a call booked in an inner scope counts in every scope around it. A tier answer that arrives after its
/// caller cancelled is booked when it arrives, and counts in the scope if the scope is still open. Opening a scope turns
/// off the router's allocation-free path for the calls inside it.
/// </remarks>
public sealed class CostScope : IDisposable
{
    private static readonly AsyncLocal<CostScope?> s_current = new();
    private static int s_open;

    private readonly object _gate = new();
    private readonly List<CostRecord> _records = new();
    private readonly CostScope? _parent;
    private decimal _totalUsd;
    private int _disposed;

    private CostScope(CostScope? parent) => _parent = parent;

    /// <summary>The innermost scope open in this async flow, or null.</summary>
    public static CostScope? Current => Volatile.Read(ref s_open) == 0 ? null : s_current.Value;

    /// <summary>Whether any scope is open in the process (the router's fast path books outside scopes only).</summary>
    internal static bool AnyOpen => Volatile.Read(ref s_open) != 0;

    /// <summary>Opens a scope in the current async flow; dispose it to close it.</summary>
    public static CostScope Begin()
    {
        var scope = new CostScope(s_current.Value);
        Interlocked.Increment(ref s_open);
        s_current.Value = scope;
        return scope;
    }

    /// <summary>USD of the tier calls booked in the scope so far, exact.</summary>
    public decimal TotalUsd
    {
        get
        {
            lock (_gate) return _totalUsd;
        }
    }

    /// <summary>The tier calls booked in the scope so far.</summary>
    public int Calls
    {
        get
        {
            lock (_gate) return _records.Count;
        }
    }

    /// <summary>The tier calls booked in the scope so far, in booking order (a copy).</summary>
    public IReadOnlyList<CostRecord> Records
    {
        get
        {
            lock (_gate) return _records.ToArray();
        }
    }

    internal void Add(in CostRecord record)
    {
        var usd = record.Usd;
        for (var scope = this; scope is not null; scope = scope._parent)
        {
            lock (scope._gate)
            {
                if (scope._disposed != 0) continue;
                scope._records.Add(record);
                scope._totalUsd += usd;
            }
        }
    }

    /// <summary>Closes the scope: calls booked afterwards in this flow count in the enclosing scope, if any.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (ReferenceEquals(s_current.Value, this)) s_current.Value = _parent;
        Interlocked.Decrement(ref s_open);
    }
}
