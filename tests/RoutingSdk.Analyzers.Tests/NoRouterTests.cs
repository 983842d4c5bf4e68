namespace RoutingSdk.Analyzers.Tests;

/// <summary>RSDK0002: the routed task needs a TaskRouter field, property or primary-constructor parameter.</summary>
public sealed class NoRouterTests
{
    [Fact]
    public Task Type_without_a_router_is_RSDK0002_on_the_method_name()
        => AnalyzerTest.RunAsync("""
            public partial class C
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public partial Task<string> {|RSDK0002:Run|}(string x);
            }
            """);

    [Fact]
    public Task Static_task_with_only_an_instance_router_is_RSDK0002()
        => AnalyzerTest.RunAsync("""
            public partial class C
            {
                private readonly TaskRouter _router = null!;

                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public static partial Task<string> {|RSDK0002:Run|}(string x);
            }
            """);

    [Fact]
    public Task Router_property_in_a_base_class_is_not_RSDK0002()
        => AnalyzerTest.RunAsync("""
            public abstract class Base { protected TaskRouter Router { get; } = null!; }

            public partial class C : Base
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public partial Task<string> Run(string x);
            }
            """);

    [Fact]
    public Task Parameter_that_hides_the_router_parameter_is_RSDK0002_on_the_parameter()
        => AnalyzerTest.RunAsync("""
            public partial class C(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public partial Task<string> Run({|RSDK0002:string router|});
            }
            """);
}
