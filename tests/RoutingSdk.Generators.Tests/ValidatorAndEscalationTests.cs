using Xunit;

namespace RoutingSdk.Generators.Tests;

/// <summary>The Validator setting (RSDK0009 when it does not fit), the plan's escalation and the ValueTask entry point.</summary>
public sealed class ValidatorAndEscalationTests
{
    private const string Usings = "using System.Threading;\nusing System.Threading.Tasks;\nusing RoutingSdk;\n";

    private static string[] Diagnose(string body) => GeneratorHarness.Analyze(GeneratorHarness.Run(Usings + body).Output).Positions;

    [Fact]
    public void Validators_classifier_escalation_and_value_tasks_are_emitted()
    {
        const string source = """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            using RoutingSdk;

            namespace Shop;

            public sealed record Order(string Number, decimal Amount);

            public partial class Orders(TaskRouter router)
            {
                [RoutedTask(TaskKind.Extraction, Complexity.Low, Validator = nameof(IsComplete),
                    Prompt = "Extract the order from:\n{email}")]
                public partial Task<Order> ExtractAsync(string email, CancellationToken cancellationToken = default);

                [RoutedTask(TaskKind.Summarization, Complexity.Medium, Escalation = Escalation.Classifier, Validator = nameof(Plausibility))]
                public partial ValueTask<string> SummarizeAsync(string thread);

                private static bool IsComplete(Order order) => order.Number.Length > 0 && order.Amount > 0;

                private double Plausibility(IEnumerable<char> summary) => 1.0;

            }

            public static partial class Counter
            {
                private static TaskRouter Shared { get; set; } = null!;

                [RoutedTask(TaskKind.Classification, Complexity.Low, Escalation = Escalation.None, Validator = nameof(Known))]
                public static partial ValueTask<int> CountAsync(string text);

                private static bool Known(int count) => count >= 0;
            }
            """;
        var (result, output) = GeneratorHarness.Run(source);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.Analyze(output).Positions);
        Assert.Empty(GeneratorHarness.CompilerProblems(output));
        Snapshot.Verify(result);
    }

    [Fact]
    public void Validator_that_names_no_method_is_RSDK0009_on_the_argument()
        => Assert.Equal(new[] { "RSDK0009@6:54" }, Diagnose("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Validator = "IsVaild")]
                public partial Task<string> Run(string x);

                private static bool IsValid(string answer) => true;
            }
            """));

    [Fact]
    public void Validator_with_the_wrong_parameter_or_return_type_is_RSDK0009()
        => Assert.Equal(new[] { "RSDK0009@6:54", "RSDK0009@9:54" }, Diagnose("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Validator = nameof(TakesInt))]
                public partial Task<string> Run(string x);

                [RoutedTask(TaskKind.Classification, Validator = nameof(ReturnsString))]
                public partial Task<string> Other(string x);

                private static bool TakesInt(int answer) => true;
                private static string ReturnsString(string answer) => answer;
            }
            """));

    [Fact]
    public void Instance_validator_of_a_static_task_is_RSDK0009()
        => Assert.Equal(new[] { "RSDK0009@6:54" }, Diagnose("""
            public partial class C
            {
                [RoutedTask(TaskKind.Classification, Validator = nameof(IsValid))]
                public static partial Task<string> Run(string x);

                private static TaskRouter Router { get; } = null!;

                private bool IsValid(string answer) => true;
            }
            """));

    [Fact]
    public void Overloaded_validator_picks_the_overload_that_fits()
        => Assert.Empty(Diagnose("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, Validator = nameof(Check))]
                public partial Task<string> Run(string x);

                private static bool Check(int answer) => true;
                private static double Check(string answer) => 0.5;
            }
            """));
}
