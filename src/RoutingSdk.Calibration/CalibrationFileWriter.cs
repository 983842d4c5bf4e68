using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration;

/// <summary>
/// Writes <c>routing.calibration.json</c> in the format <see cref="CalibrationFile.Parse"/> reads (docs/calibration.md):
/// indented JSON, invariant culture, round-trip numbers, tasks in order.
/// </summary>
internal static class CalibrationFileWriter
{
    /// <summary>Writes a calibration as indented JSON (invariant culture, round-trip numbers, tasks in order).</summary>
    public static string Write(RoutingCalibration calibration)
    {
        if (calibration is null) throw new ArgumentNullException(nameof(calibration));
        var w = new StringBuilder();
        w.Append("{\n  \"version\": ").Append(CalibrationFile.Version).Append(",\n");
        if (calibration.Target is { } target) w.Append("  \"target\": ").Append(Num(target)).Append(",\n");
        w.Append("  \"tasks\": {");
        for (var t = 0; t < calibration.Tasks.Count; t++)
        {
            var task = calibration.Tasks[t];
            w.Append(t == 0 ? "\n" : ",\n").Append("    ").Append(Str(task.Task)).Append(": {\n");
            var members = new List<string>
            {
                "\"chain\": [" + string.Join(", ", task.Chain.Select(Str)) + "]",
                "\"thresholds\": [" + string.Join(", ", task.Thresholds.Select(Num)) + "]",
            };
            if (task.Scale is { } scale) members.Insert(1, "\"confidenceScale\": " + Str(scale == ConfidenceScale.Probability ? "probability" : "logprob"));
            if (task.Acceptors is { } acceptors)
            {
                members.Add("\"acceptors\": [" + string.Join(",", acceptors.Select(a =>
                    "\n        { \"bias\": " + Num(a.Bias) + ", \"weights\": [" + string.Join(", ", a.Weights.Select(Num)) + "], \"minProbability\": " + Num(a.MinProbability)
                    + (a.SkipBelow != 0 ? ", \"skipBelow\": " + Num(a.SkipBelow) : string.Empty) + " }")) + "\n      ]");
            }

            if (task.Reach is { } reach) members.Add("\"reach\": [" + string.Join(", ", reach.Select(Num)) + "]");
            if (task.ExpectedQuality is { } q) members.Add("\"expectedQuality\": " + Num(q));
            if (task.ExpectedCostUsd is { } c) members.Add("\"expectedCostUsd\": " + Num(c));
            if (task.BestModel is { } best) members.Add("\"bestModel\": " + Str(best));
            if (task.Margin is { } margin) members.Add("\"margin\": " + Num(margin));
            members.Add("\"models\": {" + string.Join(",", task.Models.Select(m =>
                "\n        " + Str(m.Model) + ": { \"quality\": " + Num(m.Quality) + ", \"costUsd\": " + Num(m.CostUsd) + " }")) + "\n      }");
            w.Append("      ").Append(string.Join(",\n      ", members)).Append("\n    }");
        }

        w.Append(calibration.Tasks.Count == 0 ? "}\n}\n" : "\n  }\n}\n");
        return w.ToString();
    }

    private static string Num(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Str(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (var ch in value)
        {
            switch (ch)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (ch < ' ') sb.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(ch);
                    break;
            }
        }

        return sb.Append('"').ToString();
    }
}
