using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace RoutingSdk.Generators.Tests.Robustness;

/// <summary>
/// Malformed and half-typed C#, made from the inputs the generator tests compile: every input of
/// GeneratorSnapshotTests.cs and DiagnosticTests.cs (read from the test project's sources, so new snapshot inputs are
/// picked up), mutated in families: truncated at every token, each token deleted, typed character by character,
/// attribute arguments of the wrong type, missing types, duplicate methods and types, nested and generic
/// containers, odd method shapes, and seeded random edits. Deterministic: the same sources every run.
/// </summary>
internal static class MalformedSources
{
    private const string Usings = "using System.Threading;\nusing System.Threading.Tasks;\nusing RoutingSdk;\n";

    /// <summary>One unit of work: sources fed one after another to the same generator driver (an editor's keystrokes), or a single source.</summary>
    public sealed record Job(string Family, IReadOnlyList<string> Sources);

    /// <summary>The inputs of the generator tests, each a complete source file.</summary>
    public static IReadOnlyList<string> Seeds()
    {
        var folder = TestProjectFolder();
        var seeds = new List<string>();
        foreach (var file in new[] { "GeneratorSnapshotTests.cs", "DiagnosticTests.cs" })
        {
            var path = Path.Combine(folder, file);
            if (!File.Exists(path)) continue;
            var root = CSharpSyntaxTree.ParseText(File.ReadAllText(path)).GetRoot();
            foreach (var token in root.DescendantTokens())
            {
                if (!token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken) && !token.IsKind(SyntaxKind.StringLiteralToken)) continue;
                var text = token.ValueText;
                if (!text.Contains("[RoutedTask", StringComparison.Ordinal) && !text.Contains("ModelTier(", StringComparison.Ordinal)) continue;
                seeds.Add(text.Contains("using RoutingSdk;", StringComparison.Ordinal) ? text : Usings + text);
            }
        }

        return seeds.Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Every job, from every seed; each source appears once over all jobs except where typing repeats a prefix.</summary>
    public static IReadOnlyList<Job> Jobs(IReadOnlyList<string> seeds, int randomPerSeed)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var jobs = new List<Job>();
        void Add(string family, string source)
        {
            if (seen.Add(source)) jobs.Add(new Job(family, new[] { source }));
        }

        // Typing: the first snapshot input and the two shortest seeds, character by character, through one driver
        // each (as an IDE runs the generator on every keystroke).
        foreach (var seed in seeds.Take(1).Concat(seeds.Skip(1).OrderBy(s => s.Length).Take(2)))
        {
            var prefixes = Enumerable.Range(0, seed.Length + 1).Select(n => seed[..n]).ToArray();
            jobs.Add(new Job("typed character by character", prefixes));
        }

        for (var s = 0; s < seeds.Count; s++)
        {
            var seed = seeds[s];
            var root = CSharpSyntaxTree.ParseText(seed).GetRoot();
            var tokens = root.DescendantTokens().Where(t => !t.IsKind(SyntaxKind.EndOfFileToken)).ToArray();

            foreach (var token in tokens)
            {
                Add("truncated after a token", seed[..token.Span.End]);
                Add("truncated before a token", seed[..token.SpanStart]);
                Add("token deleted", seed.Remove(token.SpanStart, token.Span.Length));
            }

            foreach (var argument in root.DescendantNodes().OfType<AttributeArgumentSyntax>())
            {
                foreach (var value in WrongValues) Add("attribute argument of the wrong type", Replace(seed, argument.Expression.Span, value));
                Add("attribute argument deleted", Remove(seed, argument.Span));
                Add("attribute argument duplicated", seed.Insert(argument.Span.End, ", " + argument.ToString()));
                Add("attribute argument unnamed", argument.NameEquals is null ? seed : Replace(seed, argument.Span, argument.Expression.ToString()));
                Add("attribute argument renamed", argument.NameEquals is null ? Replace(seed, argument.Span, "Nope = " + argument.Expression) : Replace(seed, argument.NameEquals.Name.Span, "Nope"));
                Add("attribute argument as named colon", Replace(seed, argument.Span, "kind: " + argument.Expression));
            }

            foreach (var attribute in root.DescendantNodes().OfType<AttributeSyntax>())
            {
                foreach (var shape in AttributeShapes(attribute)) Add("attribute reshaped", Replace(seed, attribute.Span, shape));
            }

            foreach (var (from, to) in MissingTypes)
            {
                var all = seed.Replace(from, to, StringComparison.Ordinal);
                Add("missing type", all);
                var index = seed.IndexOf(from, StringComparison.Ordinal);
                for (var i = 0; index >= 0 && i < 6; i++, index = seed.IndexOf(from, index + 1, StringComparison.Ordinal))
                    Add("missing type (one use)", seed.Remove(index, from.Length).Insert(index, to));
            }

            foreach (var line in seed.Split('\n').Where(l => l.TrimStart().StartsWith("using ", StringComparison.Ordinal)))
                Add("using removed", seed.Replace(line + "\n", "", StringComparison.Ordinal));

            foreach (var method in root.DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                Add("duplicate method", seed.Insert(method.FullSpan.End, method.ToFullString()));
                Add("duplicate method, other parameters", seed.Insert(method.FullSpan.End, method.WithParameterList(SyntaxFactory.ParseParameterList("(int other)")).ToFullString()));
                foreach (var shape in MethodShapes(method)) Add("method reshaped", Replace(seed, method.Span, shape));
            }

            foreach (var type in root.DescendantNodes().OfType<TypeDeclarationSyntax>())
            {
                Add("duplicate type", seed.Insert(type.FullSpan.End, type.ToFullString()));
                foreach (var (open, close) in Containers)
                    Add("nested or generic container", seed.Insert(type.FullSpan.End, close).Insert(type.FullSpan.Start, open));
                foreach (var shape in TypeShapes(type)) Add("type reshaped", Replace(seed, TypeHeader(type), shape));
            }

            Add("file twice", seed + "\n" + seed);
            Add("file-scoped namespace twice", Regex.Replace(seed, @"namespace ([\w.]+);", "namespace $1;\nnamespace $1.Inner;"));

            var random = new Random(1234 + s);
            for (var i = 0; i < randomPerSeed; i++) Add("random edit", RandomEdit(seed, tokens, random));
        }

        return jobs;
    }

    /// <summary>
    /// About <paramref name="size"/> sources of <paramref name="jobs"/>, the same every run: every family gets an even share,
    /// taken at evenly spaced positions of its jobs (so each family's variety is kept), and a typing job keeps every
    /// fifth keystroke of its input.
    /// </summary>
    public static IReadOnlyList<Job> Sample(IReadOnlyList<Job> jobs, int size)
    {
        var families = jobs.GroupBy(j => j.Family).ToArray();
        var share = Math.Max(1, size / families.Length);
        var sample = new List<Job>();
        foreach (var family in families)
        {
            var members = family.ToArray();
            if (members[0].Sources.Count > 1)
            {
                // Typing: the first input's keystrokes, thinned out, still through one driver.
                var typed = members[0].Sources;
                var step = Math.Max(5, typed.Count / share);
                sample.Add(new Job(family.Key, typed.Where((_, i) => i % step == 0).Take(share).ToArray()));
                continue;
            }

            var take = Math.Min(share, members.Length);
            for (var i = 0; i < take; i++) sample.Add(members[(int)((long)i * members.Length / take)]);
        }

        return sample;
    }

    private static readonly string[] WrongValues =
    {
        "\"text\"", "1.5", "null", "true", "-1", "0", "int.MaxValue", "long.MaxValue", "double.NaN", "double.PositiveInfinity",
        "1e308", "-0.0", "1 / 0", "(TaskKind)999", "(Complexity)(-3)", "(Escalation)42", "TaskKind.Nope", "Complexity.", "default",
        "typeof(int)", "new int[0]", "new[] { \"a\" }", "nameof(System)", "\"{\"", "\"}\"", "\"{x\"", "\"{}\"", "\"{{}}\"",
        "\"{0}\"", "\"" + new string('{', 40) + "\"", "Undefined.Value", "x => x", "$\"{1}\"", "'c'", "1m", "(string)null",
        "\"\\u0000\"", "\"frontier\" + 1", "TaskKind.Classification | TaskKind.Analysis", "@\"multi\nline {email}\"",
        "\"\"\"\n    raw {clause}\n    \"\"\"", "", "(", "\"unterminated",
    };

    private static readonly (string From, string To)[] MissingTypes =
    {
        ("TaskRouter", "TaskRoutr"), ("Task<", "Tsk<"), ("ValueTask<", "ValueTsk<"), ("string ", "strin "), ("CancellationToken", "CancelToken"),
        ("TaskKind.", "TaskKnd."), ("Complexity.", "Cmplexity."), ("RoutedTask(", "RoutedTsk("), ("ModelTier(", "ModelTiar("),
        ("TicketCategory", "TicketCat"), ("Order", "Ordr"), ("RoutingSdk", "RoutingSdc"), ("System.Threading.Tasks", "System.Threading.Tsks"),
        ("partial ", ""), ("Escalation.", "Escalaton."), ("DateTime", "DateTme"),
    };

    private static readonly (string Open, string Close)[] Containers =
    {
        ("public partial class Outer<T> where T : class\n{\n", "\n}\n"),
        ("public partial struct OuterStruct\n{\n", "\n}\n"),
        ("public partial record OuterRecord<T1, T2>(T1 First) where T2 : struct\n{\n", "\n}\n"),
        ("public static partial class OuterStatic\n{\n", "\n}\n"),
        ("public class NotPartial\n{\n", "\n}\n"),
        ("public partial interface IOuter\n{\n", "\n}\n"),
        ("partial class A { partial class B<T> { partial class C<U, V> {\n", "\n} } }\n"),
        ("internal partial class Outer { private partial class Hidden<T> where T : System.IDisposable, new() {\n", "\n} }\n"),
        ("public partial record struct OuterValue(int X)\n{\n", "\n}\n"),
        ("file partial class FileLocal\n{\n", "\n}\n"),
        ("public partial class Outer\n{\n", ""),
        ("", "\n}\n"),
        ("namespace Extra\n{\n", "\n}\n"),
        ("public enum E { A,\n", "\n}\n"),
        ("class C { void M() {\n", "\n} }\n"),
    };

    private static IEnumerable<string> AttributeShapes(AttributeSyntax attribute)
    {
        var name = attribute.Name.ToString();
        var arguments = attribute.ArgumentList?.ToString() ?? "";
        yield return name;
        yield return name + "()";
        yield return name + "(";
        yield return name + arguments.TrimEnd(')');
        yield return name + "Attribute" + arguments;
        yield return "RoutingSdk." + name + arguments;
        yield return "global::RoutingSdk." + name + "Attribute" + arguments;
        yield return name + "<int>" + arguments;
        yield return name + "(TaskKind.Classification, Complexity.Low, Complexity.High, 1, 2)";
        yield return name + "(Complexity.Low, TaskKind.Classification)";
        yield return name + "(QualityThreshold = 0.9)";
        yield return name + arguments + ", " + name + arguments;
        yield return "return: " + name + arguments;
        yield return name + "(Tier = \"frontier\", Tier = \"small\", MaxTier = \"mid\")";
        yield return name + "(TaskKind.Classification, Prompt = \"{\" + \"x}\")";
    }

    private static IEnumerable<string> MethodShapes(MethodDeclarationSyntax method)
    {
        var text = method.ToString();
        var name = method.Identifier.Text;
        yield return text.Replace(name + "(", name + "<T>(", StringComparison.Ordinal);
        yield return text.Replace("partial ", "", StringComparison.Ordinal);
        yield return text.Replace("partial ", "partial partial ", StringComparison.Ordinal);
        yield return text.Replace("partial ", "static partial ", StringComparison.Ordinal);
        yield return text.Replace("partial ", "async partial ", StringComparison.Ordinal);
        yield return text.Replace("partial ", "extern partial ", StringComparison.Ordinal);
        yield return text.Replace("partial ", "abstract partial ", StringComparison.Ordinal);
        yield return text.Replace("partial ", "partial unsafe ", StringComparison.Ordinal);
        yield return text.TrimEnd(';') + " { return default!; }";
        yield return text.TrimEnd(';') + " => default!;";
        yield return text.TrimEnd(';');
        yield return text.Replace("(", "(ref int counter, ", StringComparison.Ordinal);
        yield return text.Replace("(", "(out int counter, ", StringComparison.Ordinal);
        yield return text.Replace("(", "(in int counter, ", StringComparison.Ordinal);
        yield return text.Replace("(", "(this string self, ", StringComparison.Ordinal);
        yield return text.Replace(")", ", params string[] rest)", StringComparison.Ordinal);
        yield return text.Replace(")", ", int* pointer)", StringComparison.Ordinal);
        yield return text.Replace(")", ", __arglist)", StringComparison.Ordinal);
        yield return text.Replace(")", ", string email = 42)", StringComparison.Ordinal);
        yield return Regex.Replace(text, @"partial [^(]*\(", "partial void " + name + "(");
        yield return Regex.Replace(text, @"partial [^(]*\(", "partial Task " + name + "(");
        yield return Regex.Replace(text, @"partial [^(]*\(", "partial Task<T> " + name + "<T>(");
        yield return Regex.Replace(text, @"partial [^(]*\(", "partial Task<(int A, string B)> " + name + "(");
        yield return Regex.Replace(text, @"partial [^(]*\(", "partial Task<int*> " + name + "(");
        yield return Regex.Replace(text, @"partial [^(]*\(", "partial Task<dynamic> " + name + "(");
        yield return Regex.Replace(text, @"partial [^(]*\(", "partial System.Collections.Generic.IAsyncEnumerable<string> " + name + "(");
        yield return Regex.Replace(text, @"partial [^(]*\(", "partial Task<string?[]?> " + name + "(");
        yield return Regex.Replace(text, @"partial [^(]*\(", "partial ref Task<string> " + name + "(");
        yield return text.Replace(name + "(", "IDisposable.Dispose(", StringComparison.Ordinal);
        yield return text.Replace(name + "(", "@class(", StringComparison.Ordinal);
        yield return text.Replace(name + "(", "operator +(", StringComparison.Ordinal);
        yield return "void Local() { " + text + " }";
        yield return "public string Property { get; } = \"\";\n" + text + "\n" + text;
    }

    private static IEnumerable<string> TypeShapes(TypeDeclarationSyntax type)
    {
        var header = type.ToString()[..(TypeHeader(type).Length)];
        var name = type.Identifier.Text;
        var keyword = type.Keyword.Text;
        yield return header.Replace(keyword + " " + name, keyword + " " + name + "<T>", StringComparison.Ordinal);
        yield return header.Replace(keyword + " " + name, keyword + " " + name + "<T, @class>", StringComparison.Ordinal);
        yield return header.Replace("partial ", "", StringComparison.Ordinal);
        yield return header.Replace(keyword + " ", "struct ", StringComparison.Ordinal);
        yield return header.Replace(keyword + " ", "record ", StringComparison.Ordinal);
        yield return header.Replace(keyword + " ", "record struct ", StringComparison.Ordinal);
        yield return header.Replace(keyword + " ", "interface ", StringComparison.Ordinal);
        yield return header.Replace("partial ", "abstract partial ", StringComparison.Ordinal);
        yield return header.Replace("partial ", "static partial ", StringComparison.Ordinal);
        yield return header.Replace("partial ", "file partial ", StringComparison.Ordinal);
        yield return header.Replace("public ", "private ", StringComparison.Ordinal);
        yield return header + " : TaskRouter";
        yield return header + " : System.Collections.Generic.List<TaskRouter>";
        yield return header.Replace("(TaskRouter router)", "(TaskRouter router, TaskRouter router)", StringComparison.Ordinal);
        yield return header.Replace("(TaskRouter router)", "(int router)", StringComparison.Ordinal);
        yield return header.Replace("(TaskRouter router)", "(", StringComparison.Ordinal);
        yield return header.Replace(name, "", StringComparison.Ordinal);
    }

    /// <summary>From the start of the type declaration's modifiers to the end of its base list, constraints or parameters.</summary>
    private static Microsoft.CodeAnalysis.Text.TextSpan TypeHeader(TypeDeclarationSyntax type)
    {
        var end = type.OpenBraceToken.IsKind(SyntaxKind.OpenBraceToken) && !type.OpenBraceToken.IsMissing
            ? type.OpenBraceToken.SpanStart
            : Math.Max(type.Identifier.Span.End, type.ParameterList?.Span.End ?? 0);
        var text = type.SyntaxTree.GetText().ToString(Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(type.SpanStart, end));
        return new Microsoft.CodeAnalysis.Text.TextSpan(type.SpanStart, text.TrimEnd().Length);
    }

    private static readonly string[] Snippets =
    {
        "{", "}", "(", ")", "\"", "@\"", "$\"", "\"\"\"", "<", ">", ",", ";", "[", "]", "=", ".", "?", "!", "*", "&",
        "\n#if X\n", "\n#endif\n", "\n#else\n", "\n#region r\n", "\n#pragma warning disable\n", "/*", "*/", "//", "\\",
        "partial", "static", "async", "unsafe", "RoutedTask", "[RoutedTask(TaskKind.Classification)]", "TaskKind.", "Complexity.High",
        "Tier = \"frontier\"", "{email}", "{clause}", "{{", "}}", "\u0000", "\uFFFF", "\uD800", "é", "\u200B", "global::", "::", "=>",
        "TaskRouter", "Task<", "ValueTask<string>", "where T : struct", "<T>", "\n", "\t", "class", "record", "namespace N;",
    };

    private static string RandomEdit(string seed, SyntaxToken[] tokens, Random random)
    {
        var text = seed;
        for (int edits = 1 + random.Next(3), i = 0; i < edits && text.Length > 0; i++)
        {
            var at = random.Next(text.Length);
            text = random.Next(5) switch
            {
                0 => text.Remove(at, Math.Min(text.Length - at, 1 + random.Next(20))),
                1 => text.Insert(at, Snippets[random.Next(Snippets.Length)]),
                2 => Duplicate(text, at, random.Next(text.Length)),
                3 => SwapTokens(text, tokens, random),
                _ => text.Remove(at, 1).Insert(at, ((char)random.Next(32, 127)).ToString()),
            };
        }

        return text;
    }

    private static string Duplicate(string text, int at, int from) => text.Insert(at, text.Substring(from, Math.Min(40, text.Length - from)));

    private static string SwapTokens(string text, SyntaxToken[] tokens, Random random)
    {
        var i = random.Next(tokens.Length - 1);
        var (a, b) = (tokens[i], tokens[i + 1]);
        if (b.Span.End > text.Length) return text;
        var builder = new StringBuilder(text);
        builder.Remove(a.SpanStart, b.Span.End - a.SpanStart);
        builder.Insert(a.SpanStart, b.Text + text[a.Span.End..b.SpanStart] + a.Text);
        return builder.ToString();
    }

    private static string Replace(string text, Microsoft.CodeAnalysis.Text.TextSpan span, string with)
        => text[..span.Start] + with + text[span.End..];

    private static string Remove(string text, Microsoft.CodeAnalysis.Text.TextSpan span) => Replace(text, span, "");

    private static string TestProjectFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RoutingSdk.Generators.Tests.csproj"))) return dir.FullName;
        }

        throw new InvalidOperationException($"The test project folder was not found above {AppContext.BaseDirectory}.");
    }
}
