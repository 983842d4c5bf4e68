using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace RoutingSdk.Cli.Plot;

/// <summary>Writes SVG elements at an offset (the panel's corner), with invariant numbers and escaped text.</summary>
internal sealed class SvgBuilder
{
    private readonly StringBuilder _svg = new();

    /// <summary>The offset added to every coordinate.</summary>
    public (double X, double Y) Offset { get; set; }

    public void Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, string? dash = null)
        => _svg.Append($"<line x1=\"{N(x1 + Offset.X)}\" y1=\"{N(y1 + Offset.Y)}\" x2=\"{N(x2 + Offset.X)}\" y2=\"{N(y2 + Offset.Y)}\" stroke=\"{stroke}\" stroke-width=\"{N(width)}\""
            + (dash is null ? string.Empty : $" stroke-dasharray=\"{dash}\"") + "/>\n");

    public void Polyline(IEnumerable<(double X, double Y)> points, string stroke, double width)
        => _svg.Append("<polyline fill=\"none\" stroke=\"").Append(stroke).Append("\" stroke-width=\"").Append(N(width)).Append("\" points=\"")
            .Append(string.Join(" ", points.Select(p => N(p.X + Offset.X) + "," + N(p.Y + Offset.Y)))).Append("\"/>\n");

    public void Circle(double x, double y, double r, string fill, string? tooltip = null)
        => _svg.Append($"<circle cx=\"{N(x + Offset.X)}\" cy=\"{N(y + Offset.Y)}\" r=\"{N(r)}\" fill=\"{fill}\"")
            .Append(tooltip is null ? "/>\n" : $"><title>{Escape(tooltip)}</title></circle>\n");

    public void Diamond(double x, double y, double r, string fill, string? tooltip = null)
    {
        x += Offset.X;
        y += Offset.Y;
        _svg.Append($"<polygon fill=\"{fill}\" points=\"{N(x)},{N(y - r)} {N(x + r)},{N(y)} {N(x)},{N(y + r)} {N(x - r)},{N(y)}\"")
            .Append(tooltip is null ? "/>\n" : $"><title>{Escape(tooltip)}</title></polygon>\n");
    }

    public void Rect(double x, double y, double width, double height, string fill, string? stroke = null)
        => _svg.Append($"<rect x=\"{N(x + Offset.X)}\" y=\"{N(y + Offset.Y)}\" width=\"{N(width)}\" height=\"{N(height)}\" fill=\"{fill}\"")
            .Append(stroke is null ? "/>\n" : $" stroke=\"{stroke}\"/>\n");

    /// <summary>A text at (x, baseline y); <paramref name="rotate"/> turns it -90° about that point (a vertical axis title).</summary>
    public void Text(string text, double x, double y, double size, string anchor = "start", bool bold = false, string fill = "#222", bool rotate = false)
    {
        x += Offset.X;
        y += Offset.Y;
        _svg.Append($"<text x=\"{N(x)}\" y=\"{N(y)}\" font-size=\"{N(size)}\" text-anchor=\"{anchor}\" fill=\"{fill}\"")
            .Append(bold ? " font-weight=\"bold\"" : string.Empty)
            .Append(rotate ? $" transform=\"rotate(-90 {N(x)} {N(y)})\"" : string.Empty)
            .Append('>').Append(Escape(text)).Append("</text>\n");
    }

    public void Raw(string text) => _svg.Append(text);

    public override string ToString() => _svg.ToString();

    public static string N(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    public static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");
}
