using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration;

/// <summary>
/// Writes <c>routing.calibration.json</c> in the format <see cref="CalibrationFile.Parse"/> reads (docs/calibration.md):
/// indented JSON, invariant culture, tasks in order. Numbers are written in plain decimal notation: the fitted values that
/// decisions compare against (thresholds, acceptor parameters) as their shortest round-trip text, the measured figures
/// (qualities, costs, shares, margins) rounded to 12 significant digits first, which drops the noise of sums and means
/// (<c>6.1000000000000026E-05</c> is written <c>0.000061</c>). A threshold of -∞ is written <c>"any"</c>.
/// </summary>
internal static class CalibrationFileWriter
{
    /// <summary>Writes a calibration as indented JSON.</summary>
    public static string Write(RoutingCalibration calibration)
    {
        if (calibration is null) throw new ArgumentNullException(nameof(calibration));
        var w = new StringBuilder();
        w.Append("{\n  \"version\": ").Append(CalibrationFile.Version).Append(",\n");
        if (calibration.Target is { } target) w.Append("  \"target\": ").Append(Figure(target)).Append(",\n");
        w.Append("  \"tasks\": {");
        for (var t = 0; t < calibration.Tasks.Count; t++)
        {
            var task = calibration.Tasks[t];
            w.Append(t == 0 ? "\n" : ",\n").Append("    ").Append(Str(task.Task)).Append(": {\n");
            var members = new List<string>
            {
                "\"chain\": [" + string.Join(", ", task.Chain.Select(Str)) + "]",
                "\"thresholds\": [" + string.Join(", ", task.Thresholds.Select(Threshold)) + "]",
            };
            if (task.Scale is { } scale) members.Insert(1, "\"confidenceScale\": " + Str(scale == ConfidenceScale.Probability ? "probability" : "logprob"));
            if (task.Acceptors is { } acceptors)
            {
                members.Add("\"acceptors\": [" + string.Join(",", acceptors.Select(a =>
                    "\n        { \"bias\": " + Num(a.Bias) + ", \"weights\": [" + string.Join(", ", a.Weights.Select(Num)) + "], \"minProbability\": " + Num(a.MinProbability)
                    + (a.SkipBelow != 0 ? ", \"skipBelow\": " + Num(a.SkipBelow) : string.Empty) + " }")) + "\n      ]");
            }

            if (task.Agreement is { } agreement) members.Add("\"agreement\": [" + string.Join(", ", agreement.Select(a => double.IsNaN(a) ? "null" : Figure(a))) + "]");
            if (task.Reach is { } reach) members.Add("\"reach\": [" + string.Join(", ", reach.Select(Figure)) + "]");
            if (task.ExpectedQuality is { } q) members.Add("\"expectedQuality\": " + Figure(q));
            if (task.ExpectedCostUsd is { } c) members.Add("\"expectedCostUsd\": " + Figure(c));
            if (task.BestModel is { } best) members.Add("\"bestModel\": " + Str(best));
            if (task.Margin is { } margin) members.Add("\"margin\": " + Figure(margin));
            if (task.Bound is { } bound)
            {
                members.Add("\"qualityBound\": " + Figure(bound.RelativeQuality));
                members.Add("\"boundConfidence\": " + Figure(bound.Confidence));
                members.Add("\"boundQueries\": " + bound.Queries.ToString(CultureInfo.InvariantCulture));
            }
            members.Add("\"models\": {" + string.Join(",", task.Models.Select(m =>
                "\n        " + Str(m.Model) + ": { \"quality\": " + Figure(m.Quality) + ", \"costUsd\": " + Figure(m.CostUsd) + " }")) + "\n      }");
            w.Append("      ").Append(string.Join(",\n      ", members)).Append("\n    }");
        }

        w.Append(calibration.Tasks.Count == 0 ? "}\n}\n" : "\n  }\n}\n");
        return w.ToString();
    }

    /// <summary>A value decisions compare against: exact (shortest round-trip), in plain notation.</summary>
    internal static string Num(double value) => Plain(value.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>A measured figure: rounded to 12 significant digits, then shortest round-trip, in plain notation.</summary>
    internal static string Figure(double value)
        => double.IsNaN(value) || double.IsInfinity(value) ? Num(value)
            : Num(double.Parse(value.ToString("G12", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture));

    private static string Threshold(double value) => double.IsNegativeInfinity(value) ? Str(CalibrationFile.AcceptAny) : Num(value);

    /// <summary>A number's round-trip text with its exponent moved into the digits (6.1E-05 → 0.000061); exponents beyond ±20 are kept.</summary>
    private static string Plain(string text)
    {
        var e = text.IndexOfAny(new[] { 'E', 'e' });
        if (e < 0) return text;
        var exponent = int.Parse(text.Substring(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (Math.Abs(exponent) > 20) return text;
        var mantissa = text.Substring(0, e);
        var negative = mantissa.StartsWith("-", StringComparison.Ordinal);
        if (negative) mantissa = mantissa.Substring(1);
        var point = mantissa.IndexOf('.');
        var digits = mantissa.Replace(".", string.Empty);
        var at = (point < 0 ? mantissa.Length : point) + exponent;
        var plain = at <= 0 ? "0." + new string('0', -at) + digits
            : at >= digits.Length ? digits + new string('0', at - digits.Length)
            : digits.Substring(0, at) + "." + digits.Substring(at);
        return (negative ? "-" : string.Empty) + plain;
    }

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
