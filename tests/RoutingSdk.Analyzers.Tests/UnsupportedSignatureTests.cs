namespace RoutingSdk.Analyzers.Tests;

/// <summary>RSDK0003: a routed task returns Task&lt;T&gt; or ValueTask&lt;T&gt; and takes its inputs by value.</summary>
public sealed class UnsupportedSignatureTests
{
    [Fact]
    public Task Non_task_return_type_is_RSDK0003_on_the_return_type()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public partial {|RSDK0003:string|} Run(string x);
            }
            """);

    [Fact]
    public Task Ref_and_out_parameters_are_RSDK0003_on_the_parameter_and_nothing_else()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public partial Task<string> Run({|RSDK0003:ref string x|}, {|RSDK0003:out int y|});
            }
            """);

    [Fact]
    public Task ValueTask_of_an_enum_with_in_and_cancellation_parameters_is_not_RSDK0003()
        => AnalyzerTest.RunAsync("""
            public enum Label { Spam, Ham }

            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public partial ValueTask<Label> Run(in string x, CancellationToken cancellationToken = default);
            }
            """);
}
