using System;

namespace RoutingSdk.Cli.Plot;

/// <summary>An axis-aligned box in SVG user units (y grows downwards).</summary>
internal readonly record struct Box(double Left, double Top, double Right, double Bottom)
{
    public double Width => Right - Left;

    public double Height => Bottom - Top;

    /// <summary>Whether the boxes share an area wider than <paramref name="gap"/> apart (touching is not overlapping).</summary>
    public bool Overlaps(Box other, double gap = 0)
        => Left < other.Right + gap && other.Left < Right + gap && Top < other.Bottom + gap && other.Top < Bottom + gap;

    /// <summary>Whether this box lies inside <paramref name="outer"/>.</summary>
    public bool Inside(Box outer) => Left >= outer.Left && Top >= outer.Top && Right <= outer.Right && Bottom <= outer.Bottom;
}

/// <summary>
/// Text sizes for layout, without a font engine: advance widths of DejaVu Sans (the plot's first font; Verdana, its
/// Windows fallback, is as wide), rounded up per character class, so that an estimate is never narrower than the text
/// drawn. The plot test renders the SVG and checks the real boxes.
/// </summary>
internal static class TextMetrics
{
    /// <summary>The font families of every text: DejaVu Sans on Linux, Verdana on Windows, else the generic sans-serif.</summary>
    public const string FontFamily = "DejaVu Sans, Verdana, sans-serif";

    /// <summary>The estimated width of <paramref name="text"/> at <paramref name="size"/> (bold adds a tenth).</summary>
    public static double Width(string text, double size, bool bold = false)
    {
        double em = 0;
        foreach (var c in text) em += Advance(c);
        return em * size * (bold ? 1.1 : 1.0);
    }

    /// <summary>The height of a line of text: ascender to descender.</summary>
    public static double Height(double size) => size * 1.2;

    /// <summary>The box of a text anchored at (x, baseline y) with <paramref name="anchor"/> start, middle or end.</summary>
    public static Box Box(string text, double x, double y, double size, string anchor = "start", bool bold = false)
    {
        var width = Width(text, size, bold);
        var left = anchor switch { "middle" => x - width / 2, "end" => x - width, _ => x };
        // DejaVu Sans: ascender 0.93 em above the baseline, descender 0.24 em below.
        return new Box(left, y - size * 0.95, left + width, y + size * 0.25);
    }

    /// <summary><paramref name="text"/> cut with an ellipsis in the middle so that it fits <paramref name="width"/>.</summary>
    public static string Fit(string text, double size, double width, bool bold = false)
    {
        if (Width(text, size, bold) <= width) return text;
        var keep = text.Length;
        while (keep > 2)
        {
            keep--;
            var head = (keep + 1) / 2;
            var candidate = text.Substring(0, head) + "…" + text.Substring(text.Length - (keep - head));
            if (Width(candidate, size, bold) <= width) return candidate;
        }

        return "…";
    }

    private static double Advance(char c)
    {
        if ("ijl.,:;'|!".IndexOf(c) >= 0) return 0.32;
        if ("frt()[]-/ ".IndexOf(c) >= 0) return 0.42;
        if ("mwMW×—…%".IndexOf(c) >= 0) return 1.0;
        if (char.IsUpper(c)) return 0.78;
        if (char.IsDigit(c) || c == '$' || c == '_') return 0.66;
        return c < 128 ? 0.64 : 0.8;
    }
}
