namespace RoutingSdk.Analyzers.Tests;

/// <summary>RSDK0001: a routed task must be a partial, non-generic method of a partial type.</summary>
public sealed class NotPartialTests
{
    [Fact]
    public Task Method_that_is_not_partial_is_RSDK0001_on_its_name()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification)]
                public Task<string> {|RSDK0001:Run|}(string x) => Task.FromResult(x);
            }
            """);

    [Fact]
    public Task Type_that_is_not_partial_is_RSDK0001_on_the_type_name()
        => AnalyzerTest.RunIgnoringCompilerErrorsAsync("""
            public class {|RSDK0001:C|}(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification)]
                public partial Task<string> Run(string x);
            }
            """);

    [Fact]
    public Task Generic_method_is_RSDK0001_on_its_type_parameters()
        => AnalyzerTest.RunIgnoringCompilerErrorsAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification)]
                public partial Task<string> Run{|RSDK0001:<T>|}(T x);
            }
            """);

    [Fact]
    public Task Partial_method_of_partial_types_is_not_RSDK0001()
        => AnalyzerTest.RunAsync("""
            public static partial class Outer
            {
                public partial class C(TaskRouter router)
                {
                    [RoutedTask(TaskKind.Classification, Complexity.Low)]
                    public partial Task<string> Run(string x);
                }
            }
            """);
}
