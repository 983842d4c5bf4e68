using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using RoutingSdk.Cli.Plot;

namespace RoutingSdk.Calibration.Tests;

/// <summary>A fact that needs <c>rsvg-convert</c> (Debian's librsvg2-bin): skipped without it, except under CI=true.</summary>
public sealed class RsvgFactAttribute : FactAttribute
{
    public RsvgFactAttribute()
    {
        if (SvgRendering.Tool is null && Environment.GetEnvironmentVariable("CI") != "true")
            Skip = "rsvg-convert is not installed: apt-get install librsvg2-bin (.ci/run does)";
    }
}

/// <summary>Renders SVG with <c>rsvg-convert</c> and measures where each text's ink lands.</summary>
internal static class SvgRendering
{
    private static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    /// <summary>The path of rsvg-convert on the PATH, or null.</summary>
    public static string? Tool { get; } = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator).Select(d => Path.Combine(d, "rsvg-convert")).FirstOrDefault(File.Exists);

    /// <summary>Renders an SVG document to PNG bytes.</summary>
    public static byte[] RenderPng(string svg)
    {
        var tool = Tool ?? throw new InvalidOperationException("rsvg-convert is not installed: apt-get install librsvg2-bin");
        var start = new ProcessStartInfo(tool) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        using var png = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(png);
        process.StandardInput.Write(svg);
        process.StandardInput.Close();
        copy.Wait();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException("rsvg-convert failed: " + error.Result);
        return png.ToArray();
    }

    /// <summary>
    /// The box of every text element's ink, in the document's coordinates: each text is rendered alone (in one
    /// render, a tile per text), with the document's font, in a window around where the layout expects it (<paramref name="expected"/>), 60 units wider on
    /// every side; ink that reaches the window's edge means the layout's estimate is far off, and fails.
    /// </summary>
    public static IReadOnlyList<(string Text, Box Ink)> TextInk(string svg, Func<XElement, Box> expected)
    {
        const int margin = 60;
        var doc = XDocument.Parse(svg);
        var root = doc.Root!;
        var font = root.Attribute("font-family")?.Value ?? "sans-serif";
        // One render for all: each text in its own tile (a nested viewport, which clips), the tiles stacked downwards.
        var tiles = new List<(XElement Text, double X0, double Y0, int Width, int Height, int Top)>();
        var stack = 0;
        foreach (var text in root.Descendants(Ns + "text"))
        {
            var guess = expected(text);
            var width = (int)Math.Ceiling(guess.Width) + 2 * margin;
            var height = (int)Math.Ceiling(guess.Height) + 2 * margin;
            tiles.Add((text, Math.Floor(guess.Left) - margin, Math.Floor(guess.Top) - margin, width, height, stack));
            stack += height;
        }

        var sheetWidth = tiles.Max(t => t.Width);
        var sheet = new XElement(Ns + "svg", new XAttribute("width", sheetWidth), new XAttribute("height", stack), new XAttribute("font-family", font),
            tiles.Select(t => new XElement(Ns + "svg", new XAttribute("x", 0), new XAttribute("y", t.Top), new XAttribute("width", t.Width), new XAttribute("height", t.Height),
                new XAttribute("viewBox", FormattableString.Invariant($"{t.X0} {t.Y0} {t.Width} {t.Height}")), new XElement(t.Text))));
        var (w, _, alpha) = Png.Alpha(RenderPng(sheet.ToString()));
        var result = new List<(string, Box)>();
        foreach (var tile in tiles)
        {
            int left = tile.Width, top = tile.Height, right = -1, bottom = -1;
            for (var y = 0; y < tile.Height; y++)
            {
                for (var x = 0; x < tile.Width; x++)
                {
                    if (alpha[(tile.Top + y) * w + x] < 32) continue;
                    left = Math.Min(left, x);
                    right = Math.Max(right, x + 1);
                    top = Math.Min(top, y);
                    bottom = Math.Max(bottom, y + 1);
                }
            }

            var text = tile.Text.Value;
            if (right < 0) throw new InvalidOperationException($"the text '{text}' drew nothing");
            if (left == 0 || top == 0 || right == tile.Width || bottom == tile.Height)
                throw new InvalidOperationException($"the text '{text}' drew ink {margin} units or more away from its expected box");
            result.Add((text, new Box(tile.X0 + left, tile.Y0 + top, tile.X0 + right, tile.Y0 + bottom)));
        }

        return result;
    }
}

/// <summary>Reads the alpha channel of the 8-bit RGBA, non-interlaced PNGs that rsvg-convert writes.</summary>
internal static class Png
{
    public static (int Width, int Height, byte[] Alpha) Alpha(byte[] png)
    {
        var width = 0;
        var height = 0;
        using var data = new MemoryStream();
        for (var at = 8; at < png.Length;)
        {
            var length = (png[at] << 24) | (png[at + 1] << 16) | (png[at + 2] << 8) | png[at + 3];
            var type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            if (type == "IHDR")
            {
                width = (png[at + 8] << 24) | (png[at + 9] << 16) | (png[at + 10] << 8) | png[at + 11];
                height = (png[at + 12] << 24) | (png[at + 13] << 16) | (png[at + 14] << 8) | png[at + 15];
                if (png[at + 16] != 8 || png[at + 17] != 6 || png[at + 20] != 0) throw new NotSupportedException("only 8-bit RGBA non-interlaced PNGs are read");
            }
            else if (type == "IDAT")
            {
                data.Write(png, at + 8, length);
            }

            at += 12 + length;
        }

        data.Position = 0;
        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(data, CompressionMode.Decompress)) z.CopyTo(inflated);
        var raw = inflated.ToArray();
        const int bpp = 4;
        var stride = width * bpp;
        var previous = new byte[stride];
        var current = new byte[stride];
        var alpha = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            Array.Copy(raw, y * (stride + 1) + 1, current, 0, stride);
            for (var i = 0; i < stride; i++)
            {
                int a = i >= bpp ? current[i - bpp] : 0, b = previous[i], c = i >= bpp ? previous[i - bpp] : 0;
                current[i] = (byte)(current[i] + filter switch
                {
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => 0,
                });
            }

            for (var x = 0; x < width; x++) alpha[y * width + x] = current[x * bpp + 3];
            (previous, current) = (current, previous);
        }

        return (width, height, alpha);
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
