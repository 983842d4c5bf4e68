using System;
using System.Globalization;
using System.IO;
using System.Text;
using Microsoft.Extensions.AI;
using RoutingSdk.Planning;
using RoutingSdk.Planning.Calibration;
using RoutingSdk.Simulation;

namespace RoutingSdk;

/// <summary>
/// Writes outcomes (<see cref="ShadowOptions.Outcomes"/>) in the outcome CSV format that <c>routing calibrate</c> reads:
/// per shadowed call, a row for the tier whose answer was accepted (<c>correct</c> is 1 when it agreed with the last
/// tier's, else 0) and one for the last tier (<c>correct</c> 1: the reference); per calibration sample
/// (<see cref="ShadowOptions.CalibrationRate"/>), a row for every tier of the chain, compared the same way. The query is
/// a key (a hash of the request) and the answers are keys too, unless <see cref="RoutingOptions.RecordContent"/> is on;
/// equal answers keep equal keys, so agreement between tiers still reads off the file. Thread-safe.
/// </summary>
internal sealed class OutcomeWriter
{
    /// <summary>The header: the columns of the outcome format, as <c>OutcomeCsv.Header</c> in RoutingSdk.Calibration writes them.</summary>
    public const string Header = "benchmark,query,model,tier,correct,cost_usd,tokens_in,tokens_out,latency_ms,confidence,answer";

    private static long s_lastStart;

    private readonly TextWriter _writer;
    private readonly bool _recordContent;
    private bool _headerWritten;
    private long _calls;

    public OutcomeWriter(TextWriter writer, bool recordContent)
    {
        _writer = writer;
        _recordContent = recordContent;
        _calls = FirstNumber();
    }

    /// <summary>
    /// Where a writer's call numbers start: the time it is made, in microseconds (a run never writes a million rows a
    /// second), and after the start of any writer made before in this process; so that the runs of an application
    /// appending to one file (File.AppendText after each restart) never give two queries the same name, which routing
    /// calibrate refuses.
    /// </summary>
    private static long FirstNumber()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        while (true)
        {
            var last = System.Threading.Volatile.Read(ref s_lastStart);
            var start = Math.Max(now, last + 1_000_000);
            if (System.Threading.Interlocked.CompareExchange(ref s_lastStart, start, last) == last) return start;
        }
    }

    /// <summary>
    /// The query column for a request: its text (on one line) with content recording on, else a stable 64-bit key of it;
    /// then the call's number (<see cref="OutcomeQueries"/>: marked for a shadowed call), since production repeats queries
    /// and a file names each one once (numbers continue from the writer's creation time, across runs appending to one file).
    /// </summary>
    public string QueryKey(RouteCall call, bool shadowed)
    {
        var number = System.Threading.Interlocked.Increment(ref _calls);
        var builder = new StringBuilder();
        foreach (var message in call.Messages) builder.Append(message.Role.Value).Append('\u001f').Append(message.Text).Append('\u001e');
        var text = builder.ToString();
        var request = _recordContent ? AnswerKey.OneLine(text) : "q" + StableHash.Hash(0, "outcome", call.Plan.TaskName, text).ToString("x16", CultureInfo.InvariantCulture);
        return shadowed ? OutcomeQueries.Shadowed(request, number) : OutcomeQueries.Sampled(request, number);
    }

    /// <summary>Writes the two rows of one shadowed call.</summary>
    public void Write(string task, string query, OutcomeAnswer accepted, OutcomeAnswer last, bool agreed)
        => Append(Row(task, query, accepted, agreed ? 1 : 0) + Row(task, query, last, 1));

    /// <summary>Writes the rows of one calibration sample: every tier's answer, <c>correct</c> when it agreed with the last tier's (the last's own: 1).</summary>
    public void WriteSample(string task, string query, OutcomeAnswer[] answers, bool[] agreed)
    {
        var rows = new StringBuilder();
        for (var i = 0; i < answers.Length; i++) rows.Append(Row(task, query, answers[i], agreed[i] ? 1 : 0));
        Append(rows.ToString());
    }

    /// <summary>
    /// Appends one call's rows, after the header when they are the first (unless the file it writes to is not empty), and
    /// flushes: a call's rows are never split.
    /// </summary>
    private void Append(string rows)
    {
        lock (_writer)
        {
            if (!_headerWritten)
            {
                // A file appended to by an earlier run has its header already: a second would read as a row.
                if (!(_writer is StreamWriter { BaseStream: { CanSeek: true } stream } && stream.Length > 0))
                {
                    _writer.Write(Header);
                    _writer.Write('\n');
                }

                _headerWritten = true;
            }

            _writer.Write(rows);
            _writer.Flush();
        }
    }

    private string Row(string task, string query, OutcomeAnswer answer, int correct)
    {
        var (input, _, _, _, _) = CallRecorder.Tokens(answer.Response.Usage, 0, answer.Text.Length);
        var output = CallRecorder.OutputTokens(answer.Response.Usage, answer.Text.Length);
        var key = AnswerKey.Of(answer.Text) ?? string.Empty;
        var fields = new[]
        {
            task, query, answer.Tier.Name, answer.Position.ToString(CultureInfo.InvariantCulture), correct.ToString(CultureInfo.InvariantCulture),
            answer.CostUsd.ToString(CultureInfo.InvariantCulture), input.ToString(CultureInfo.InvariantCulture), output.ToString(CultureInfo.InvariantCulture), string.Empty,
            double.IsNaN(answer.Score) ? string.Empty : answer.Score.ToString("R", CultureInfo.InvariantCulture),
            _recordContent || key.Length == 0 ? key : "a" + StableHash.Hash(0, "answer", task, key).ToString("x16", CultureInfo.InvariantCulture),
        };
        var line = new StringBuilder();
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0) line.Append(',');
            line.Append(Quote(fields[i]));
        }

        return line.Append('\n').ToString();
    }

    private static string Quote(string field)
        => field.IndexOfAny(new[] { ',', '"', '\n', '\r' }) < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";
}

/// <summary>One tier's answer in a shadowed call, as the outcome file records it.</summary>
internal readonly struct OutcomeAnswer
{
    public OutcomeAnswer(TierSpec tier, int position, ChatResponse response, string text, double score, decimal costUsd)
    {
        Tier = tier;
        Position = position;
        Response = response;
        Text = text;
        Score = score;
        CostUsd = costUsd;
    }

    public TierSpec Tier { get; }

    public int Position { get; }

    public ChatResponse Response { get; }

    public string Text { get; }

    /// <summary>The router's score of the answer (0–1), NaN when it had none.</summary>
    public double Score { get; }

    public decimal CostUsd { get; }
}
