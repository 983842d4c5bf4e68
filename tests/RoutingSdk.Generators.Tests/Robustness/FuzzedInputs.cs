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
internal static class FuzzedInputs
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

    // ---------------------------------------------------------------- calibration files

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

    // ---------------------------------------------------------------- task declarations

    private static readonly string[] Kinds =
    {
        "TaskKind.Classification", "TaskKind.Analysis", "TaskKind.General", "\"text\"", "1", "(TaskKind)99", "TaskKind.Nope", "default",
        "(TaskKind)Undefined.Value", "Kinds.Constant", "TaskKind.Classification | TaskKind.Reasoning", "null",
    };

    private static readonly string[] Complexities = { "Complexity.Low", "Complexity.Extreme", "(Complexity)(-1)", "2", "Complexity.Trivial", "\"High\"" };

    private static readonly string[] Named =
    {
        "QualityThreshold = 0.9", "QualityThreshold = double.NaN", "QualityThreshold = 1.5", "QualityThreshold = -0.0", "QualityThreshold = 1e308",
        "QualityThreshold = Limits.Quality", "QualityThreshold = Limits.NotConstant", "QualityThreshold = (double)(float)0.3", "QualityThreshold = 1 / 3",
        "Tier = \"frontier\"", "Tier = \"nope\"", "Tier = null", "Tier = \"\"", "Tier = \"small\" + \"\"", "Tier = nameof(Tier)", "Tier = 1", "Tier = Limits.TierName",
        "MaxTier = \"mid\"", "MaxTier = \"frontier-thinking\"", "MaxTier = \"\\\"\"", "Escalation = Escalation.None", "Escalation = (Escalation)42",
        "LatencyBudgetMs = int.MaxValue", "LatencyBudgetMs = -1", "LatencyBudgetMs = 0", "MaxCostPerThousandCalls = double.NaN",
        "MaxCostPerThousandCalls = double.PositiveInfinity", "MaxCostPerThousandCalls = -0.01", "MaxCostPerThousandCalls = 1e-300",
        "ExpectedInputTokens = int.MaxValue", "ExpectedInputTokens = -5", "ExpectedOutputTokens = int.MinValue", "ExpectedOutputTokens = 2147483647",
        "Instructions = \"line\\nbreak \\\"quoted\\\" \\\\ {email}\"", "Instructions = null", "Instructions = \"\\u0000\\uD800\"",
        "Validator = nameof(IsValid)", "Validator = \"Nope\"", "Validator = nameof(Limits)", "Validator = null",
        "Prompt = \"{email}\"", "Prompt = \"{nothing}\"", "Prompt = \"{{email}}\"", "Prompt = \"{email\"", "Prompt = \"email}\"", "Prompt = \"{}\"",
        "Prompt = \"{ email }\"", "Prompt = \"{0}\"", "Prompt = \"{{{email}}}\"", "Prompt = \"}{\"", "Prompt = \"{email}{email}{count}\"",
        "Prompt = \"{cancellationToken}\"", "Prompt = \"{@class}\"", "Prompt = \"{class}\"", "Prompt = \"{prompt} {__answer}\"", "Prompt = \"{EMAIL}\"",
        "Prompt = Limits.Prompt", "Prompt = Limits.Prompt + \"{email}\"", "Prompt = $\"{Limits.Prompt}\"", "Prompt = $\"{email}\"",
        "Prompt = \"\"\"\n        raw {email} \"quoted\"\n        \"\"\"", "Prompt = @\"verbatim \"\"{email}\"\" \\n\"", "Prompt = \"é😀\\u0000{email}\\t\\r\\n\"",
        "Prompt = null", "Prompt = \"\"", "Prompt = LongPrompt", "Prompt = \"#if DEBUG\\n{email}\\n#endif\"", "Prompt = \"*/ {email} /*\"",
        "Prompt = \"\\\\\" + \"{email}\"", "Nope = 1", "QualityThreshold = 0.8, QualityThreshold = 0.9",
    };

    private static readonly string[] ReturnTypes =
    {
        "Task<string>", "ValueTask<int>", "Task<Category>", "Task<Category?>", "ValueTask<string?>", "Task<List<string>>", "Task<Undefined>",
        "Task<(int A, string B)>", "Task", "void", "Task<T>", "Task<dynamic>", "Task<string[]>", "Task<Outer<int>.Inner>", "Task<object>", "Task<int?>",
    };

    private static readonly string[] Parameters =
    {
        "string email", "ref string email", "out int count", "in int count", "params string[] items", "int count = 5", "string email = \"a\\\"b\"",
        "CancellationToken cancellationToken = default", "CancellationToken cancellationToken", "Undefined thing", "string @class", "string prompt",
        "string __answer", "int? count = null", "Category category = Category.Billing", "double ratio = double.NaN", "decimal money = 1.5m",
        "T value", "List<string> list", "string? email = null", "ref readonly int count", "scoped ReadOnlySpan<char> span", "object router",
        "TaskRouter router", "dynamic email",
    };

    private static string ParameterName(string parameter) => parameter.Split('=')[0].Trim().Split(' ').Last();

    private static readonly string[] Containers =
    {
        "public sealed partial class {0}(TaskRouter router)", "public partial class {0}<T>(TaskRouter router) where T : class",
        "public partial record {0}(TaskRouter Router)", "public partial record struct {0}(TaskRouter Router)", "public partial struct {0}",
        "public partial interface I{0}", "internal static partial class {0}", "public partial class {0}", "public class {0}",
        "public abstract partial class {0}(TaskRouter router)", "file partial class {0}(TaskRouter router)",
        "public partial class {0}<T, U>(TaskRouter router) where T : struct where U : System.IDisposable, new()", "public ref partial struct {0}",
    };

    private static readonly string[] RouterMembers =
    {
        "", "private readonly TaskRouter _router = null!;", "public TaskRouter Router { get; } = null!;", "private static TaskRouter s_router = null!;",
        "private TaskRouter Router => throw null!;", "private object router = null!;",
    };

    private static Case DeclarationCase(int seed)
    {
        var random = new Random(seed);
        T Pick<T>(T[] items) => items[random.Next(items.Length)];

        string Method(int index)
        {
            var named = Enumerable.Range(0, random.Next(4)).Select(_ => Pick(Named)).Distinct();
            var arguments = new List<string>();
            if (random.Next(8) > 0) arguments.Add(random.Next(4) == 0 ? Pick(Kinds) : "TaskKind.Classification");
            if (random.Next(2) == 0) arguments.Add(random.Next(4) == 0 ? Pick(Complexities) : "Complexity.Low");
            arguments.AddRange(named);
            // Parameter names are distinct: a name twice is the user's own error (CS0100), which the generated body repeats.
            var parameters = Enumerable.Range(0, random.Next(4)).Select(_ => Pick(Parameters)).GroupBy(ParameterName).Select(g => g.First()).ToList();
            if (random.Next(3) > 0 && !parameters.Any(p => ParameterName(p) == "email")) parameters.Insert(0, "string email");
            var returnType = random.Next(3) == 0 ? Pick(ReturnTypes) : "Task<string>";
            var name = random.Next(10) == 0 ? "@class" : "Run" + index.ToString(CultureInfo.InvariantCulture) + "Async";
            var typeParameters = random.Next(12) == 0 ? "<T>" : "";
            var modifiers = random.Next(6) switch { 0 => "public static partial", 1 => "private partial", 2 => "internal partial", 3 => "public partial", _ => "public partial" };
            var method = $"    [RoutedTask({string.Join(", ", arguments)})]\n    {modifiers} {returnType} {name}{typeParameters}({string.Join(", ", parameters)});\n";
            return random.Next(8) switch
            {
                0 => "#if DEBUG\n" + method + "#else\n" + method.Replace("Classification", "Analysis", StringComparison.Ordinal) + "#endif\n",
                1 => "#if NEVER\n" + method + "#endif\n",
                2 => "    [RoutedTask(TaskKind.General)]\n#if DEBUG\n" + method.Substring(method.IndexOf('\n', StringComparison.Ordinal) + 1) + "#endif\n",
                _ => method,
            };
        }

        var typeName = "Desk" + seed.ToString(CultureInfo.InvariantCulture);
        var container = string.Format(CultureInfo.InvariantCulture, Pick(Containers), typeName);
        var body = new StringBuilder();
        body.AppendLine(Pick(RouterMembers));
        body.AppendLine("    private const string LongPrompt = \"" + new string('a', random.Next(2) == 0 ? 10 : 200_000) + " {email}\";");
        body.AppendLine("    private static double IsValid(string answer) => 1;");
        var methods = 1 + random.Next(3);
        for (var i = 0; i < methods; i++) body.Append(Method(i));

        var usings = new List<string> { "using System;", "using System.Collections.Generic;", "using System.Threading;", "using System.Threading.Tasks;", "using RoutingSdk;" };
        if (random.Next(6) == 0) usings.RemoveAt(random.Next(usings.Count));
        var type = container + "\n{\n" + body + "}\n";
        var wrapped = random.Next(5) switch
        {
            0 => "public partial class Outer<TOuter>\n{\n" + type + "}\n",
            1 => "public static partial class Outer\n{\n    public partial class Middle\n    {\n" + type + "    }\n}\n",
            _ => type,
        };
        var ns = random.Next(3) switch
        {
            0 => "namespace Fuzz.Space;\n\n" + wrapped,
            1 => "namespace Fuzz.Space\n{\n" + wrapped + "}\n",
            _ => wrapped,
        };
        var support = """
            public enum Category { Billing, Technical }
            public static class Limits
            {
                public const double Quality = 0.75;
                public static readonly double NotConstant = 0.5;
                public const string TierName = "mid";
                public const string Prompt = "constant {email}";
            }
            public static class Kinds { public const TaskKind Constant = TaskKind.Extraction; }
            public class Outer<T> { public class Inner { } }
            """;
        var first = string.Join("\n", usings) + "\n\n" + ns + "\n" + (usings.Contains("using RoutingSdk;") ? support : support.Replace("TaskKind", "RoutingSdk.TaskKind", StringComparison.Ordinal));
        var sources = new List<string> { first };
        if (random.Next(3) == 0)
        {
            // The same partial type over a second file, with a task of its own (file-scoped namespace or none).
            var header = container.Replace("(TaskRouter router)", "", StringComparison.Ordinal).Replace("(TaskRouter Router)", "", StringComparison.Ordinal);
            if (!header.Contains("partial", StringComparison.Ordinal)) header = header.Replace("class ", "partial class ", StringComparison.Ordinal);
            var second = "using System.Threading.Tasks;\nusing RoutingSdk;\n\n" + (ns.StartsWith("namespace", StringComparison.Ordinal) ? "namespace Fuzz.Space;\n\n" : "")
                + header + "\n{\n    [RoutedTask(TaskKind.Formatting, Prompt = \"{text}\")]\n    public partial Task<string> FormatAsync(string text);\n}\n";
            sources.Add(wrapped == type ? second : second.Replace(header, "public partial class Unrelated(TaskRouter router)", StringComparison.Ordinal));
        }

        return new Case("task declaration", seed, sources.ToArray(), null, Array.Empty<Library>());
    }

    // ---------------------------------------------------------------- [assembly: ModelTier]

    private static readonly string[] TierNames = { "\"small\"", "\"small\"", "\"mid\"", "\"frontier\"", "\"\"", "\" \"", "\"tier \\\"quoted\\\"\"", "\"ünï😀\"", "\"class\"", "\"a\\nb\"", "null", "\"x\" + \"y\"", "1", "Tiers.Name" };

    private static readonly string[] Prices =
    {
        "0", "0.25", "-1", "double.MaxValue", "double.MinValue", "double.NaN", "double.PositiveInfinity", "double.NegativeInfinity", "1e15", "1e16", "1e-300",
        "5e-324", "79228162514264337593543950335.0", "-0.0", "1 / 3.0", "Tiers.Price", "\"1\"",
    };

    private static readonly string[] Ints = { "0", "1", "-1", "int.MaxValue", "int.MinValue", "2", "2", "1 << 30", "Tiers.Rank", "1.5" };

    private static Case TierCase(int seed)
    {
        var random = new Random(seed);
        T Pick<T>(T[] items) => items[random.Next(items.Length)];
        var attributes = new List<string>();
        var names = new List<string>();
        for (int i = 0, count = random.Next(1, 6); i < count; i++)
        {
            var name = Pick(TierNames);
            names.Add(name);
            var arguments = new List<string> { name };
            if (random.Next(4) > 0) arguments.Add("Rank = " + (random.Next(2) == 0 ? i.ToString(CultureInfo.InvariantCulture) : Pick(Ints)));
            if (random.Next(4) > 0) arguments.Add("InputCostPerMillion = " + Pick(Prices));
            if (random.Next(4) > 0) arguments.Add("OutputCostPerMillion = " + Pick(Prices));
            if (random.Next(3) == 0) arguments.Add("ReasoningCostPerMillion = " + Pick(Prices));
            if (random.Next(3) == 0) arguments.Add("CachedInputCostPerMillion = " + Pick(Prices));
            if (random.Next(4) == 0) arguments.Add("LongContextThresholdTokens = " + Pick(Ints));
            if (random.Next(4) == 0) arguments.Add("LongContextInputCostPerMillion = " + Pick(Prices));
            if (random.Next(4) == 0) arguments.Add("LongContextOutputCostPerMillion = " + Pick(Prices));
            if (random.Next(4) == 0) arguments.Add("LongContextCachedInputCostPerMillion = " + Pick(Prices));
            if (random.Next(3) == 0) arguments.Add("TypicalLatencyMs = " + Pick(Ints));
            if (random.Next(3) == 0) arguments.Add("ContextWindowTokens = " + Pick(Ints));
            if (random.Next(4) == 0) arguments.Add("ExtendedThinking = " + (random.Next(3) == 0 ? "1" : "true"));
            if (random.Next(4) == 0) arguments.Add("Free = true");
            if (random.Next(4) == 0) arguments.Add("Capabilities = (TierCapabilities)" + Pick(Ints));
            if (random.Next(4) == 0) arguments.Add("ModelId = " + Pick(new[] { "\"gpt \\\"x\\\"\"", "null", "\"\"", "\"a\\nb\"", "\"ünï\"" }));
            attributes.Add("[assembly: ModelTier(" + string.Join(", ", Shuffle(arguments, random)) + ")]");
        }

        var pinned = random.Next(3) == 0 ? ", Tier = " + Pick(names.ToArray()) : random.Next(3) == 0 ? ", MaxTier = " + Pick(names.ToArray()) : "";
        var source = "using System.Threading.Tasks;\nusing RoutingSdk;\n\n" + string.Join("\n", attributes) + """


            public static class Tiers
            {
                public const string Name = "const";
                public const double Price = 2.5;
                public const int Rank = 7;
            }

            public sealed partial class Catalogued(TaskRouter router)
            {
                [RoutedTask(TaskKind.Extraction, Complexity.Medium, QualityThreshold = 0.7, ExpectedInputTokens = 100000, MaxCostPerThousandCalls = 5
            """ + pinned + """
            )]
                public partial Task<string> ExtractAsync(string text);

                [RoutedTask(TaskKind.Reasoning, Complexity.Extreme)]
                public partial Task<int> ReasonAsync(string text);
            }
            """;
        return new Case("model tiers", seed, new[] { source }, null, Array.Empty<Library>());
    }

    // ---------------------------------------------------------------- referenced assemblies

    private const string LibraryTypes = """
        namespace Lib
        {
            public static class Registration
            {
                public static System.Collections.Generic.IReadOnlyList<RoutingSdk.RoutePlan> Plans { get; } = new RoutingSdk.RoutePlan[0];
                public static void Register(Microsoft.Extensions.DependencyInjection.IServiceCollection services) { }
            }

            internal static class Hidden
            {
                public static System.Collections.Generic.IReadOnlyList<RoutingSdk.RoutePlan> Plans { get; } = new RoutingSdk.RoutePlan[0];
                public static void Register(Microsoft.Extensions.DependencyInjection.IServiceCollection services) { }
            }

            public static class NoMembers { }

            public class Generic<T>
            {
                public static System.Collections.Generic.IReadOnlyList<RoutingSdk.RoutePlan> Plans { get; } = new RoutingSdk.RoutePlan[0];
                public static void Register(Microsoft.Extensions.DependencyInjection.IServiceCollection services) { }
            }

            public static class WrongShapes
            {
                public static int Plans => 0;
                public static void Register(string services) { }
            }

            public static class Outer
            {
                public static class Nested
                {
                    public static System.Collections.Generic.IReadOnlyList<RoutingSdk.RoutePlan> Plans { get; } = new RoutingSdk.RoutePlan[0];
                    public static void Register(Microsoft.Extensions.DependencyInjection.IServiceCollection services) { }
                }
            }

            public class Instance
            {
                public System.Collections.Generic.IReadOnlyList<RoutingSdk.RoutePlan> Plans { get; } = new RoutingSdk.RoutePlan[0];
                public void Register(Microsoft.Extensions.DependencyInjection.IServiceCollection services) { }
            }
        }
        """;

    private static readonly string[] RegistrationTypes =
    {
        "typeof(Lib.Registration)", "typeof(Lib.Registration)", "typeof(Lib.Outer.Nested)", "typeof(Lib.Hidden)", "typeof(Lib.NoMembers)", "typeof(int)",
        "typeof(Lib.Generic<>)", "typeof(Lib.Generic<int>)", "typeof(Lib.WrongShapes)", "typeof(Lib.Instance[])", "typeof(Lib.Instance)", "null",
        "typeof(string)", "typeof(System.Collections.Generic.List<int>)",
    };

    private static readonly string[] PlanLines =
    {
        "Lib.Task small 0.8 0.9 1.5 6.75", "App.Assistant.FormatAsync mid 0.8 0.9 1 2", "Assistant.FormatAsync mid 0.8 0.9 1 2", "Quote%22d.Line%0ABreak small,mid 0.5 0.6 0 0",
        "%ZZ%%% small 0.1 0.1 0 0", "Lib.Task  small 0.8 0.9 1.5 6.75", "Lib.Task small NaN Infinity 1 1", "Lib.Task small 1e308 -1e308 0 0",
        "Lib.Task , 0.8 0.9 1 1", "Lib.Task small 0.8 0.9 79228162514264337593543950335 79228162514264337593543950335", "Lib.Task small 0.8 0.9 1e400 1",
        "garbage", "", "Lib.Other %F0%9F%98%80,%E2 0 1 -1 -1", "Lib.Task small 0.8 0.9 1,5 6.75", "Lib.Task\tsmall 0.8 0.9 1 2",
    };

    private static Case ReferenceCase(int seed)
    {
        var random = new Random(seed);
        T Pick<T>(T[] items) => items[random.Next(items.Length)];
        var libraries = new List<Library>();
        for (int i = 0, count = random.Next(1, 4); i < count; i++)
        {
            var name = "Lib" + i.ToString(CultureInfo.InvariantCulture) + (random.Next(4) == 0 ? ".ünï" : "");
            if (random.Next(4) == 0)
            {
                // A library built by the generator, with a task whose name the application may share.
                var shared = random.Next(2) == 0;
                libraries.Add(new Library(name, "using System.Threading.Tasks;\nusing RoutingSdk;\n\nnamespace App;\n\npublic sealed partial class " + (shared ? "Assistant" : "Other" + i.ToString(CultureInfo.InvariantCulture))
                    + "(TaskRouter router)\n{\n    [RoutedTask(TaskKind.Formatting)]\n    public partial Task<string> FormatAsync(string text);\n}\n", Generate: true));
                continue;
            }

            var lines = Enumerable.Range(0, random.Next(0, 4)).Select(_ => Pick(PlanLines)).ToArray();
            var separator = random.Next(3) == 0 ? "\r\n" : "\n";
            var plans = Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(string.Join(separator, lines), quote: true);
            var table = random.Next(3) == 0 ? "\nnamespace RoutingSdk.Generated { internal static class RoutingTable { } }\n" : "";
            // Each library its own namespace (Lib0, Lib1, ...), so that two libraries do not declare the same types.
            var ns = "Lib" + i.ToString(CultureInfo.InvariantCulture);
            libraries.Add(new Library(name, "[assembly: RoutingSdk.RoutedTasksAssembly(" + Pick(RegistrationTypes).Replace("Lib.", ns + ".", StringComparison.Ordinal) + ", "
                + (random.Next(10) == 0 ? "null" : plans) + ")]\n\n" + LibraryTypes.Replace("namespace Lib", "namespace " + ns, StringComparison.Ordinal) + table, Generate: false));
        }

        var app = random.Next(3) switch
        {
            0 => "namespace App;\n\npublic static class Program { public static void Main() { } }\n",
            _ => "using System.Threading.Tasks;\nusing RoutingSdk;\n\nnamespace App;\n\npublic sealed partial class Assistant(TaskRouter router)\n{\n    [RoutedTask(TaskKind.Formatting, Complexity.Low)]\n    public partial Task<string> FormatAsync(string text);\n}\n",
        };
        return new Case("referenced assemblies", seed, new[] { app }, null, libraries.ToArray());
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
