namespace RoutingSdk.Analyzers.Tests;

/// <summary>RSDK0010: two tasks of one compilation would share a task name (Type.Method), the key of the ledger, budgets and calibration.</summary>
public sealed class DuplicateTaskNameTests
{
    [Fact]
    public Task The_same_type_name_in_two_namespaces_is_RSDK0010_on_both_tasks()
        => AnalyzerTest.RunAsync("""
            namespace A
            {
                public partial class Desk(TaskRouter router)
                {
                    [RoutedTask(TaskKind.Classification, Complexity.Low)]
                    public partial Task<string> {|RSDK0010:ClassifyAsync|}(string email);
                }
            }

            namespace B
            {
                public partial class Desk(TaskRouter router)
                {
                    [RoutedTask(TaskKind.Classification, Complexity.Low)]
                    public partial Task<string> {|RSDK0010:ClassifyAsync|}(string email);
                }
            }
            """);

    [Fact]
    public Task Overloads_are_RSDK0010_on_every_overload()
        => AnalyzerTest.RunAsync("""
            public partial class Desk(TaskRouter router)
            {
                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public partial Task<string> {|RSDK0010:ClassifyAsync|}(string email);

                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public partial Task<string> {|RSDK0010:ClassifyAsync|}(string email, int priority);

                [RoutedTask(TaskKind.Classification, Complexity.Low)]
                public partial Task<string> {|RSDK0010:ClassifyAsync|}(int ticket);
            }
            """);

    [Fact]
    public Task Same_method_name_in_differently_named_types_is_not_RSDK0010()
        => AnalyzerTest.RunAsync("""
            namespace A
            {
                public partial class Desk(TaskRouter router)
                {
                    [RoutedTask(TaskKind.Classification, Complexity.Low)]
                    public partial Task<string> ClassifyAsync(string email);

                    public partial class Inner(TaskRouter router)
                    {
                        [RoutedTask(TaskKind.Classification, Complexity.Low)]
                        public partial Task<string> ClassifyAsync(string email);
                    }
                }

                public partial class Queue(TaskRouter router)
                {
                    [RoutedTask(TaskKind.Classification, Complexity.Low)]
                    public partial Task<string> ClassifyAsync(string email);
                }
            }
            """);

    [Fact]
    public async Task The_message_names_the_shared_name_the_other_tasks_and_the_type()
    {
        var diagnostics = await TestProject.AnalyzeAsync(TestProject.Usings + """
            namespace A { public partial class Desk(TaskRouter router) { [RoutedTask(TaskKind.Classification)] public partial Task<string> ClassifyAsync(string email); } }
            namespace B { public partial class Desk(TaskRouter router) { [RoutedTask(TaskKind.Classification)] public partial Task<string> ClassifyAsync(string email); } }
            """);

        var duplicates = diagnostics.Where(d => d.StartsWith("RSDK0010", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(2, duplicates.Length);
        Assert.Contains("'Desk.ClassifyAsync' of 'A.Desk' shares its task name with 1 other", duplicates[0], StringComparison.Ordinal);
        Assert.Contains("'Desk.ClassifyAsync' of 'B.Desk' shares its task name with 1 other", duplicates[1], StringComparison.Ordinal);
    }
}
