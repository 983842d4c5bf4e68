using System;
using System.Globalization;
using System.Linq;
using System.Text;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;
using RoutingSdk.Calibration;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Cli;

/// <summary>
/// The cost–quality picture of an evaluation: one panel per task, quality against USD per query (log scale), a line
/// through the single models in cost order and a marker for the calibrated plan. Drawn with OxyPlot's SVG exporter.
/// </summary>
internal static class FrontierPlot
{
    public const int PanelWidth = 520;
    public const int PanelHeight = 360;
    private const int Columns = 2;

    /// <summary>The SVG document with every task's panel in a grid.</summary>
    public static string Svg(Evaluation evaluation, double target)
    {
        var count = evaluation.Tasks.Count;
        var rows = (count + Columns - 1) / Columns;
        var width = Columns * PanelWidth;
        var height = Math.Max(1, rows) * PanelHeight;
        var svg = new StringBuilder();
        svg.Append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
        svg.Append(string.Format(CultureInfo.InvariantCulture,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\">\n", width, height));
        svg.Append("<title>Quality against cost per task: single models and the calibrated plan</title>\n");
        for (var i = 0; i < count; i++)
        {
            var panel = SvgExporter.ExportToString(Panel(evaluation.Tasks[i], target), PanelWidth, PanelHeight, false);
            var start = panel.IndexOf("<svg", StringComparison.Ordinal);
            if (start < 0) continue;
            panel = panel.Substring(start);
            var position = string.Format(CultureInfo.InvariantCulture, "<svg x=\"{0}\" y=\"{1}\" ", (i % Columns) * PanelWidth, (i / Columns) * PanelHeight);
            svg.Append(position).Append(panel.Substring(5)).Append('\n');
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>One task's panel.</summary>
    public static PlotModel Panel(TaskEvaluation task, double target)
    {
        var model = new PlotModel { Title = task.Task, Background = OxyColors.White };
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.BottomRight, LegendBackground = OxyColor.FromAColor(220, OxyColors.White) });
        var positive = task.Models.Where(m => m.CostUsd > 0).Select(m => m.CostUsd).Concat(new[] { task.CostUsd }).Where(c => c > 0).ToArray();
        model.Axes.Add(new LogarithmicAxis
        {
            Position = AxisPosition.Bottom,
            Title = "USD per query",
            Minimum = positive.Length == 0 ? 1e-6 : positive.Min() / 1.6,
            Maximum = positive.Length == 0 ? 1 : positive.Max() * 1.6,
            StringFormat = "0.#####",
        });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "quality", Minimum = 0, Maximum = 1.05, MajorStep = 0.2 });
        var singles = new LineSeries
        {
            Title = "single models",
            Color = OxyColor.FromRgb(90, 110, 140),
            MarkerType = MarkerType.Circle,
            MarkerSize = 4,
        };
        foreach (var m in task.Models.Where(m => m.CostUsd > 0)) singles.Points.Add(new DataPoint(m.CostUsd, m.Quality));
        model.Series.Add(singles);
        foreach (var m in task.Models.Where(m => m.CostUsd > 0))
        {
            model.Annotations.Add(new TextAnnotation
            {
                Text = m.Model,
                TextPosition = new DataPoint(m.CostUsd, m.Quality),
                TextVerticalAlignment = VerticalAlignment.Bottom,
                TextColor = OxyColor.FromRgb(60, 60, 60),
                FontSize = 10,
                Stroke = OxyColors.Transparent,
                Offset = new ScreenVector(0, -6),
            });
        }
        var plan = new ScatterSeries { Title = "calibrated plan", MarkerType = MarkerType.Diamond, MarkerSize = 8, MarkerFill = OxyColor.FromRgb(214, 39, 40) };
        if (task.CostUsd > 0) plan.Points.Add(new ScatterPoint(task.CostUsd, task.Quality));
        model.Series.Add(plan);
        var line = new LineSeries { Title = string.Format(CultureInfo.InvariantCulture, "{0:0.##}× the best model", target), Color = OxyColor.FromRgb(44, 160, 44), LineStyle = LineStyle.Dash };
        if (positive.Length > 0)
        {
            line.Points.Add(new DataPoint(positive.Min() / 1.6, target * task.BestQuality));
            line.Points.Add(new DataPoint(positive.Max() * 1.6, target * task.BestQuality));
        }

        model.Series.Add(line);
        return model;
    }
}
