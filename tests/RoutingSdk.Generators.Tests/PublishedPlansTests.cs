using RoutingSdk.Generators.Model;
using RoutingSdk.Planning;
using Xunit;

namespace RoutingSdk.Generators.Tests;

/// <summary>The text in which an assembly publishes its plans reads back as it was written, whatever the names hold.</summary>
public sealed class PublishedPlansTests
{
    [Theory]
    [InlineData("Desk.RunAsync", "small", "frontier-thinking")]
    [InlineData("Outer<T>.Run Async", "tier one", "tier,two")]
    [InlineData("Quote\"d.Line\nBreak", "ünïcode 😀", "100% \t tab")]
    public void Names_with_separators_quotes_and_line_breaks_read_back_unchanged(string taskName, string firstTier, string secondTier)
    {
        var plan = new TaskPlan(taskName, new[] { firstTier, secondTier }, 0.85, 0.9712345678901234, 1.234567m, 37.5m, System.Array.Empty<Finding>());
        var other = new TaskPlan("Other.Task", new[] { "mid" }, 0.7, 1, 0m, 12m, System.Array.Empty<Finding>());
        var w = new IndentedWriter();
        PublishedPlans.Write(w, new TableEntry("A", new TaskSpec(taskName, "Run", TaskKind.General, Complexity.Low), plan));
        PublishedPlans.Write(w, new TableEntry("B", new TaskSpec("Other.Task", "Task", TaskKind.General, Complexity.Low), other));
        var text = w.ToString();

        // Two lines, each a verbatim-string line: no quote, no line break of its own.
        Assert.Equal(2, text.Split('\n', System.StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain("\"", text, System.StringComparison.Ordinal);

        var read = PublishedPlans.Read(text);
        Assert.NotNull(read);
        Assert.Equal(2, read.Value.Count);
        var first = read.Value[0];
        Assert.Equal(taskName, first.TaskName);
        Assert.Equal(new[] { firstTier, secondTier }, first.Chain);
        Assert.Equal(0.85, first.QualityThreshold);
        Assert.Equal(0.9712345678901234, first.ProjectedQuality);
        Assert.Equal(1.234567m, first.ProjectedUsdPerThousandCalls);
        Assert.Equal(37.5m, first.AllFrontierUsdPerThousandCalls);
        Assert.Equal(new ReferencedPlan("Other.Task", new EquatableArray<string>(new[] { "mid" }), 0.7, 1, 0m, 12m), read.Value[1]);
    }

    [Fact]
    public void Names_are_escaped_as_uri_data_escapes_them()
    {
        const string name = "Outer<T>.Run Async,ü😀~";
        var plan = new TaskPlan(name, new[] { "small" }, 0.8, 0.9, 1m, 2m, System.Array.Empty<Finding>());
        var w = new IndentedWriter();
        PublishedPlans.Write(w, new TableEntry("A", new TaskSpec(name, "Run", TaskKind.General, Complexity.Low), plan));
        Assert.StartsWith(System.Uri.EscapeDataString(name) + " small ", w.ToString(), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Desk.RunAsync small 0.8 0.9 1.5")]
    [InlineData("Desk.RunAsync small 0.8 high 1.5 6.75")]
    [InlineData("Desk.RunAsync small 0.8 0.9 1.5 6.75 extra")]
    public void A_line_that_is_not_a_plan_makes_the_text_unreadable(string line)
        => Assert.Null(PublishedPlans.Read("\r\nOk.Task mid 0.8 0.9 1 2\r\n" + line + "\n"));

    [Fact]
    public void Windows_line_ends_and_blank_lines_are_ignored()
    {
        var read = PublishedPlans.Read("\r\n\r\nOk.Task mid,frontier 0.8 0.9 1 2\r\n\r\n");
        Assert.NotNull(read);
        Assert.Equal(new[] { "mid", "frontier" }, Assert.Single(read.Value).Chain);
    }
}
