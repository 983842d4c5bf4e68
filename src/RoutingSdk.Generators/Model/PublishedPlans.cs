using System;
using System.Collections.Generic;
using System.Globalization;
using RoutingSdk.Planning;

namespace RoutingSdk.Generators.Model;

/// <summary>
/// The text in which an assembly publishes its routed tasks' plans to the applications that reference it (the second
/// argument of <c>[assembly: RoutedTasksAssembly]</c>): one line per plan, six fields separated by spaces: the task name,
/// the chain (tier names separated by commas), the quality threshold, the projected quality, and the projected and
/// all-frontier USD per 1,000 calls, numbers in the invariant culture. Names are percent-escaped as URI data (every
/// character but ASCII letters, digits and <c>-_.~</c> as the <c>%XX</c> of its UTF-8 bytes, read back with
/// <see cref="Uri.UnescapeDataString"/>), so a space, a comma, a quote or a line break in a name cannot split a field.
/// One string for the whole assembly, because the compiler binds an attribute per task at a measurable cost.
/// </summary>
internal static class PublishedPlans
{
    /// <summary>Writes the line of one plan.</summary>
    public static void Write(IndentedWriter w, TableEntry entry)
    {
        var plan = entry.Plan;
        Escape(w, entry.Spec.TaskName);
        w.Append(' ');
        for (var i = 0; i < plan.Chain.Count; i++)
        {
            if (i > 0) w.Append(',');
            Escape(w, plan.Chain[i]);
        }

        w.Append(' ').Number(plan.QualityThreshold).Append(' ').Number(plan.ProjectedQuality)
            .Append(' ').Append(plan.ProjectedUsdPerThousandCalls.ToString(CultureInfo.InvariantCulture))
            .Append(' ').Append(plan.AllFrontierUsdPerThousandCalls.ToString(CultureInfo.InvariantCulture)).End();
    }

    /// <summary>
    /// Percent-escapes a name (<see cref="Uri.EscapeDataString"/> does too, but throws on long strings on .NET Framework,
    /// where Visual Studio runs the generator).
    /// </summary>
    private static void Escape(IndentedWriter w, string name)
    {
        var plain = true;
        foreach (var c in name) plain &= IsUnreserved(c);
        if (plain)
        {
            w.Append(name);
            return;
        }

        foreach (var b in System.Text.Encoding.UTF8.GetBytes(name))
        {
            if (b < 0x80 && IsUnreserved((char)b)) w.Append((char)b);
            else w.Append('%').Append(Hex[b >> 4]).Append(Hex[b & 0xF]);
        }
    }

    private const string Hex = "0123456789ABCDEF";

    private static bool IsUnreserved(char c) => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~';

    private static bool IsFinite(double value) => !double.IsNaN(value) && !double.IsInfinity(value);

    /// <summary>
    /// The plans of a published text; null when a line is not a plan (an assembly written by another version of the
    /// generator), so that the caller can tell a malformed text from an empty one.
    /// </summary>
    public static EquatableArray<ReferencedPlan>? Read(string text)
    {
        var plans = new List<ReferencedPlan>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            var fields = line.Split(' ');
            if (fields.Length != 6
                || !double.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold)
                || !double.TryParse(fields[3], NumberStyles.Float, CultureInfo.InvariantCulture, out var quality)
                || !decimal.TryParse(fields[4], NumberStyles.Number, CultureInfo.InvariantCulture, out var usd)
                || !decimal.TryParse(fields[5], NumberStyles.Number, CultureInfo.InvariantCulture, out var allFrontier)
                // Figures this generator never writes: the cost report adds them up and divides by them.
                || !IsFinite(threshold) || !IsFinite(quality) || usd < 0 || allFrontier < 0)
                return null;
            var tiers = fields[1].Split(',');
            var chain = new string[tiers.Length];
            for (var i = 0; i < tiers.Length; i++) chain[i] = Uri.UnescapeDataString(tiers[i]);
            plans.Add(new ReferencedPlan(Uri.UnescapeDataString(fields[0]), new EquatableArray<string>(chain), threshold, quality, usd, allFrontier));
        }

        return plans.ToEquatableArray();
    }
}
