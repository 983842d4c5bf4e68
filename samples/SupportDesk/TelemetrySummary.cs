using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using RoutingSdk;

namespace SupportDesk;

/// <summary>Listens to the RoutingSdk meter and activity source, as an OpenTelemetry exporter would, and sums what it hears.</summary>
internal sealed class TelemetrySummary : IDisposable
{
    private readonly MeterListener _meters = new();
    private readonly ActivityListener _activities;
    private readonly ConcurrentDictionary<string, double> _totals = new();
    private long _downgrades;
    private long _routeSpans;
    private long _tierSpans;

    public TelemetrySummary()
    {
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RoutingTelemetry.Name) listener.EnableMeasurementEvents(instrument);
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _meters.Start();
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RoutingTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity => Interlocked.Increment(ref activity.Kind == ActivityKind.Client ? ref _tierSpans : ref _routeSpans),
        };
        ActivitySource.AddActivityListener(_activities);
    }

    public long Downgrades => Interlocked.Read(ref _downgrades);

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var name = instrument.Name;
        if (name == RoutingTelemetry.Downgrades) Interlocked.Increment(ref _downgrades);
        if (name == RoutingTelemetry.TokenUsage)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "gen_ai.token.type") name += " (" + tag.Value + ")";
            }
        }

        if (name == RoutingTelemetry.OperationDuration) return;   // the simulated tiers take no time
        _totals.AddOrUpdate(name, value, (_, total) => total + value);
    }

    public void Print()
    {
        Console.WriteLine("Telemetry heard on the 'RoutingSdk' meter and activity source (no prompt or answer in any tag):");
        foreach (var (name, total) in _totals.OrderBy(t => t.Key, StringComparer.Ordinal))
            Console.WriteLine(name.EndsWith("cost", StringComparison.Ordinal) || name.EndsWith("saved", StringComparison.Ordinal)
                ? $"  {name,-36} {total,16:0.000000} USD"
                : $"  {name,-36} {total,16:N0}");
        Console.WriteLine($"  {"spans: routed calls / tier calls",-36} {Interlocked.Read(ref _routeSpans),16:N0} / {Interlocked.Read(ref _tierSpans):N0}");
    }

    public void Dispose()
    {
        _meters.Dispose();
        _activities.Dispose();
    }
}
