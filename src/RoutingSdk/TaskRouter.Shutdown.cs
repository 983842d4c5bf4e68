using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace RoutingSdk;

/// <summary>
/// Shutdown: the router's work that outlives a caller's call (shadow calls, calibration samples, the bookings of late
/// answers) is counted while in flight, and disposing the router waits for it, within <see cref="RoutingOptions.ShutdownTimeout"/>,
/// so that its cost records and outcome rows reach the ledger and the outcome writer before they are disposed.
/// </summary>
public sealed partial class TaskRouter : IAsyncDisposable, IDisposable
{
    private readonly BackgroundWork _background = new();

    /// <summary>Background work in flight (tests read it).</summary>
    internal long BackgroundInFlight => _background.InFlight;

    /// <summary>
    /// Completes when the router has no work in flight in the background (shadow calls, calibration samples, bookings of
    /// late answers); at once when it has none. Under steady traffic with the guardrail on, new work may start right after.
    /// </summary>
    /// <param name="cancellationToken">Ends the wait (the work goes on).</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public async Task WhenIdleAsync(CancellationToken cancellationToken = default)
    {
        if (!await _background.WaitIdleAsync(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false)) cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Stops new work in the background from starting (routed calls go on, without shadow calls or samples) and waits for
    /// the work in flight to end, for at most <see cref="RoutingOptions.ShutdownTimeout"/>. Never throws for a failure of
    /// that work. The service provider disposes the router before the ledger it books into (the ledger is created first).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _background.Close();
        if (!await _background.WaitIdleAsync(Options.ShutdownTimeout, CancellationToken.None).ConfigureAwait(false)) LogUnfinished();
    }

    /// <summary>As <see cref="DisposeAsync"/>, blocking the calling thread while it waits.</summary>
    public void Dispose()
    {
        _background.Close();
        if (!_background.WaitIdleAsync(Options.ShutdownTimeout, CancellationToken.None).GetAwaiter().GetResult()) LogUnfinished();
    }

    private void LogUnfinished()
        => _logger.LogWarning("The router was disposed with {Count} background calls or bookings (shadow calls, calibration samples, late answers) still in flight after RoutingOptions.ShutdownTimeout ({Timeout}); what they spend is booked only if they complete while the ledger still takes it.",
            _background.InFlight, Options.ShutdownTimeout);
}
