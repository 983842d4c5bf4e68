using System.Globalization;
using System.Xml.Linq;
using RoutingSdk.Cli;
using RoutingSdk.Cli.Plot;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration.Tests;

public sealed class FrontierPlotTests
{
    private static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    /// <summary>A crowded task: a long name, models at nearly the same cost and quality, quality spanning 0.93–1.</summary>
    private static TaskEvaluation Crowded(string name) => new(name, 100, "big-model-2", 1.0, 0.004, 0.985, 0.0009,
        new[] { "small-model-a", "big-model-2" }, new[] { 0.7, 0.3 },
        new[]
        {
            new ModelFigures("small-model-a", 0.93, 0.00002), new ModelFigures("small-model-b", 0.935, 0.000021),
            new ModelFigures("small-model-c", 0.94, 0.000022), new ModelFigures("mid-model-1", 0.97, 0.0003),
            new ModelFigures("mid-model-2", 0.972, 0.00031), new ModelFigures("big-model-1", 0.99, 0.0039), new ModelFigures("big-model-2", 1.0, 0.004),
        });

    [RsvgFact]
    public void No_text_overlaps_another_or_leaves_its_panel()
    {
        var evaluation = new Evaluation(new[]
        {
            Crowded("SupportDesk.ClassifyCustomerEmailByDepartmentAndUrgencyWithAVeryLongTaskNameAsync/with-a-chain-suffix"),
            Crowded("gsm8k/llama"),
            Crowded("third"),
        });
        var svg = FrontierPlot.Svg(evaluation, 0.95);
        File.WriteAllBytes(Path.Combine(Path.GetTempPath(), "routingsdk-frontier-plot-test.png"), SvgRendering.RenderPng(svg));
        var ink = SvgRendering.TextInk(svg, Expected);
        Assert.True(ink.Count > 60, $"only {ink.Count} texts");
        var root = XDocument.Parse(svg).Root!;
        var canvas = new Box(0, 0, double.Parse(root.Attribute("width")!.Value, CultureInfo.InvariantCulture), double.Parse(root.Attribute("height")!.Value, CultureInfo.InvariantCulture));
        foreach (var (text, box) in ink)
        {
            var column = Math.Floor((box.Left + box.Right) / 2 / FrontierPlot.PanelWidth);
            var row = Math.Floor((box.Top + box.Bottom) / 2 / FrontierPlot.PanelHeight);
            var panel = new Box(column * FrontierPlot.PanelWidth, row * FrontierPlot.PanelHeight, (column + 1) * FrontierPlot.PanelWidth, (row + 1) * FrontierPlot.PanelHeight);
            Assert.True(box.Inside(canvas) && box.Inside(panel), $"'{text}' at {box} leaves its panel {panel}");
        }

        for (var i = 0; i < ink.Count; i++)
        {
            for (var j = i + 1; j < ink.Count; j++)
                Assert.False(ink[i].Ink.Overlaps(ink[j].Ink), $"'{ink[i].Text}' at {ink[i].Ink} overlaps '{ink[j].Text}' at {ink[j].Ink}");
        }

        // The crowded labels that found a place are most of them; the long title was shortened, not cut by the edge.
        Assert.True(ink.Count(t => t.Text.Contains("-model-", StringComparison.Ordinal)) >= 3 * 5);
        Assert.Contains(ink, t => t.Text.StartsWith("SupportDesk.Classify", StringComparison.Ordinal) && t.Text.Contains('…'));
    }

    /// <summary>The layout's own box of a text element (a rotated one turned about its anchor).</summary>
    private static Box Expected(XElement text)
    {
        double N(string name) => double.Parse(text.Attribute(name)!.Value, CultureInfo.InvariantCulture);
        var box = TextMetrics.Box(text.Value, N("x"), N("y"), N("font-size"), text.Attribute("text-anchor")?.Value ?? "start", text.Attribute("font-weight") is not null);
        if (text.Attribute("transform") is null) return box;
        double x = N("x"), y = N("y");
        return new Box(x + (box.Top - y), y - (box.Right - x), x + (box.Bottom - y), y - (box.Left - x));
    }

    [Fact]
    public void The_quality_axis_spans_the_data_not_zero_to_one()
    {
        var (min, max, ticks) = PlotAxes.Linear(new[] { 0.93, 0.95, 0.9335, 1.0 });
        Assert.InRange(min, 0.9, 0.93);
        Assert.Equal(1.0, max);
        Assert.InRange(ticks.Length, 4, 8);
        Assert.Equal(0.0, PlotAxes.Linear(new[] { 0.0, 0.6 }).Min);
    }

    [Fact]
    public void One_task_fills_the_canvas_and_the_font_is_one_every_system_has()
    {
        var svg = FrontierPlot.Svg(new Evaluation(new[] { Crowded("only") }), 0.95);
        var root = XDocument.Parse(svg).Root!;
        Assert.Equal(FrontierPlot.PanelWidth.ToString(CultureInfo.InvariantCulture), root.Attribute("width")!.Value);
        Assert.DoesNotContain("Segoe", svg, StringComparison.Ordinal);
        Assert.EndsWith("sans-serif", root.Attribute("font-family")!.Value, StringComparison.Ordinal);
        Assert.DoesNotContain(root.Descendants(), e => e != root && e.Attribute("font-family") is not null);
    }

    [Fact]
    public void Cost_tick_labels_do_not_run_together()
    {
        var svg = FrontierPlot.Svg(new Evaluation(new[] { Crowded("only") }), 0.95);
        var ticks = XDocument.Parse(svg).Descendants(Ns + "text").Where(t => t.Value.StartsWith('$'))
            .Select(t => TextMetrics.Box(t.Value, double.Parse(t.Attribute("x")!.Value, CultureInfo.InvariantCulture), double.Parse(t.Attribute("y")!.Value, CultureInfo.InvariantCulture), 11, "middle"))
            .OrderBy(b => b.Left).ToArray();
        Assert.True(ticks.Length >= 3, $"{ticks.Length} cost ticks");
        for (var i = 1; i < ticks.Length; i++) Assert.True(ticks[i].Left >= ticks[i - 1].Right + 8, $"tick {i} at {ticks[i]} runs into {ticks[i - 1]}");
    }
}
