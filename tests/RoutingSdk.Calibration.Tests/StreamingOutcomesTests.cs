using System.Globalization;
using System.Text;
using RoutingSdk.Calibration;
using RoutingSdk.Cli;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration.Tests;

/// <summary>
/// Outcome files are streamed: <see cref="OutcomeCsv.ReadRows(string)"/> yields the rows <see cref="OutcomeCsv.Read(string)"/>
/// returns, and <see cref="TaskOutcomes.Group"/> folds them into the same tables as grouping the whole list did; a task
/// with more models than chains are built from is pruned, and the CLI says so.
/// </summary>
public sealed class StreamingOutcomesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("routing-stream-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Fixture => RealData.Fixture("outcomes-small.csv");

    private static object?[] Fields(Outcome o)
        => new object?[] { o.Task, o.Query, o.Model, o.Correct, o.CostUsd, o.Confidence, o.Answer, o.Tier, o.TokensIn, o.TokensOut, o.LatencyMs, o.Line };

    [Fact]
    public void The_streaming_reader_yields_the_rows_of_the_whole_file_reader()
    {
        var whole = OutcomeCsv.Read(Fixture);
        var streamed = OutcomeCsv.ReadRows(Fixture).ToList();

        Assert.Equal(whole.Count, streamed.Count);
        Assert.True(streamed.Count > 500, $"{streamed.Count} rows");
        for (var i = 0; i < whole.Count; i++) Assert.Equal(Fields(whole[i]), Fields(streamed[i]));
        Assert.Equal(new object?[] { "mmlu/qwen_oai", "0", "gpt-4o-mini", 1.0, 1.98e-05, -0.232675, "B", 0, 128, 1, 684.5, 2 }, Fields(streamed[0]));
    }

    [Fact]
    public void The_streaming_reader_interns_task_and_model_names()
    {
        var rows = OutcomeCsv.ReadRows(Fixture).ToList();

        foreach (var group in rows.GroupBy(r => r.Model)) Assert.All(group, r => Assert.Same(group.First().Model, r.Model));
        foreach (var group in rows.GroupBy(r => r.Task)) Assert.All(group, r => Assert.Same(group.First().Task, r.Task));
    }

    [Fact]
    public void The_streaming_reader_reads_lazily()
    {
        // A malformed row far down the file is only met when the enumeration reaches it.
        var text = "benchmark,query,model,correct,cost_usd\nt,1,a,1,0.1\nt,2,a,not a number,0.1\n";
        using var rows = OutcomeCsv.ReadRows(new StringReader(text)).GetEnumerator();
        Assert.True(rows.MoveNext());
        Assert.Equal("1", rows.Current.Query);
        var error = Assert.Throws<OutcomeFormatException>(() => rows.MoveNext());
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Grouping_streamed_rows_gives_the_tables_of_grouping_the_whole_list()
    {
        var streamed = TaskOutcomes.Group(OutcomeCsv.ReadRows(Fixture));
        var reference = ReferenceGroup(OutcomeCsv.Read(Fixture));

        Assert.Equal(reference.Count, streamed.Count);
        for (var t = 0; t < reference.Count; t++)
        {
            var (task, models, queries, correct, cost, confidence, answers, tokens, dropped) = reference[t];
            var s = streamed[t];
            Assert.Equal(task, s.Task);
            Assert.Equal(models, s.Models);
            Assert.Equal(queries, s.Queries);
            Assert.Equal(correct, s.Correct);
            Assert.Equal(cost, s.Cost);
            Assert.Equal(confidence, s.Confidence);
            Assert.Equal(answers, s.Answers);
            Assert.Equal(tokens, s.TokensOut);
            Assert.Equal(dropped, s.DroppedQueries);
        }
    }

    [Fact]
    public void A_row_repeated_in_a_stream_is_refused_with_both_lines()
    {
        var text = "benchmark,query,model,correct,cost_usd\nt,1,a,1,0.1\nt,1,b,1,0.1\nt,1,a,0,0.1\n";

        var error = Assert.Throws<OutcomeFormatException>(() => TaskOutcomes.Group(OutcomeCsv.ReadRows(new StringReader(text))));

        Assert.Contains("line 4", error.Message, StringComparison.Ordinal);
        Assert.Contains("already appears on line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_task_of_twenty_models_is_pruned_to_the_frontier_and_calibrates()
    {
        var data = TaskOutcomes.Group(OutcomeCsv.Parse(TwentyModels(queries: 100))).Single();
        // The pruning does not depend on the signals; on the tiers' own confidences the calibration over the kept models
        // is spared fitting the acceptors of every candidate chain.
        var options = new CalibratorOptions { Signals = CalibrationSignals.Confidence };

        var kept = Calibrator.ChainModels(data, options, out var pruned);

        Assert.Equal(20, data.Models.Count);
        Assert.Equal(options.MaxChainModels, kept.Count);
        Assert.Equal(20 - options.MaxChainModels, pruned.Count);
        Assert.Contains(data.BestModel(), kept);
        // The dominated models (odd numbers: dearer than the even one below them and no better) are the first to go.
        Assert.All(Enumerable.Range(0, 10).Select(i => $"m{2 * i + 1:00}"), m => Assert.Contains(m, pruned));
        var calibration = Calibrator.CalibrateTask(data, options);
        Assert.NotEmpty(calibration.Chain);
        Assert.All(calibration.Chain, m => Assert.Contains(data.Models.ToList().IndexOf(m), kept));
    }

    [Fact]
    public void Calibrate_on_a_twenty_model_task_says_on_stderr_which_models_it_left_out()
    {
        var csv = Path.Combine(_dir, "twenty.csv");
        File.WriteAllText(csv, TwentyModels(queries: 100));
        var json = Path.Combine(_dir, "routing.calibration.json");
        var output = new StringWriter();
        var error = new StringWriter();

        // The tiers' own confidences (--signals Confidence): the same pruning, without the acceptors' fits.
        var code = CliApp.Run(new[] { "calibrate", "--outcomes", csv, "--out", json, "--signals", "Confidence" }, output, error);

        Assert.True(code == 0, error.ToString());
        Assert.Contains("task 'wide' has 20 models; chains are built from 8", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("left out: m01, m03", error.ToString(), StringComparison.Ordinal);
        Assert.True(CalibrationFile.Parse(File.ReadAllText(json)).Success);
    }

    /// <summary>
    /// One task, twenty models m00..m19 in cost order. Even models form a frontier (each dearer one right more often);
    /// each odd model costs a little more than the even one below it and is right less often (dominated). Confidence is
    /// high when the model is right. With 100 queries each model is right on exactly its skill in percent.
    /// </summary>
    internal static string TwentyModels(int queries)
    {
        var csv = new StringBuilder("benchmark,query,model,correct,cost_usd,confidence,answer\n");
        for (var q = 0; q < queries; q++)
        {
            for (var m = 0; m < 20; m++)
            {
                var skill = m % 2 == 0 ? 40 + 3 * m : 30 + 3 * m;        // percent of queries right
                var right = (q * 37 + m * 11) % 100 < skill;
                var cost = 0.001 * (1 + m / 2) * (m % 2 == 0 ? 1 : 1.1);
                csv.Append(string.Create(CultureInfo.InvariantCulture,
                    $"wide,{q},m{m:00},{(right ? 1 : 0)},{cost},{(right ? -0.05 : -2.5)},{(right ? "yes" : "no" + m)}\n"));
            }
        }

        return csv.ToString();
    }

    /// <summary>The grouping as it was before rows were streamed (the whole list, grouped with LINQ): the reference.</summary>
    private static List<(string, string[], string[], double[][], double[][], double[][], string?[][], double[][], int)> ReferenceGroup(IReadOnlyList<Outcome> outcomes)
    {
        var result = new List<(string, string[], string[], double[][], double[][], double[][], string?[][], double[][], int)>();
        foreach (var task in outcomes.GroupBy(o => o.Task, StringComparer.Ordinal))
        {
            var rows = task.ToList();
            var models = rows.GroupBy(o => o.Model, StringComparer.Ordinal)
                .Select(g => (Name: g.Key, Cost: g.Average(o => o.CostUsd), Tier: g.Min(o => o.Tier ?? int.MaxValue)))
                .OrderBy(m => m.Cost).ThenBy(m => m.Tier).ThenBy(m => m.Name, StringComparer.Ordinal)
                .Select(m => m.Name).ToArray();
            var modelIndex = models.Select((m, i) => (m, i)).ToDictionary(p => p.m, p => p.i, StringComparer.Ordinal);
            var byQuery = new Dictionary<string, Outcome?[]>(StringComparer.Ordinal);
            var order = new List<string>();
            foreach (var o in rows)
            {
                if (!byQuery.TryGetValue(o.Query, out var line))
                {
                    byQuery[o.Query] = line = new Outcome?[models.Length];
                    order.Add(o.Query);
                }

                line[modelIndex[o.Model]] = o;
            }

            var complete = order.Where(q => byQuery[q].All(o => o is not null)).ToArray();
            var table = complete.Select(q => byQuery[q]).ToArray();
            var scale = ConfidenceScales.Detect(rows.Select(o => o.Confidence ?? double.NaN));
            result.Add((task.Key, models, complete,
                table.Select(r => r.Select(o => o!.Correct).ToArray()).ToArray(),
                table.Select(r => r.Select(o => o!.CostUsd).ToArray()).ToArray(),
                table.Select(r => r.Select(o => ConfidenceScales.ToLog(o!.Confidence ?? double.NaN, scale)).ToArray()).ToArray(),
                table.Select(r => r.Select(o => AnswerKey.Normalize(o!.Answer)).ToArray()).ToArray(),
                table.Select(r => r.Select(o => o!.TokensOut is { } t ? (double)t : double.NaN).ToArray()).ToArray(),
                order.Count - complete.Length));
        }

        return result;
    }
}
