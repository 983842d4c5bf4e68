namespace RoutingSdk.Analyzers.Tests;

/// <summary>
/// The Parser's usage errors: each mistake has its own message format, filled with the names and values at fault
/// and saying what to do (the rules' own test files check where each is reported).
/// </summary>
public sealed class UsageMessageTests
{
    [Fact]
    public Task Generic_method_names_its_type_parameters()
        => Expect("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification)]
                public partial Task<string> Run{|#0:<T, U>|}(T x);
            }
            """, "RSDK0001", "routed task 'Run' must not be generic: its plan and prompt are fixed at compile time; remove the type parameters '<T, U>'");

    [Fact]
    public Task Cast_of_an_undeclared_number_names_the_setting_and_the_members()
        => Expect("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask({|#0:(TaskKind)999|})]
                public partial Task<string> Run(string x);
            }
            """, "RSDK0006", "kind of routed task 'Run' is (TaskKind)999, which is no TaskKind member; write one of the named members, TaskKind.Classification to TaskKind.General");

    [Fact]
    public Task Method_with_a_body_is_told_that_RoutingSdk_writes_it()
        => Expect("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification)]
                public partial Task<string> {|#0:Run|}(string x) => Task.FromResult(x);
            }
            """, "RSDK0001", "routed task 'Run' must be a partial method without a body; RoutingSdk writes the body");

    [Fact]
    public Task Static_task_without_a_static_router_is_told_so()
        => Expect("""
            public partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public static partial Task<string> {|#0:Run|}(string x);
            }
            """, "RSDK0002", "routed task 'Run' has no TaskRouter to call: add a TaskRouter field, property or primary-constructor parameter to 'Desk' (static, since the method is static)");

    [Fact]
    public Task Out_parameter_names_the_parameter_and_its_modifier()
        => Expect("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public partial Task<string> Run({|#0:out string text|});
            }
            """, "RSDK0003", "parameter 'text' of routed task 'Run' is passed by 'out'; routed tasks take their inputs by value");

    [Fact]
    public Task Placeholder_of_a_task_without_inputs_says_there_are_none()
        => Expect("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low, Prompt = "Classify {|#0:{email}|}")]
                public partial Task<string> Run(CancellationToken cancellationToken);
            }
            """, "RSDK0004", "placeholder '{email}' in the Prompt of routed task 'Run' names no parameter; the parameters are none");

    [Fact]
    public Task Nameless_tier_shows_how_to_name_it()
        => Expect("""
            [assembly: {|#0:ModelTier(null, Rank = 0, InputCostPerMillion = 1, OutputCostPerMillion = 1)|}]
            [assembly: ModelTier("small", Rank = 1, InputCostPerMillion = 1, OutputCostPerMillion = 1)]
            """, "RSDK0007", "a [ModelTier] attribute needs a tier name: write it as the first argument, as in [assembly: ModelTier(\"small\", Rank = 0)]");

    [Fact]
    public Task Validator_of_the_wrong_shape_shows_what_was_found_and_what_is_needed()
        => Expect("""
            public partial class C(TaskRouter router)
            {
                private static string Check(int value) => "";

                [RoutedTask(TaskKind.Classification, Complexity.Low, Validator = {|#0:"Check"|})]
                public partial Task<string> Run(string x);
            }
            """, "RSDK0009", "Validator 'Check' of routed task 'Run' is 'C.Check(int)'; a validator is a method of 'C' that takes 'string' and returns bool or double");

    private static Task Expect(string source, string id, string message)
    {
        var test = new AnalyzerTest(source) { CompilerDiagnostics = CompilerDiagnostics.None };
        test.ExpectedDiagnostics.Add(new DiagnosticResult(id, DiagnosticSeverity.Error).WithLocation(0).WithMessage(message));
        return test.RunAsync();
    }
}
