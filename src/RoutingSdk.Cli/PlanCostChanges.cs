using System;
using System.Globalization;
using System.IO;
using System.Linq;
using RoutingSdk.Planning;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Cli;

/// <summary>
/// What <c>routing calibrate</c> says when it replaces a calibration file: a warning per task whose plan now costs more
/// per call than the plan it replaces (a dearer chain or looser thresholds, which the new outcomes may justify, but
/// which a reviewer should see before the build picks it up).
/// </summary>
internal static class PlanCostChanges
{
    /// <summary>The previous file at <paramref name="file"/>, or null when there is none or it cannot be read (said on <paramref name="error"/>).</summary>
    public static RoutingCalibration? ReadPrevious(FileInfo file, TextWriter error)
    {
        if (!file.Exists) return null;
        var parsed = CalibrationFile.Parse(File.ReadAllText(file.FullName));
        if (parsed.Calibration.Tasks.Count > 0) return parsed.Calibration;
        error.WriteLine($"warning: the previous {file.Name} could not be read ({parsed.Errors.FirstOrDefault()?.Message ?? "no task"}); the new plans are not compared with it");
        return null;
    }

    /// <summary>Warns per task of <paramref name="next"/> whose expected USD per call is higher than in <paramref name="previous"/>.</summary>
    public static void Report(TextWriter error, RoutingCalibration? previous, RoutingCalibration next, string fileName)
    {
        if (previous is null) return;
        foreach (var task in next.Tasks)
        {
            var before = previous.Tasks.FirstOrDefault(t => t.Task == task.Task);
            if (before?.ExpectedCostUsd is not { } old || task.ExpectedCostUsd is not { } now) continue;
            // Figures are written rounded to 12 significant digits; a difference below that is no change.
            if (now <= old * (1 + 1e-9)) continue;
            error.WriteLine($"warning: task '{task.Task}' now costs {Usd(now)} per call, up from {Usd(old)} ({Ratio(now, old)}) in the previous {fileName}: "
                + $"chain {string.Join(" > ", task.Chain)} (was {string.Join(" > ", before.Chain)}), expected quality {Q(task.ExpectedQuality)} (was {Q(before.ExpectedQuality)})");
        }
    }

    private static string Usd(double value) => Money.Format((decimal)value);

    private static string Ratio(double now, double old) => old > 0 ? (now / old).ToString("0.##", CultureInfo.InvariantCulture) + "×" : "was free";

    private static string Q(double? quality) => quality is { } q ? q.ToString("0.000", CultureInfo.InvariantCulture) : "unknown";
}
