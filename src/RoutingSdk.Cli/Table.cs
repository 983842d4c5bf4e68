using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace RoutingSdk.Cli;

/// <summary>Plain-text tables with aligned columns.</summary>
internal static class Table
{
    public static void Write(TextWriter output, IReadOnlyList<string[]> rows, string indent = "")
    {
        var widths = new int[rows.Max(r => r.Length)];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++) widths[i] = Math.Max(widths[i], row[i].Length);
        }

        foreach (var row in rows)
        {
            output.WriteLine(indent + string.Join("  ", row.Select((c, i) => i == row.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd());
        }
    }
}
