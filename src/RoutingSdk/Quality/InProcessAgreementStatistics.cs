using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using RoutingSdk.Planning.Guardrail;

namespace RoutingSdk;

/// <summary>The default <see cref="IAgreementStatistics"/>: the guardrail's statistics in this process.</summary>
public sealed class InProcessAgreementStatistics : IAgreementStatistics
{
    private readonly ConcurrentDictionary<(string Task, int Position), Position> _positions = new();

    /// <inheritdoc />
    public int GetLevel(string taskName, int position)
        => taskName is not null && _positions.TryGetValue((taskName, position), out var state) ? Volatile.Read(ref state.Level) : 0;

    /// <inheritdoc />
    public ValueTask<AgreementState> AddAsync(string taskName, int position, bool agreed, int window, CancellationToken cancellationToken = default)
    {
        if (taskName is null) throw new ArgumentNullException(nameof(taskName));
        if (window < 1) throw new ArgumentOutOfRangeException(nameof(window), window, "a window holds at least one comparison");
        var state = _positions.GetOrAdd((taskName, position), _ => new Position());
        lock (state)
        {
            if (state.Window is null || state.Window.Capacity != window) state.Window = new AgreementWindow(window);
            state.Window.Add(agreed);
            return new ValueTask<AgreementState>(new AgreementState(state.Generation, state.Level, state.Baseline, state.Window.Count, state.Window.Agreements));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryApplyAsync(string taskName, int position, AgreementState observed, int level, double baseline, CancellationToken cancellationToken = default)
    {
        if (taskName is null) throw new ArgumentNullException(nameof(taskName));
        if (!_positions.TryGetValue((taskName, position), out var state)) return new ValueTask<bool>(false);
        lock (state)
        {
            if (state.Generation != observed.Generation) return new ValueTask<bool>(false);
            if (double.IsNaN(state.Baseline)) state.Baseline = baseline;
            if (level != state.Level)
            {
                Volatile.Write(ref state.Level, level);
                state.Generation++;
                state.Window?.Clear();
            }

            return new ValueTask<bool>(true);
        }
    }

    private sealed class Position
    {
        public int Level;
        public long Generation;
        public double Baseline = double.NaN;
        public AgreementWindow? Window;
    }
}
