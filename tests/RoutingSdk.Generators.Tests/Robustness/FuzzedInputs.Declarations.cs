using System.Globalization;
using System.IO;
using System.Text;
using Microsoft.CodeAnalysis;

namespace RoutingSdk.Generators.Tests.Robustness;

/// <summary>The fuzzed inputs of one family: task declarations.</summary>
internal static partial class FuzzedInputs
{
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
}
