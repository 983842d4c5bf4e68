using RoutingSdk.Calibration;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration.Tests;

public class CalibrationFileTests
{
    private const string Minimal = """
        {
          "tasks": {
            "Desk.ClassifyAsync": { "chain": ["small", "frontier"], "thresholds": [-0.2] }
          }
        }
        """;

    /// <summary>A file of <paramref name="count"/> tasks, one a line (line 3 + i holds task i), and optionally a repeat of task 0 at the end.</summary>
    internal static string ManyTasks(int count, bool repeatFirst = false)
    {
        var text = new System.Text.StringBuilder(count * 80);
        text.Append("{\n  \"version\": 1,\n  \"tasks\": {\n");
        for (var i = 0; i < count; i++)
        {
            if (i > 0) text.Append(",\n");
            text.Append("    \"Desk.Task").Append(i).Append("\": { \"chain\": [\"small\", \"frontier\"], \"thresholds\": [0.5] }");
        }

        if (repeatFirst) text.Append(",\n    \"Desk.Task0\": { \"chain\": [\"small\"], \"thresholds\": [] }");
        text.Append("\n  }\n}\n");
        return text.ToString();
    }

    [Fact]
    public void A_file_of_20000_tasks_reads_every_task_and_finds_each_by_name()
    {
        var result = CalibrationFile.Parse(ManyTasks(20_000));

        Assert.True(result.Success, string.Join("; ", result.Errors.Take(3)));
        Assert.Equal(20_000, result.Calibration.Tasks.Count);
        Assert.Equal("Desk.Task0", result.Calibration.Find("Desk.Task0")!.Task);
        Assert.Equal("Desk.Task19999", result.Calibration.Find("Desk.Task19999")!.Task);
        Assert.Null(result.Calibration.Find("Desk.Task20000"));
    }

    [Fact]
    public void A_task_repeated_after_20000_others_is_reported_at_its_line()
    {
        var result = CalibrationFile.Parse(ManyTasks(20_000, repeatFirst: true));

        var error = Assert.Single(result.Errors);
        Assert.Equal(3 + 20_000 + 1, error.Line);
        Assert.Equal(5, error.Column);
        Assert.Contains("\"Desk.Task0\" appears twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_first_entry_of_a_task_name_is_the_one_found()
    {
        var first = new TaskCalibration("t", new[] { "a" }, Array.Empty<double>(), Array.Empty<ModelFigures>());
        var second = new TaskCalibration("t", new[] { "a", "b" }, new[] { 0.5 }, Array.Empty<ModelFigures>());

        Assert.Same(first, new RoutingCalibration(new[] { first, second }).Find("t"));
    }

    [Fact]
    public void The_minimal_shape_parses()
    {
        var result = CalibrationFile.Parse(Minimal);
        Assert.True(result.Success, string.Join("; ", result.Errors));
        var task = Assert.Single(result.Calibration.Tasks);
        Assert.Equal("Desk.ClassifyAsync", task.Task);
        Assert.Equal(new[] { "small", "frontier" }, task.Chain);
        Assert.Equal(new[] { -0.2 }, task.Thresholds);
        Assert.Empty(task.Models);
        Assert.Null(task.Acceptors);
    }

    [Fact]
    public void A_calibration_round_trips()
    {
        var weights = new[] { 1.5, -0.25, 0.125, 2, 0.5, -1 }; // position 1: 3 + 3 weights
        var original = new RoutingCalibration(new[]
        {
            new TaskCalibration("mmlu/\"quoted\"", new[] { "a", "b", "c" }, new[] { -0.1, 1.0 },
                new[] { new ModelFigures("a", 0.5, 1e-5), new ModelFigures("b", 0.75, 2.5e-4), new ModelFigures("c", 0.9, 0.001) },
                new[] { new Acceptor(0.3, new[] { 1.0, -0.5, 0.01 }, 0.8), new Acceptor(-2, weights, 0.9) },
                new[] { 1, 0.4, 0.1 }, 0.88, 0.0002, "c", 1.25),
            new TaskCalibration("single", new[] { "x" }, Array.Empty<double>(), new[] { new ModelFigures("x", 1, 0) }),
        }, 0.95);

        var text = CalibrationFileWriter.Write(original);
        var result = CalibrationFile.Parse(text);

        Assert.True(result.Success, string.Join("; ", result.Errors));
        Assert.Equal(0.95, result.Calibration.Target);
        Assert.Equal(2, result.Calibration.Tasks.Count);
        var back = result.Calibration.Tasks[0];
        Assert.Equal("mmlu/\"quoted\"", back.Task);
        Assert.Equal(original.Tasks[0].Chain, back.Chain);
        Assert.Equal(original.Tasks[0].Thresholds, back.Thresholds);
        Assert.Equal(original.Tasks[0].Models, back.Models);
        Assert.Equal(original.Tasks[0].Acceptors, back.Acceptors);
        Assert.Equal(original.Tasks[0].Reach, back.Reach);
        Assert.Equal(0.88, back.ExpectedQuality);
        Assert.Equal(0.0002, back.ExpectedCostUsd);
        Assert.Equal("c", back.BestModel);
        Assert.Equal(1.25, back.Margin);
        Assert.Equal("x", Assert.Single(result.Calibration.Tasks[1].Chain));
        Assert.Equal(text, CalibrationFileWriter.Write(result.Calibration));
        Assert.Equal(original, result.Calibration); // value equality, as an incremental pipeline needs
        Assert.Equal(CalibrationFile.Parse(text), result);
        Assert.NotEqual(CalibrationFile.Parse(text.Replace("0.88", "0.87", StringComparison.Ordinal)), result);
    }

    [Fact]
    public void Agreement_baselines_round_trip_with_null_for_a_position_that_accepted_nothing_and_older_files_have_none()
    {
        var original = new RoutingCalibration(new[]
        {
            new TaskCalibration("t", new[] { "a", "b", "c" }, new[] { -0.1, -0.2 }, Array.Empty<ModelFigures>(), agreement: new[] { 0.8125, double.NaN }),
        });

        var text = CalibrationFileWriter.Write(original);
        var result = CalibrationFile.Parse(text);

        Assert.Contains("\"agreement\": [0.8125, null]", text, StringComparison.Ordinal);
        Assert.True(result.Success, string.Join("; ", result.Errors));
        Assert.Equal(original, result.Calibration);
        Assert.Null(CalibrationFile.Parse(Minimal).Calibration.Tasks[0].Agreement);
        Assert.DoesNotContain("agreement", CalibrationFileWriter.Write(CalibrationFile.Parse(Minimal).Calibration), StringComparison.Ordinal);
    }

    /// <summary>Each case: the text, where the error must point (the first occurrence of a marker; "^" = start, "$" = end, "$-1" = the last character), the message.</summary>
    [Theory]
    [InlineData("", "^", "empty")]
    [InlineData("{\n  \"tasks\": {\n    \"t\": { \"chain\": [\"a\" \"b\"] }\n  }\n}", "\"b\"", "expected ',' or ']'")]
    [InlineData("{\n  \"tasks\": {}\n}\n}", "$-1", "after the end")]
    [InlineData("{ \"tasks\": { \"t\": { \"chain\": [\"a\", \"b\"], \"thresholds\": [] } } }", "[]", "needs 1 thresholds (one per model but the last), not 0")]
    [InlineData("{ \"tasks\": { \"t\": { \"chain\": [\"a\"], \"thresholds\": [], \"models\": { \"a\": { \"quality\": 1.2, \"costUsd\": 1 } } } } }", "1.2", "outside 0–1")]
    [InlineData("{ \"tasks\": { \"t\": { \"chain\": \"a\", \"thresholds\": [] } } }", "\"a\"", "\"chain\" of 't' must be an array")]
    [InlineData("{ \"tasks\": { \"t\": { \"chain\": [\"a\"], \"thresholds\": [\"x\"] } } }", "\"x\"", "must be a number")]
    [InlineData("{ \"tasks\": { \"t\": { \"chain\": [\"a\"], \"thresholds\": [], \"colour\": 1 } } }", "\"colour\"", "unknown member \"colour\"")]
    [InlineData("{ \"tasks\": { \"t\": { \"thresholds\": [] } } }", "{ \"thresholds", "has no \"chain\"")]
    [InlineData("{ \"tasks\": [] }", "[", "\"tasks\" must be an object")]
    [InlineData("{ \"version\": 2, \"tasks\": {} }", "2", "\"version\" must be 1")]
    [InlineData("{ \"tasks\": {}, \"tasks\": {} }", "\"tasks\": {} }", "appears twice")]
    [InlineData("{ \"tasks\": { \"t\": { \"chain\": [\"a\", \"a\"], \"thresholds\": [0] } } }", "[\"a\"", "names 'a' twice")]
    [InlineData("{ \"tasks\": { \"t\": { \"chain\": [\"a\", \"b\"], \"thresholds\": [0], \"acceptors\": [{ \"bias\": 0, \"weights\": [1, 2, 3, 4], \"minProbability\": 0.5 }] } } }", "[1,", "position k needs 3 + 3k")]
    [InlineData("{ \"tasks\": { \"t\": { \"chain\": [\"a\", \"b\"], \"thresholds\": [0], \"acceptors\": [{ \"bias\": 0, \"weights\": [1, 2, 3, 4, 5, 6], \"minProbability\": 0.5 }] } } }", "{ \"bias", "chain position 0 needs 3")]
    [InlineData("{ \"tasks\": { \"t\": { \"chain\": [\"a\"], \"thresholds\": [], \"reach\": [1.5] } } }", "1.5", "each element of \"reach\" of 't' must be a share between 0 and 1")]
    [InlineData("{ \"tasks\": { \"t\": { \"chain\": [\"a\", \"b\"], \"thresholds\": [0], \"acceptors\": [{ \"bias\": 0, \"weights\": [1, 2, 3], \"minProbability\": 0.5, \"skipBelow\": -0.1 }] } } }", "-0.1", "\"skipBelow\" of an acceptor of 't' is -0.1, outside 0–1")]
    [InlineData("{ \"tasks\": { \"t\": { \"chain\": [\"a\", \"b\"], \"thresholds\": [0], \"acceptors\": [{ \"bias\": 0, \"weights\": [1, 2, 3], \"minProbability\": 0.5, \"skipBelow\": 1.5 }] } } }", "1.5", "\"skipBelow\" of an acceptor of 't' is 1.5, outside 0–1")]
    [InlineData("{ \"tasks\": { \"t\": {\n  \"chain\": [\"a\", \"b\"], \"thresholds\": [0],\n  \"acceptors\": [\n    { \"bias\": 0, \"weights\": [1, 2, 3], \"minProbability\": 0.5, \"skipBelow\": \"x\" }\n  ] } } }", "\"x\"", "\"skipBelow\" of an acceptor of 't' must be a number between 0 and 1")]
    [InlineData("{ \"tasks\": { \"t\": { \"chain\": [\"a\", \"b\"], \"thresholds\": [0], \"acceptors\": [{ \"bias\": 0, \"weights\": [1, 2, 3], \"minProbability\": 0.5, \"skip\": 0.1 }] } } }", "\"skip\"", "unknown member \"skip\" of an acceptor of 't' (expected \"bias\", \"weights\", \"minProbability\" and optionally \"skipBelow\")")]
    [InlineData("{ \"tasks\": { \"t\": { \"chain\": [\"a\", \"b\"], \"thresholds\": [0], \"acceptors\": [{ \"bias\": 0, \"weights\": [1, 2, 3], \"minProbability\": 7 }] } } }", "7 }", "\"minProbability\" of an acceptor of 't' is 7, outside 0–1")]
    [InlineData("{ \"tasks\": { \"t\": { \"chain\": [\"a\", \"b\"], \"thresholds\": [0], \"acceptors\": [{ \"bias\": 0, \"weights\": [1, 2, 3], \"minProbability\": -0.5 }] } } }", "-0.5", "\"minProbability\" of an acceptor of 't' is -0.5, outside 0–1")]
    [InlineData("{ \"tasks\": { \"t\": { \"chain\": [\"a\", \"b\"], \"thresholds\": [0], \"agreement\": [0.5, 0.5] } } }", "[0.5,", "\"agreement\" of 't' needs one share per chain model but the last (1), not 2")]
    [InlineData("{ \"tasks\": { \"t\": { \"chain\": [\"a\", \"b\"], \"thresholds\": [0], \"agreement\": [1.5] } } }", "1.5", "each element of \"agreement\" of 't' must be a share between 0 and 1, or null")]
    [InlineData("[1, 2]", "^", "one JSON object")]
    [InlineData("{ \"tasks\": { \"t\": { \"chain\": [\"a\"], \"thresholds\": [-01] } } }", "1]", "expected ',' or ']'")]
    [InlineData("{ \"tasks\": { \"t\": { \"chain\": [\"a\\q\"], \"thresholds\": [] } } }", "q\"", "unknown escape")]
    [InlineData("{ \"tasks\": { \"t\": { \"chain\": [\"a\"], \"thresholds\": [] } }", "$", "unexpected end of the file")]
    public void Every_error_has_its_line_and_column(string text, string marker, string message)
    {
        var result = CalibrationFile.Parse(text);
        Assert.False(result.Success);
        var error = result.Errors.FirstOrDefault(e => e.Message.Contains(message, StringComparison.Ordinal));
        Assert.True(error is not null, $"no error says '{message}': {string.Join("; ", result.Errors)}");
        var offset = marker switch { "^" => 0, "$" => text.Length, "$-1" => text.Length - 1, _ => text.IndexOf(marker, StringComparison.Ordinal) };
        Assert.True(offset >= 0, $"marker {marker} is not in the text");
        var line = 1 + text.Take(offset).Count(c => c == '\n');
        var column = offset - (text.LastIndexOf('\n', Math.Max(0, offset - 1)) + 1) + 1;
        if (offset == 0) column = 1;
        Assert.Equal((line, column), (error!.Line, error.Column));
    }

    [Fact]
    public void A_skip_level_round_trips_and_is_written_only_where_it_is_set()
    {
        var original = new RoutingCalibration(new[]
        {
            new TaskCalibration("t", new[] { "a", "b", "c" }, new[] { 0.7, 0.6 }, Array.Empty<ModelFigures>(),
                new[] { new Acceptor(0.3, new[] { 1.0, -0.5, 0.01 }, 0.8, 0.25), new Acceptor(-2, new[] { 1.5, -0.25, 0.125, 2, 0.5, -1 }, 0.9) }),
        });

        var text = CalibrationFileWriter.Write(original);
        var result = CalibrationFile.Parse(text);

        Assert.True(result.Success, string.Join("; ", result.Errors));
        Assert.Contains("\"minProbability\": 0.8, \"skipBelow\": 0.25 }", text, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(text, "skipBelow")); // the second acceptor never skips: no member
        Assert.Equal(new[] { 0.25, 0 }, result.Calibration.Tasks[0].Acceptors!.Select(a => a.SkipBelow));
        Assert.Equal(original, result.Calibration);
        Assert.Equal(text, CalibrationFileWriter.Write(result.Calibration));
        Assert.NotEqual(CalibrationFile.Parse(text.Replace("0.25", "0.3", StringComparison.Ordinal)), result);
    }

    /// <summary>A file as the writer wrote it before acceptors had a skip level.</summary>
    private const string WithoutSkipLevels = """
        {
          "version": 1,
          "target": 0.95,
          "tasks": {
            "SupportDesk.ClassifyAsync": {
              "chain": ["small", "mid", "frontier"],
              "confidenceScale": "probability",
              "thresholds": [0.72, 0.6],
              "acceptors": [
                { "bias": -1.2, "weights": [3.1, -0.2, 0.05], "minProbability": 0.83 },
                { "bias": 0.5, "weights": [2, -0.1, 0, 1, 0.5, -0.5], "minProbability": 0.9 }
              ],
              "reach": [1, 0.31, 0.1],
              "expectedQuality": 0.91,
              "expectedCostUsd": 0.00031,
              "bestModel": "frontier",
              "margin": 1.25,
              "models": {
                "small": { "quality": 0.84, "costUsd": 0.00011 },
                "mid": { "quality": 0.88, "costUsd": 0.0003 },
                "frontier": { "quality": 0.93, "costUsd": 0.00065 }
              }
            }
          }
        }

        """;

    [Fact]
    public void A_file_without_skip_levels_never_skips_and_is_written_back_byte_for_byte()
    {
        var result = CalibrationFile.Parse(WithoutSkipLevels);

        Assert.True(result.Success, string.Join("; ", result.Errors));
        Assert.All(result.Calibration.Tasks[0].Acceptors!, a => Assert.Equal(0, a.SkipBelow));
        Assert.Equal(WithoutSkipLevels, CalibrationFileWriter.Write(result.Calibration));
    }

    [Fact]
    public void A_skip_level_above_the_acceptance_level_is_allowed()
    {
        var result = CalibrationFile.Parse("""
            { "tasks": { "t": { "chain": ["a", "b", "c"], "thresholds": [0.5, 0.5], "acceptors": [
              { "bias": 0, "weights": [1, 2, 3], "minProbability": 0.5, "skipBelow": 0.9 },
              { "bias": 0, "weights": [1, 2, 3, 4, 5, 6], "minProbability": 0.5, "skipBelow": 1 } ] } } }
            """);

        Assert.True(result.Success, string.Join("; ", result.Errors));
        Assert.Equal(new[] { 0.9, 1 }, result.Calibration.Tasks[0].Acceptors!.Select(a => a.SkipBelow));
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    [Fact]
    public void A_task_with_an_error_is_left_out_and_the_others_are_kept()
    {
        var result = CalibrationFile.Parse("""{ "tasks": { "good": { "chain": ["a"], "thresholds": [] }, "bad": { "chain": ["a", "b"], "thresholds": [] } } }""");
        Assert.Single(result.Errors);
        Assert.Equal("good", Assert.Single(result.Calibration.Tasks).Task);
    }

    [Fact]
    public void Parse_never_throws_on_odd_input()
    {
        foreach (var text in new[] { "{", "\"", "[[[[", "{\"tasks\":{\"t\":{\"chain\":[1]}}}", new string('[', 500), "nul", "{\"a\":1e999}", "\uFEFF{\"tasks\":{}}", null! })
        {
            var result = CalibrationFile.Parse(text);
            Assert.NotNull(result.Calibration);
            Assert.All(result.Errors, e => Assert.True(e.Line >= 1 && e.Column >= 1));
        }

        Assert.True(CalibrationFile.Parse("\uFEFF{\"tasks\":{}}").Success);
    }
}
