using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using RoutingSdk.Calibration;
using RoutingSdk.Cli.Plot;

namespace RoutingSdk.Cli;

/// <summary>
/// The cost–quality picture of an evaluation: one panel per task (two columns when there is more than one task),
/// quality against USD per query on a log scale, a line through the single models in cost order with each model's
/// name, a marker for the calibrated plan and a dashed line at the target. Every text is placed from measured boxes
/// (<see cref="TextMetrics"/>) so that none overlaps another or leaves its panel; a model name that finds no free place
/// is left off (its point keeps it as a tooltip).
/// </summary>
internal static class FrontierPlot
{
    public const int PanelWidth = 560;
    public const int PanelHeight = 380;
    private const double TitleSize = 15, TickSize = 11, AxisTitleSize = 12, LabelSize = 10.5, LegendSize = 11;
    private const string ModelColor = "#5a6e8c", PlanColor = "#d62728", TargetColor = "#2ca02c", GridColor = "#e4e4e4";

    // The plot area inside a panel: room for the title above, tick labels and the axis title left, tick labels, the
    // axis title and two legend rows below.
    private static readonly Box Area = new(72, 46, PanelWidth - 24, PanelHeight - 100);

    /// <summary>The SVG document with every task's panel in a grid.</summary>
    public static string Svg(Evaluation evaluation, double target)
    {
        var count = evaluation.Tasks.Count;
        var columns = count > 1 ? 2 : 1;
        var rows = Math.Max(1, (count + columns - 1) / columns);
        var width = columns * PanelWidth;
        var height = rows * PanelHeight;
        var svg = new SvgBuilder();
        svg.Raw("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
        svg.Raw(string.Format(CultureInfo.InvariantCulture,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" font-family=\"{2}\">\n",
            width, height, TextMetrics.FontFamily));
        svg.Raw("<title>Quality against cost per task: single models and the calibrated plan</title>\n");
        svg.Rect(0, 0, width, height, "white");
        for (var i = 0; i < count; i++)
        {
            svg.Offset = ((i % columns) * PanelWidth, (i / columns) * PanelHeight);
            svg.Raw($"<g class=\"panel\" id=\"panel-{i + 1}\">\n");
            Panel(svg, evaluation.Tasks[i], target);
            svg.Raw("</g>\n");
        }

        svg.Offset = (0, 0);
        svg.Raw("</svg>\n");
        return svg.ToString();
    }

    private static void Panel(SvgBuilder svg, TaskEvaluation task, double target)
    {
        var title = TextMetrics.Fit(task.Task, TitleSize, PanelWidth - 20, bold: true);
        svg.Text(title, PanelWidth / 2.0, 26, TitleSize, "middle", bold: true);
        var models = task.Models.Where(m => m.CostUsd > 0).OrderBy(m => m.CostUsd).ToArray();
        var costs = models.Select(m => m.CostUsd).Concat(task.CostUsd > 0 ? new[] { task.CostUsd } : Array.Empty<double>()).ToArray();
        var targetQuality = target * task.BestQuality;
        if (costs.Length == 0)
        {
            svg.Text("no model has a cost: nothing to plot", PanelWidth / 2.0, PanelHeight / 2.0, AxisTitleSize, "middle");
            return;
        }

        var qualities = models.Select(m => m.Quality).Append(task.Quality).Append(targetQuality).ToArray();
        var (yMin, yMax, yTicks) = PlotAxes.Linear(qualities);
        var (xMin, xMax, xTicks) = PlotAxes.Log(costs);
        // Data map into the area less an inner margin, so that markers at the range's ends stay whole.
        const double inner = 10;
        double X(double cost) => Area.Left + inner + (Math.Log10(cost) - xMin) / (xMax - xMin) * (Area.Width - 2 * inner);
        double Y(double quality) => Area.Bottom - inner - (quality - yMin) / (yMax - yMin) * (Area.Height - 2 * inner);

        svg.Rect(Area.Left, Area.Top, Area.Width, Area.Height, "white", "#999");
        foreach (var t in yTicks)
        {
            svg.Line(Area.Left, Y(t), Area.Right, Y(t), GridColor);
            svg.Text(t.ToString("0.00#", CultureInfo.InvariantCulture), Area.Left - 6, Y(t) + TickSize * 0.35, TickSize, "end");
        }

        // Decades first, then the 2s and 5s between where they fit: a tick label is kept only when it clears every label
        // kept before, so that they never run together.
        var placed = new List<Box>();
        foreach (var t in xTicks.OrderBy(t => IsDecade(t) ? 0 : 1).ThenBy(t => t))
        {
            var label = "$" + t.ToString("0.##########", CultureInfo.InvariantCulture);
            var box = TextMetrics.Box(label, X(t), Area.Bottom + 18, TickSize, "middle");
            svg.Line(X(t), Area.Top, X(t), Area.Bottom, GridColor);
            if (placed.Any(p => p.Overlaps(box, 8)) || box.Left < 2 || box.Right > PanelWidth - 2) continue;
            svg.Text(label, X(t), Area.Bottom + 18, TickSize, "middle");
            placed.Add(box);
        }

        svg.Text("USD per query (log scale)", (Area.Left + Area.Right) / 2, Area.Bottom + 40, AxisTitleSize, "middle");
        svg.Text("quality", 20, (Area.Top + Area.Bottom) / 2, AxisTitleSize, "middle", rotate: true);

        svg.Line(Area.Left, Y(targetQuality), Area.Right, Y(targetQuality), TargetColor, 1.5, "6,4");
        svg.Polyline(models.Select(m => (X(m.CostUsd), Y(m.Quality))), ModelColor, 1.5);
        var obstacles = new List<Box>();
        foreach (var m in models)
        {
            svg.Circle(X(m.CostUsd), Y(m.Quality), 4, ModelColor, Describe(m.Model, m.Quality, m.CostUsd));
            obstacles.Add(new Box(X(m.CostUsd) - 4, Y(m.Quality) - 4, X(m.CostUsd) + 4, Y(m.Quality) + 4));
        }

        if (task.CostUsd > 0)
        {
            svg.Diamond(X(task.CostUsd), Y(task.Quality), 8, PlanColor, Describe("calibrated plan", task.Quality, task.CostUsd));
            obstacles.Add(new Box(X(task.CostUsd) - 8, Y(task.Quality) - 8, X(task.CostUsd) + 8, Y(task.Quality) + 8));
        }

        var points = models.Select(m => (X(m.CostUsd), Y(m.Quality))).ToArray();
        foreach (var m in models) Label(svg, m.Model, X(m.CostUsd), Y(m.Quality), obstacles, points);
        Legend(svg, target);
    }

    /// <summary>
    /// Puts a model's name next to its point: above, below, right, left, then the diagonals, then further above or below
    /// with a leader line; the first place inside the plot area that overlaps no text and no marker, and (without a leader
    /// line) lies nearer its own point than any other point, wins.
    /// </summary>
    private static void Label(SvgBuilder svg, string text, double x, double y, List<Box> taken, IReadOnlyList<(double X, double Y)> points)
    {
        var width = TextMetrics.Width(text, LabelSize);
        var height = TextMetrics.Height(LabelSize);
        var places = new List<(double Dx, double Dy, bool Leader)>
        {
            (-width / 2, -7 - height, false), (-width / 2, 7, false), (8, -height / 2, false), (-8 - width, -height / 2, false),
            (6, -6 - height, false), (-6 - width, -6 - height, false), (6, 6, false), (-6 - width, 6, false),
        };
        for (var k = 1; k <= 6; k++)
        {
            places.Add((-width / 2, -7 - height - k * (height + 2), true));
            places.Add((-width / 2, 7 + k * (height + 2), true));
        }

        var inside = new Box(Area.Left + 2, Area.Top + 2, Area.Right - 2, Area.Bottom - 2);
        foreach (var (dx, dy, leader) in places)
        {
            var box = new Box(x + dx, y + dy, x + dx + width, y + dy + height);
            if (!box.Inside(inside) || taken.Any(t => t.Overlaps(box, 1))) continue;
            var own = Distance(box, x, y);
            if (!leader && points.Any(p => (p.X != x || p.Y != y) && Distance(box, p.X, p.Y) < own + 3)) continue;
            taken.Add(box);
            if (leader) svg.Line(x, y, x, dy < 0 ? box.Bottom : box.Top, "#aaa", 0.8);
            svg.Text(text, box.Left, box.Top + LabelSize * 0.95, LabelSize, fill: "#333");
            return;
        }
    }

    /// <summary>The legend under the axis title: one entry after another, wrapped onto a second row when they do not fit.</summary>
    private static void Legend(SvgBuilder svg, double target)
    {
        var entries = new (string Text, Action<double, double> Mark)[]
        {
            ("single models", (x, y) => { svg.Line(x, y, x + 18, y, ModelColor, 1.5); svg.Circle(x + 9, y, 4, ModelColor); }),
            ("calibrated plan", (x, y) => svg.Diamond(x + 9, y, 7, PlanColor)),
            (string.Format(CultureInfo.InvariantCulture, "{0:0.##}× the best model's quality", target), (x, y) => svg.Line(x, y, x + 18, y, TargetColor, 1.5, "6,4")),
        };
        var left = Area.Left;
        var baseline = Area.Bottom + 66;
        var cursor = left;
        foreach (var (text, mark) in entries)
        {
            var width = 24 + TextMetrics.Width(text, LegendSize);
            if (cursor > left && cursor + width > PanelWidth - 10)
            {
                cursor = left;
                baseline += 20;
            }

            mark(cursor, baseline - LegendSize * 0.35);
            svg.Text(text, cursor + 24, baseline, LegendSize);
            cursor += width + 20;
        }
    }

    /// <summary>The distance from a point to the nearest edge of a box (0 inside it).</summary>
    private static double Distance(Box box, double x, double y)
    {
        var dx = Math.Max(Math.Max(box.Left - x, 0), x - box.Right);
        var dy = Math.Max(Math.Max(box.Top - y, 0), y - box.Bottom);
        return Math.Sqrt(dx * dx + dy * dy);
    }

    private static bool IsDecade(double value) => Math.Abs(Math.Log10(value) - Math.Round(Math.Log10(value))) < 1e-9;

    private static string Describe(string name, double quality, double cost)
        => string.Format(CultureInfo.InvariantCulture, "{0}: quality {1:0.000}, ${2:0.########} per query", name, quality, cost);
}
