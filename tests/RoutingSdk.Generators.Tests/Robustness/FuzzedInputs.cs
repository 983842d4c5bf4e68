using System.Globalization;
using System.IO;
using System.Text;
using Microsoft.CodeAnalysis;

namespace RoutingSdk.Generators.Tests.Robustness;

/// <summary>
/// Seeded, bounded inputs of the kinds added since <see cref="MalformedSources"/>: calibration files (the newer members
/// "agreement", "qualityBound"/"boundConfidence"/"boundQueries", acceptors with "skipBelow", "reach"), mutated in their
/// values and their text; task declarations composed from odd parts (attribute arguments of the wrong type or that do not
/// fold, generic and nested containers, partial types over two files, ref/out/params/default parameters, prompts with odd
/// braces, #if regions, missing usings); <c>[assembly: ModelTier]</c> with extreme prices, ranks and names; and
/// referenced assemblies whose <c>[assembly: RoutedTasksAssembly]</c> is malformed. The same cases every run.
/// </summary>
internal static partial class FuzzedInputs
{
    /// <summary>One input: the sources of the compilation, an optional calibration file, and referenced libraries.</summary>
    public sealed record Case(string Family, int Seed, string[] Sources, string? Calibration, Library[] Libraries)
    {
        public override string ToString()
        {
            var text = new StringBuilder().Append('[').Append(Family).Append(" #").Append(Seed).Append("]\n");
            foreach (var source in Sources) text.Append("--- source ---\n").Append(Shorten(source)).Append('\n');
            if (Calibration is not null) text.Append("--- routing.calibration.json ---\n").Append(Shorten(Calibration)).Append('\n');
            foreach (var library in Libraries) text.Append("--- library ").Append(library.Name).Append(" ---\n").Append(Shorten(library.Source)).Append('\n');
            return text.ToString();
        }
    }

    /// <summary>A referenced assembly, compiled from <see cref="Source"/> (with the generator when <see cref="Generate"/>).</summary>
    public sealed record Library(string Name, string Source, bool Generate);

    public const string CalibrationPath = "/project/routing.calibration.json";

    /// <summary>Every case: <paramref name="perFamily"/> of each family, from fixed seeds.</summary>
    public static IReadOnlyList<Case> Cases(int perFamily)
    {
        var cases = new List<Case>();
        for (var i = 0; i < perFamily; i++) cases.Add(CalibrationCase(1000 + i));
        for (var i = 0; i < perFamily; i++) cases.Add(DeclarationCase(2000 + i));
        for (var i = 0; i < perFamily / 2; i++) cases.Add(TierCase(3000 + i));
        for (var i = 0; i < perFamily / 4; i++) cases.Add(ReferenceCase(4000 + i));
        return cases;
    }

    // ---------------------------------------------------------------- helpers

    private static string Json(string text)
    {
        var json = new StringBuilder("\"");
        foreach (var c in text)
        {
            if (c is '"' or '\\') json.Append('\\').Append(c);
            else if (c < ' ') json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else json.Append(c);
        }

        return json.Append('"').ToString();
    }

    private static List<T> Shuffle<T>(List<T> items, Random random)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }

        return items;
    }

    private static IEnumerable<T> Shuffle<T>(IEnumerable<T> items, Random random) => Shuffle(items.ToList(), random);

    /// <summary>The text for a failure message: each line cut at 300 characters, the whole at 4,000.</summary>
    private static string Shorten(string text)
    {
        var lines = string.Join("\n", text.Split('\n').Select(l => l.Length <= 300 ? l : l[..300] + "… (" + l.Length.ToString(CultureInfo.InvariantCulture) + " characters)"));
        return lines.Length <= 4000 ? lines : lines[..4000] + "\n…";
    }
}
