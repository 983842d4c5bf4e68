using System;

namespace RoutingSdk.Planning.Guardrail;

/// <summary>
/// The latest shadow comparisons of one chain position (did its accepted answer agree with the last tier's?), at most
/// <see cref="GuardSettings.Window"/> of them, with their count and agreements. Not thread-safe: its owner locks.
/// </summary>
internal sealed class AgreementWindow
{
    private readonly bool[] _ring;
    private int _next;

    /// <summary>Creates an empty window of <paramref name="capacity"/> comparisons.</summary>
    public AgreementWindow(int capacity)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "a window holds at least one comparison");
        _ring = new bool[capacity];
    }

    /// <summary>The most comparisons the window holds.</summary>
    public int Capacity => _ring.Length;

    /// <summary>The comparisons held (at most the capacity).</summary>
    public int Count { get; private set; }

    /// <summary>How many of them agreed.</summary>
    public int Agreements { get; private set; }

    /// <summary>The share that agreed; NaN when empty.</summary>
    public double Agreement => Count == 0 ? double.NaN : (double)Agreements / Count;

    /// <summary>Adds a comparison; the oldest leaves when the window is full.</summary>
    public void Add(bool agreed)
    {
        if (Count == _ring.Length)
        {
            if (_ring[_next]) Agreements--;
        }
        else
        {
            Count++;
        }

        _ring[_next] = agreed;
        if (agreed) Agreements++;
        _next = (_next + 1) % _ring.Length;
    }

    /// <summary>Forgets every comparison (after a change of level they describe an acceptance no longer in force).</summary>
    public void Clear()
    {
        Count = 0;
        Agreements = 0;
        _next = 0;
    }
}
