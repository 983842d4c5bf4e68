using System;
using System.Threading;
using System.Threading.Tasks;

namespace RoutingSdk;

/// <summary>
/// The router's work that outlives a caller's call (shadow calls, calibration samples, late answers' bookings): counted
/// while in flight, so that <see cref="TaskRouter.DisposeAsync"/> can wait for it before the ledger and the outcome writer
/// it books into are disposed. Only the calls that start such work touch it: one interlocked increment and decrement each;
/// a waiter's task is made only when somebody waits.
/// </summary>
internal sealed class BackgroundWork
{
    private readonly object _gate = new();
    private long _inFlight;
    private int _closed;
    private TaskCompletionSource<bool>? _idle;

    /// <summary>Work in flight.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Whether <see cref="Close"/> was called: no new work starts.</summary>
    public bool Closed => Volatile.Read(ref _closed) != 0;

    /// <summary>
    /// Counts a piece of work about to start; false (nothing counted) once the router is closed. Every true is matched by
    /// one <see cref="Exit"/> when the work ends, however it ends.
    /// </summary>
    public bool TryEnter()
    {
        // Counted before the check: Close sets the flag and then reads the count, so either it sees this work or this
        // work sees the flag.
        Interlocked.Increment(ref _inFlight);
        if (Volatile.Read(ref _closed) == 0) return true;
        Exit();
        return false;
    }

    /// <summary>Counts that a piece of work started by <see cref="TryEnter"/> ended.</summary>
    public void Exit()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && Volatile.Read(ref _idle) is not null) SignalIdle();
    }

    /// <summary>No new work starts from now on; what is in flight goes on.</summary>
    public void Close() => Interlocked.Exchange(ref _closed, 1);

    /// <summary>A task that completes when no work is in flight (at once when none is). Never faults.</summary>
    public Task WhenIdle()
    {
        if (Interlocked.Read(ref _inFlight) == 0) return Task.CompletedTask;
        Task idle;
        lock (_gate)
        {
            _idle ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            idle = _idle.Task;
        }

        // The last work may have ended before the waiter was in place.
        if (Interlocked.Read(ref _inFlight) == 0) SignalIdle();
        return idle;
    }

    /// <summary>
    /// Waits until no work is in flight, for at most <paramref name="timeout"/> (zero: not at all;
    /// <see cref="Timeout.InfiniteTimeSpan"/>: no limit), or until
    /// <paramref name="cancellationToken"/> is cancelled; true when idle. Never throws.
    /// </summary>
    public async Task<bool> WaitIdleAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var idle = WhenIdle();
        if (idle.IsCompleted) return true;
        if (timeout == TimeSpan.Zero || cancellationToken.IsCancellationRequested) return false;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, stop.Token);
        var first = await Task.WhenAny(idle, delay).ConfigureAwait(false);
        stop.Cancel();   // the timer goes with it
        return first == idle;
    }

    private void SignalIdle()
    {
        TaskCompletionSource<bool>? idle;
        lock (_gate)
        {
            idle = _idle;
            _idle = null;
        }

        idle?.TrySetResult(true);
    }
}
