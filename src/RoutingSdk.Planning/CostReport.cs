using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace RoutingSdk.Planning;

/// <summary>
/// The build-time cost report (<c>dotnet build -p:RoutingSdkReport=true</c>): one line per task with its start tier,
/// escalation chain, projected quality and projected USD per 1,000 calls against the all-frontier figure, and a total.
/// </summary>
/// <remarks>
/// The total assumes the same number of calls to every task: it is the cost of 1,000 calls of each task, so the USD
/// columns are summed over the tasks and the quality column is their mean. Tasks that could not be planned (their
/// attribute has errors) are listed but left out of the total.
/// </remarks>
internal static class CostReport
{
    private static readonly string[] Headings = { "task", "start", "chain", "quality", "USD/1k calls", "all-frontier/1k" };

    /// <summary>
    /// The sum of USD figures, held at <see cref="decimal.MaxValue"/> (or <see cref="decimal.MinValue"/>) instead of
    /// overflowing: the figures of a referenced assembly's published plans are whatever decimals its attribute holds.
    /// </summary>
    private static decimal Total(IEnumerable<decimal> values)
    {
        var total = 0m;
        foreach (var value in values)
        {
            if (value > 0 && total > decimal.MaxValue - value) total = decimal.MaxValue;
            else if (value < 0 && total < decimal.MinValue - value) total = decimal.MinValue;
            else total += value;
        }

        return total;
    }

    /// <summary>Formats the report of <paramref name="plans"/>, ordered by task name; lines end with '\n'.</summary>
    public static string Format(IEnumerable<TaskPlan> plans)
    {
        if (plans is null) throw new ArgumentNullException(nameof(plans));
        var ordered = plans.OrderBy(p => p.TaskName, StringComparer.Ordinal).ToArray();
        var planned = ordered.Where(p => p.Chain.Count > 0).ToArray();

        var builder = new StringBuilder();
        builder.Append("RoutingSdk cost report: ").Append(Count(planned.Length, "routed task"));
        if (ordered.Length > planned.Length) builder.Append(", ").Append(Count(ordered.Length - planned.Length, "not planned"));
        builder.Append(". Figures per 1,000 calls of each task; the total line is 1,000 calls of every task (USD summed over the tasks, quality their mean).\n");
        if (ordered.Length == 0) return builder.Append("No [RoutedTask] methods in this assembly.\n").ToString();

        var rows = new List<string[]> { Headings };
        foreach (var plan in ordered)
        {
            rows.Add(plan.Chain.Count == 0
                ? new[] { plan.TaskName, "-", "not planned: see the build's errors", "", "", "" }
                : new[]
                {
                    plan.TaskName, plan.StartTier!, string.Join(" -> ", plan.Chain), Quality(plan.ProjectedQuality),
                    Money.Format(plan.ProjectedUsdPerThousandCalls), Money.Format(plan.AllFrontierUsdPerThousandCalls),
                });
        }

        var projected = Total(planned.Select(p => p.ProjectedUsdPerThousandCalls));
        var allFrontier = Total(planned.Select(p => p.AllFrontierUsdPerThousandCalls));
        var total = new[]
        {
            "total (" + Count(planned.Length, "task") + ")", "", "",
            planned.Length == 0 ? "-" : Quality(planned.Average(p => p.ProjectedQuality)),
            Money.Format(projected), Money.Format(allFrontier),
        };
        rows.Add(total);

        var widths = Enumerable.Range(0, Headings.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows.Take(rows.Count - 1)) Line(builder, row, widths);
        builder.Append(new string('-', widths.Sum() + 2 * (widths.Length - 1))).Append('\n');
        Line(builder, total, widths);
        // Neither total is negative (the published plans of referenced assemblies are read only with figures of 0 or more), so this does not overflow.
        var savings = allFrontier - projected;
        builder.Append(savings >= 0 ? "projected savings against all-frontier: " : "projected cost above all-frontier: ")
            .Append(Money.Format(Math.Abs(savings))).Append(" per 1,000 calls of every task");
        if (allFrontier > 0)
        {
            builder.Append(" (");
            if (savings >= 0) builder.Append(Percent(savings, allFrontier)).Append(" saved; ");
            builder.Append("routed cost ").Append(Percent(projected, allFrontier)).Append(" of all-frontier)");
        }

        return builder.Append(".\n").ToString();
    }

    /// <summary>Left-aligned text columns, right-aligned figures (quality and USD), two spaces apart, no trailing blanks.</summary>
    private static void Line(StringBuilder builder, string[] row, int[] widths)
    {
        var line = new StringBuilder();
        for (var c = 0; c < row.Length; c++)
        {
            if (c > 0) line.Append("  ");
            line.Append(c < 3 ? row[c].PadRight(widths[c]) : row[c].PadLeft(widths[c]));
        }

        builder.Append(line.ToString().TrimEnd()).Append('\n');
    }

    /// <summary><paramref name="part"/> as a percentage of <paramref name="whole"/> (above 0), or "over 10^26 %" when no decimal holds it.</summary>
    private static string Percent(decimal part, decimal whole)
    {
        try
        {
            return Math.Round(part / whole * 100m, 1).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        }
        catch (OverflowException)
        {
            // A referenced assembly's published figures can be any decimal (a huge cost over a tiny all-frontier one).
            return "over 10^26 %";
        }
    }

    private static string Quality(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Count(int count, string noun)
        => count.ToString(CultureInfo.InvariantCulture) + " " + noun + (count == 1 || noun.StartsWith("not ", StringComparison.Ordinal) ? "" : "s");
}
