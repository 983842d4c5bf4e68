using System.Collections.Generic;
using System.Diagnostics.Metrics;

namespace RoutingSdk;

/// <summary>The shadow guardrail's instruments on the <c>RoutingSdk</c> meter.</summary>
internal static class QualityTelemetry
{
    /// <summary>Per shadow comparison: the agreement of the position's current window (tags: task, tier, level).</summary>
    public const string Agreement = "routingsdk.quality.agreement";

    /// <summary>The level a task's position is tightened by, as an up-down sum of its changes (0: as calibrated).</summary>
    public const string Tightened = "routingsdk.quality.tightened";

    /// <summary>Shadow calls by result: agreed, disagreed, failed, skipped_budget, skipped_cap, no_client.</summary>
    public const string ShadowCalls = "routingsdk.quality.shadow_calls";

    /// <summary>Calibration samples (<see cref="ShadowOptions.CalibrationRate"/>) by result: written, failed, skipped_budget, skipped_cap, no_client.</summary>
    public const string CalibrationSamples = "routingsdk.quality.calibration_samples";

    internal static readonly Histogram<double> AgreementHistogram = RoutingTelemetry.Meter.CreateHistogram<double>(Agreement, "1", "Agreement of the accepted answers with the last tier over the position's window of shadow comparisons.");
    internal static readonly UpDownCounter<int> TightenedCounter = RoutingTelemetry.Meter.CreateUpDownCounter<int>(Tightened, "{level}", "Levels by which the guardrail has tightened a task's positions.");
    internal static readonly Counter<long> ShadowCounter = RoutingTelemetry.Meter.CreateCounter<long>(ShadowCalls, "{call}", "Shadow calls of the quality guardrail, by result.");

    internal static readonly Counter<long> SampleCounter = RoutingTelemetry.Meter.CreateCounter<long>(CalibrationSamples, "{sample}", "Calls sent to every tier of their chain for the calibration sample, by result.");

    public static void RecordSample(string task, string tier, string result)
    {
        if (SampleCounter.Enabled)
            SampleCounter.Add(1, new KeyValuePair<string, object?>(RoutingTelemetry.TaskTag, task), new KeyValuePair<string, object?>(RoutingTelemetry.TierTag, tier), new KeyValuePair<string, object?>("routingsdk.result", result));
    }

    public static void RecordShadow(string task, string tier, string result)
    {
        if (ShadowCounter.Enabled)
            ShadowCounter.Add(1, new KeyValuePair<string, object?>(RoutingTelemetry.TaskTag, task), new KeyValuePair<string, object?>(RoutingTelemetry.TierTag, tier), new KeyValuePair<string, object?>("routingsdk.result", result));
    }

    public static void RecordAgreement(string task, string tier, double agreement, int level)
    {
        if (AgreementHistogram.Enabled && !double.IsNaN(agreement))
            AgreementHistogram.Record(agreement, new KeyValuePair<string, object?>(RoutingTelemetry.TaskTag, task), new KeyValuePair<string, object?>(RoutingTelemetry.TierTag, tier), new KeyValuePair<string, object?>("routingsdk.level", level));
    }

    public static void RecordLevelChange(string task, string tier, int change)
    {
        if (TightenedCounter.Enabled && change != 0)
            TightenedCounter.Add(change, new KeyValuePair<string, object?>(RoutingTelemetry.TaskTag, task), new KeyValuePair<string, object?>(RoutingTelemetry.TierTag, tier));
    }
}
