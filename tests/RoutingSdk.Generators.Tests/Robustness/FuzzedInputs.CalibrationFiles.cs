using System.Globalization;
using System.IO;
using System.Text;
using Microsoft.CodeAnalysis;

namespace RoutingSdk.Generators.Tests.Robustness;

/// <summary>The fuzzed inputs of one family: calibration files.</summary>
internal static partial class FuzzedInputs
{
    /// <summary>The tasks the calibration cases calibrate, with names a file must spell exactly.</summary>
    private const string CalibratedSource = """
        using System.Threading;
        using System.Threading.Tasks;
        using RoutingSdk;

        namespace Desk;

        public enum Category { Billing, Technical, General }

        public sealed partial class SupportDesk(TaskRouter router)
        {
            [RoutedTask(TaskKind.Classification, Complexity.Low, QualityThreshold = 0.8, Prompt = "Classify:\n{email}")]
            public partial Task<Category> ClassifyAsync(string email, CancellationToken cancellationToken = default);

            [RoutedTask(TaskKind.Summarization, Complexity.Medium, MaxTier = "mid")]
            public partial Task<string> SummarizeAsync(string text);

            [RoutedTask(TaskKind.Analysis, Complexity.High, Escalation = Escalation.Classifier)]
            public partial ValueTask<string> @class(string @event);
        }
        """;

    private static readonly string[] TaskNames = { "SupportDesk.ClassifyAsync", "SupportDesk.SummarizeAsync", "SupportDesk.class" };

    private static readonly string[] OddNames =
    {
        "class", "SupportDesk.@class", "SupportDesk.\"ClassifyAsync\"", "SupportDesk.ClassifyAsync\n", "Support\nDesk.ClassifyAsync",
        "😀.ünïcode", "", " ", "SupportDesk.ClassifyAsync\\", "{email}", "SupportDesk.ClassifyAsync\u0000", "\uD800", "a\"b\\c",
        "global::SupportDesk.ClassifyAsync", "Desk.SupportDesk.ClassifyAsync", new string('x', 5000),
    };

    private static readonly string[] Tiers = { "small", "mid", "frontier", "frontier-thinking" };

    private static readonly string[] OddTiers = { "nope", "", "Small", "small ", "frontier\"", "mid\n", "😀", "class" };

    /// <summary>JSON values that fit no member, or sit at the edge of what a member takes.</summary>
    private static readonly string[] OddValues =
    {
        "0", "1", "-1", "0.5", "1.0000000001", "-0", "-0.0", "1e308", "-1e308", "1.7976931348623157e308", "5e-324", "1e-400",
        "123456789012345678901234567890", "2147483647", "2147483648", "-2147483649", "4.5", "null", "true",
        "false", "\"0.5\"", "\"any\"", "\"NaN\"", "[]", "{}", "[1, 2]", "[null]", "{\"a\": 1}", "\"\"",
    };

    /// <summary>Values that are not JSON (the reader stops at the first): rare, so that most odd files are read to the end.</summary>
    private static readonly string[] NotJson = { "2e308", "-2e308", "NaN", "Infinity", "-Infinity", "01", "1.", ".5", "+1", "0x10", "1e", "--1" };

    private static Case CalibrationCase(int seed)
    {
        var random = new Random(seed);
        string text;
        switch (random.Next(12))
        {
            case 0:
            case 1:
            case 2:
                text = CalibrationJson(random, valid: true);
                break;
            case 3:
            case 4:
            case 5:
                text = CalibrationJson(random, valid: false);
                break;
            case 6:
                text = TextMutation(CalibrationJson(random, valid: random.Next(2) == 0), random);
                break;
            case 7:
                text = TextMutation(TextMutation(CalibrationJson(random, valid: true), random), random);
                break;
            case 8:
                text = ManyTasks(random);
                break;
            case 9:
                text = Nested(random);
                break;
            case 10:
                text = new[] { "", " ", "\uFEFF", "\uFEFF\uFEFF{}", "\n\n\n", "{", "}", "[", "\"", "null", "{\"tasks\": {}}", "\uFEFF{\"version\": 1, \"tasks\": {}}",
                    "{\"tasks\": {}} {}", "{\"tasks\": {},}", "{'tasks': {}}", "{\"tasks\": {}}\u0000", "\u0000", "{\"tasks\"\n:\r\n{\r}}",
                    "{\"tasks\": {\"SupportDesk.ClassifyAsync\": {\"chain\": [\"small\", \"mid\"], \"thresholds\": [\"\\u00\"]}}}",
                    "{\"tasks\": {\"SupportDesk.ClassifyAsync\": {\"chain\": [\"small\\uD800\"], \"thresholds\": []}}}" }[random.Next(20)];
                break;
            default:
                text = DuplicateMembers(CalibrationJson(random, valid: true), random);
                break;
        }

        return new Case("calibration file", seed, new[] { CalibratedSource }, text, Array.Empty<Library>());
    }

    /// <summary>
    /// A calibration file of one to three tasks. Valid: members the reader takes, with the counts the chain needs, on the
    /// probability scale (so that the calibrated plan, its acceptors and its agreement baselines are emitted). Else: each
    /// member may get an odd value, a wrong count, or a name that names no task.
    /// </summary>
    private static string CalibrationJson(Random random, bool valid)
    {
        var odd = valid ? 0 : 3; // one member in three is odd in an invalid file
        bool Odd() => odd > 0 && random.Next(odd) == 0;
        string Value(string good) => !Odd() ? good : random.Next(15) == 0 ? NotJson[random.Next(NotJson.Length)] : OddValues[random.Next(OddValues.Length)];

        var json = new StringBuilder("{");
        var members = new List<string>();
        if (random.Next(2) == 0) members.Add("\"version\": " + Value("1"));
        if (random.Next(3) == 0) members.Add("\"target\": " + Value(Fraction(random)));
        var tasks = new List<string>();
        foreach (var name in TaskNames.Where(_ => random.Next(3) > 0))
        {
            var taskName = Odd() ? OddNames[random.Next(OddNames.Length)] : name;
            var chain = Chain(random, taskName);
            if (Odd()) chain = chain.Select(t => random.Next(3) == 0 ? OddTiers[random.Next(OddTiers.Length)] : t).ToList();
            var positions = Math.Max(0, chain.Count - 1) + (Odd() ? random.Next(3) - 1 : 0);
            var task = new List<string>
            {
                "\"chain\": " + (Odd() ? OddValues[random.Next(OddValues.Length)] : "[" + string.Join(", ", chain.Select(Json)) + "]"),
                "\"thresholds\": " + Value("[" + string.Join(", ", Enumerable.Range(0, Math.Max(0, positions)).Select(_ => random.Next(6) == 0 ? "\"any\"" : Fraction(random))) + "]"),
            };
            if (random.Next(2) == 0) task.Add("\"confidenceScale\": " + Value("\"probability\""));
            else if (!valid && random.Next(3) == 0) task.Add("\"confidenceScale\": \"logprob\"");
            if (random.Next(2) == 0)
            {
                task.Add("\"acceptors\": " + (Odd() ? OddValues[random.Next(OddValues.Length)] : "[" + string.Join(", ", Enumerable.Range(0, Math.Max(0, positions)).Select(k => Acceptor(random, k, Odd()))) + "]"));
            }

            if (random.Next(2) == 0) task.Add("\"reach\": " + Value("[" + string.Join(", ", chain.Select((_, i) => i == 0 ? "1" : Fraction(random))) + "]"));
            if (random.Next(2) == 0)
                task.Add("\"agreement\": " + Value("[" + string.Join(", ", Enumerable.Range(0, Math.Max(0, positions)).Select(_ => random.Next(4) == 0 ? "null" : Fraction(random))) + "]"));
            if (random.Next(2) == 0)
            {
                // The bound is three members or none; an odd file may write one or two.
                var all = new[] { "\"qualityBound\": " + Value(Fraction(random)), "\"boundConfidence\": " + Value(Fraction(random)), "\"boundQueries\": " + Value(random.Next(1, 100000).ToString(CultureInfo.InvariantCulture)) };
                task.AddRange(Odd() ? all.Where(_ => random.Next(2) == 0) : all);
            }

            if (random.Next(2) == 0)
                task.Add("\"models\": {" + string.Join(", ", chain.Select(t => Json(t) + ": {\"quality\": " + Value(Fraction(random)) + ", \"costUsd\": " + Value("0.00" + random.Next(1, 99)) + "}")) + "}");
            if (random.Next(3) == 0) task.Add("\"expectedQuality\": " + Value(Fraction(random)));
            if (random.Next(3) == 0) task.Add("\"expectedCostUsd\": " + Value("0.0012"));
            if (random.Next(3) == 0) task.Add("\"margin\": " + Value("0.02"));
            if (random.Next(3) == 0) task.Add("\"bestModel\": " + Value("\"frontier\""));
            if (Odd()) task.Add(Json(OddNames[random.Next(OddNames.Length)]) + ": 1");
            tasks.Add(Json(taskName) + ": {" + string.Join(", ", Shuffle(task, random)) + "}");
        }

        members.Add("\"tasks\": " + (Odd() ? OddValues[random.Next(OddValues.Length)] : "{" + string.Join(",\n", tasks) + "}"));
        json.Append(string.Join(",\n", Shuffle(members, random))).Append('}');
        return json.ToString();
    }

    /// <summary>A chain in rank order within what the task allows (SummarizeAsync caps at mid).</summary>
    private static List<string> Chain(Random random, string task)
    {
        var top = task == "SupportDesk.SummarizeAsync" ? 2 : Tiers.Length;
        var chain = Tiers.Take(top).Where(_ => random.Next(3) > 0).ToList();
        if (chain.Count == 0) chain.Add(Tiers[random.Next(top)]);
        return chain;
    }

    private static string Acceptor(Random random, int position, bool odd)
    {
        var weights = Enumerable.Range(0, 3 + 3 * position + (odd ? random.Next(3) - 1 : 0))
            .Select(_ => odd && random.Next(4) == 0 ? OddValues[random.Next(OddValues.Length)] : Signed(random));
        var members = new List<string>
        {
            "\"bias\": " + (odd && random.Next(3) == 0 ? OddValues[random.Next(OddValues.Length)] : Signed(random)),
            "\"weights\": [" + string.Join(", ", weights) + "]",
            "\"minProbability\": " + (odd && random.Next(3) == 0 ? OddValues[random.Next(OddValues.Length)] : Fraction(random)),
        };
        if (random.Next(2) == 0) members.Add("\"skipBelow\": " + (odd && random.Next(2) == 0 ? OddValues[random.Next(OddValues.Length)] : Fraction(random)));
        if (odd && random.Next(4) == 0) members.RemoveAt(random.Next(members.Count));
        return "{" + string.Join(", ", Shuffle(members, random)) + "}";
    }

    private static string Fraction(Random random) => random.Next(8) switch
    {
        0 => "0",
        1 => "1",
        2 => "1e-300",
        3 => "0.9999999999999999",
        _ => Math.Round(random.NextDouble(), 4).ToString("R", CultureInfo.InvariantCulture),
    };

    private static string Signed(Random random) => random.Next(10) switch
    {
        0 => "1e300",
        1 => "-1e300",
        2 => "5e-324",
        3 => "-0",
        _ => Math.Round(random.NextDouble() * 20 - 10, 3).ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>A mutation of the file's text: truncated, a byte order mark, a character changed, line ends changed, and so on.</summary>
    private static string TextMutation(string text, Random random)
    {
        var at = text.Length == 0 ? 0 : random.Next(text.Length);
        return random.Next(9) switch
        {
            0 => text[..at],
            1 => "\uFEFF" + text,
            2 => text.Remove(at, Math.Min(1, text.Length - at)).Insert(at, new[] { "\"", "{", "}", "[", "]", ",", ":", "\\", "\n", "\u0000", "é", "\uD83D" }[random.Next(12)]),
            3 => text.Replace("\n", "\r\n", StringComparison.Ordinal),
            4 => text.Replace("\n", "\r", StringComparison.Ordinal),
            5 => text.Insert(at, new string(' ', 3) + "\t"),
            6 => text.Remove(at, Math.Min(text.Length - at, random.Next(1, 30))),
            7 => text + text,
            _ => text.Replace("\"", "'", StringComparison.Ordinal),
        };
    }

    /// <summary>A member of the file written twice (the reader reports the second).</summary>
    private static string DuplicateMembers(string text, Random random)
    {
        var members = new[] { "\"chain\": [\"small\", \"mid\"]", "\"version\": 1", "\"thresholds\": [0.5]", "\"agreement\": [0.9]", "\"tasks\": {}", "\"qualityBound\": 0.9" };
        var brace = text.IndexOf('{', random.Next(Math.Max(1, text.Length / 2)));
        return brace < 0 ? text : text.Insert(brace + 1, members[random.Next(members.Length)] + ", " + members[random.Next(members.Length)] + ",");
    }

    /// <summary>A file of thousands of tasks, most of which name no task of the compilation.</summary>
    private static string ManyTasks(Random random)
    {
        var count = 500 + random.Next(2500);
        var json = new StringBuilder("{\"version\": 1, \"tasks\": {\n");
        for (var i = 0; i < count; i++)
        {
            var name = i < TaskNames.Length ? TaskNames[i] : "Generated.Task" + i.ToString(CultureInfo.InvariantCulture);
            json.Append(Json(name)).Append(": {\"chain\": [\"small\", \"frontier\"], \"thresholds\": [0.").Append(random.Next(10, 99))
                .Append("], \"confidenceScale\": \"probability\", \"agreement\": [null], \"reach\": [1, 0.3]}").Append(i < count - 1 ? ",\n" : "\n");
        }

        return json.Append("}}").ToString();
    }

    /// <summary>Nesting around and inside the file, up to beyond the reader's limit.</summary>
    private static string Nested(Random random)
    {
        var depth = new[] { 10, 63, 64, 65, 100, 5000, 100_000 }[random.Next(7)];
        var open = random.Next(2) == 0 ? "[" : "{\"a\": ";
        var close = open == "[" ? "]" : "}";
        var inner = new StringBuilder().Insert(0, open, depth).Append("1");
        for (var i = 0; i < depth; i++) inner.Append(close);
        return random.Next(2) == 0
            ? inner.ToString()
            : "{\"tasks\": {\"SupportDesk.ClassifyAsync\": {\"chain\": [\"small\"], \"thresholds\": [], \"models\": " + inner + "}}}";
    }
}
