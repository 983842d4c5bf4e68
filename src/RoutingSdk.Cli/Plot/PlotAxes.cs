using System;
using System.Collections.Generic;
using System.Linq;

namespace RoutingSdk.Cli.Plot;

/// <summary>Axis ranges and tick values: a linear axis fitted to the data's span, a log axis over the costs.</summary>
internal static class PlotAxes
{
    /// <summary>
    /// A linear range around <paramref name="values"/> with round ticks (steps of 1, 2, 2.5 or 5 × 10^k, about five), kept
    /// within 0–1 when the values are; a span under 0.02 is widened to 0.02.
    /// </summary>
    public static (double Min, double Max, double[] Ticks) Linear(IReadOnlyCollection<double> values)
    {
        var lo = values.Min();
        var hi = values.Max();
        if (hi - lo < 0.02)
        {
            var middle = (lo + hi) / 2;
            lo = middle - 0.01;
            hi = middle + 0.01;
        }

        var step = NiceStep((hi - lo) / 5);
        var min = Math.Floor(lo / step + 1e-9) * step;
        var max = Math.Ceiling(hi / step - 1e-9) * step;
        if (values.Min() >= 0) min = Math.Max(0, min);
        if (values.Max() <= 1) max = Math.Min(1, max);
        var ticks = new List<double>();
        for (var t = min; t <= max + step * 1e-6; t += step) ticks.Add(Math.Round(t, 10));
        return (min, max, ticks.ToArray());
    }

    /// <summary>
    /// A log10 range around the positive <paramref name="values"/> (at least 0.4 decades, padded a tenth of the span each
    /// side) and its candidate ticks: decades, with 2 and 5 between when the range is under three decades.
    /// </summary>
    public static (double LogMin, double LogMax, double[] Ticks) Log(IReadOnlyCollection<double> values)
    {
        var lo = Math.Log10(values.Min());
        var hi = Math.Log10(values.Max());
        if (hi - lo < 0.4)
        {
            var middle = (lo + hi) / 2;
            lo = middle - 0.2;
            hi = middle + 0.2;
        }

        var pad = (hi - lo) / 10;
        lo -= pad;
        hi += pad;
        var multiples = hi - lo < 3 ? new[] { 1.0, 2, 5 } : new[] { 1.0 };
        var ticks = new List<double>();
        for (var k = (int)Math.Floor(lo); k <= (int)Math.Ceiling(hi); k++)
        {
            foreach (var m in multiples)
            {
                var value = m * Math.Pow(10, k);
                var log = Math.Log10(value);
                if (log >= lo && log <= hi) ticks.Add(double.Parse(value.ToString("G3", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return (lo, hi, ticks.ToArray());
    }

    /// <summary>The round step (1, 2, 2.5 or 5 × 10^k) nearest above <paramref name="rough"/>.</summary>
    public static double NiceStep(double rough)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        foreach (var m in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (m * power >= rough * 0.999) return m * power;
        }

        return 10 * power;
    }
}
