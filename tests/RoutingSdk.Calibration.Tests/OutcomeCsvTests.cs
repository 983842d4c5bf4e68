using RoutingSdk.Calibration;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration.Tests;

public class OutcomeCsvTests
{
    [Fact]
    public void Quoted_fields_keep_commas_quotes_and_line_breaks()
    {
        var rows = OutcomeCsv.Parse(
            "benchmark,query,model,correct,cost_usd,confidence,answer\n" +
            "qa,1,small,1,0.001,-0.5,\"Paris, France\"\n" +
            "qa,2,small,0,0.002,,\"He said \"\"no\"\"\nthen left\"\n" +
            "qa,3,small,0.5,0.003,-inf,plain\n");

        Assert.Equal(3, rows.Count);
        Assert.Equal("Paris, France", rows[0].Answer);
        Assert.Equal(-0.5, rows[0].Confidence);
        Assert.Equal("He said \"no\"\nthen left", rows[1].Answer);
        Assert.Null(rows[1].Confidence);
        Assert.Null(rows[2].Confidence);
        Assert.Equal(0.5, rows[2].Correct);
        Assert.Equal(5, rows[2].Line); // the second record spans lines 3 and 4
    }

    [Fact]
    public void A_chain_column_makes_the_task_benchmark_slash_chain()
    {
        var rows = OutcomeCsv.Parse("benchmark,chain,query,model,tier,correct,cost_usd\nmmlu,llama,0,l1,0,1,0.1\r\nmmlu,llama,0,l2,1,0,0.2\r\n");
        Assert.All(rows, r => Assert.Equal("mmlu/llama", r.Task));
        Assert.Equal(1, rows[1].Tier);
    }

    [Fact]
    public void Missing_columns_are_named_on_line_1()
    {
        var ex = Assert.Throws<OutcomeFormatException>(() => OutcomeCsv.Parse("benchmark,query,model\nqa,1,small\n"));
        Assert.Equal(1, ex.Line);
        Assert.Contains("correct", ex.Message);
        Assert.Contains("cost_usd", ex.Message);
        Assert.StartsWith("line 1:", ex.Message);
    }

    [Theory]
    [InlineData("qa,1,small,yes,0.1", 3, "'correct' is 'yes', not a number")]
    [InlineData("qa,1,small,1,-0.1", 3, "'cost_usd' is -0.1, below 0")]
    [InlineData("qa,1,small,2,0.1", 3, "above 1")]
    [InlineData("qa,1,small,1", 3, "expected 5 fields as in the header, found 4")]
    [InlineData(",1,small,1,0.1", 3, "'benchmark' is empty")]
    [InlineData("qa,1,small,1,0.1\nqa,1,small,0,0.2", 4, "already appears on line 3")]
    [InlineData("qa,1,\"small,1,0.1", 3, "not closed")]
    [InlineData("qa,1,sm\"all,1,0.1", 3, "quote appears inside an unquoted field")]
    public void Malformed_rows_report_their_line(string row, int line, string message)
    {
        var text = "benchmark,query,model,correct,cost_usd\nqa,0,small,1,0.1\n" + row + "\n";
        var ex = Assert.Throws<OutcomeFormatException>(() => OutcomeCsv.Parse(text));
        Assert.Equal(line, ex.Line);
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void Empty_file_and_header_only_are_errors()
    {
        Assert.Contains("empty", Assert.Throws<OutcomeFormatException>(() => OutcomeCsv.Parse("")).Message);
        Assert.Contains("no rows", Assert.Throws<OutcomeFormatException>(() => OutcomeCsv.Parse("benchmark,query,model,correct,cost_usd\n")).Message);
    }

    [Fact]
    public void Written_outcomes_read_back_the_same()
    {
        var rows = new[]
        {
            new Outcome("Desk.Classify", "1", "small", 1, 0.000125, 0.97, "billing, \"urgent\"", 0, 120, 3, 41.5),
            new Outcome("Desk.Classify", "1", "mid", 0, 0.0015, null, null, 1),
        };
        var writer = new StringWriter();
        OutcomeCsv.Write(writer, rows);
        var back = OutcomeCsv.Parse(writer.ToString());

        Assert.Equal(2, back.Count);
        Assert.Equal("billing, \"urgent\"", back[0].Answer);
        Assert.Equal(0.97, back[0].Confidence);
        Assert.Equal(120, back[0].TokensIn);
        Assert.Equal(41.5, back[0].LatencyMs);
        Assert.Null(back[1].Confidence);
        Assert.Equal(0.0015, back[1].CostUsd);
    }

    [Fact]
    public void Grouping_orders_models_by_cost_and_drops_incomplete_queries()
    {
        var rows = OutcomeCsv.Parse("benchmark,query,model,correct,cost_usd\n" +
            "t,1,dear,1,0.9\nt,1,cheap,0,0.1\nt,2,dear,1,0.9\nt,2,cheap,1,0.1\nt,3,dear,1,0.9\n");
        var task = Assert.Single(TaskOutcomes.Group(rows));
        Assert.Equal(new[] { "cheap", "dear" }, task.Models);
        Assert.Equal(new[] { "1", "2" }, task.Queries);
        Assert.Equal(1, task.DroppedQueries);
        Assert.Equal(0.5, task.Quality(0));
        Assert.Equal(1, task.BestModel());
    }
}
