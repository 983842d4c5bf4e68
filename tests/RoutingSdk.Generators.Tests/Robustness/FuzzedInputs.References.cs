using System.Globalization;
using System.IO;
using System.Text;
using Microsoft.CodeAnalysis;

namespace RoutingSdk.Generators.Tests.Robustness;

/// <summary>The fuzzed inputs of one family: referenced assemblies.</summary>
internal static partial class FuzzedInputs
{
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
}
