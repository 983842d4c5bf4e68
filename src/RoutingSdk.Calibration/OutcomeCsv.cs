using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using RoutingSdk.Planning;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration;

/// <summary>
/// Reads and writes outcome files: CSV (RFC 4180 quoting) with a header row and one row per (task, query, model).
/// Required columns: <c>benchmark</c>, <c>query</c>, <c>model</c>, <c>correct</c>, <c>cost_usd</c>; optional:
/// <c>chain</c> (the task becomes <c>benchmark/chain</c>), <c>tier</c>, <c>confidence</c>, <c>answer</c>,
/// <c>tokens_in</c>, <c>tokens_out</c>, <c>latency_ms</c>. Other columns are ignored.
/// </summary>
public static class OutcomeCsv
{
    /// <summary>The columns a file must have.</summary>
    public static readonly IReadOnlyList<string> RequiredColumns = new[] { "benchmark", "query", "model", "correct", "cost_usd" };

    /// <summary>
    /// The largest <c>cost_usd</c> of one call that is read (a billion USD): far above any model call, and small enough that
    /// sums and means over any file stay finite (1e308 per row overflowed them to infinity, and the calibration file
    /// written from them held "Infinity", which is not JSON).
    /// </summary>
    internal const double MaxCostUsd = 1e9;

    /// <summary>The header <see cref="Write"/> produces.</summary>
    public const string Header = "benchmark,query,model,tier,correct,cost_usd,tokens_in,tokens_out,latency_ms,confidence,answer";

    /// <summary>Reads an outcome file.</summary>
    /// <exception cref="OutcomeFormatException">The file is malformed; the message names the line.</exception>
    public static IReadOnlyList<Outcome> Read(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Read(reader);
    }

    /// <summary>
    /// Reads an outcome file lazily, one row at a time, for files too large to hold: each row is checked as
    /// <see cref="Read(string)"/> checks it, except that a (task, query, model) repeated on a later row is left to the
    /// consumer (<see cref="TaskOutcomes.Group"/> refuses it), as finding it here would hold a key per row. Task and model
    /// names are interned per file. The file stays open until the enumeration ends.
    /// </summary>
    /// <exception cref="OutcomeFormatException">The file is malformed; the message names the line.</exception>
    internal static IEnumerable<Outcome> ReadRows(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        foreach (var row in ReadRows(reader)) yield return row;
    }

    /// <summary>Parses outcome CSV text.</summary>
    /// <exception cref="OutcomeFormatException">The text is malformed; the message names the line.</exception>
    public static IReadOnlyList<Outcome> Parse(string text)
    {
        using var reader = new StringReader(text ?? throw new ArgumentNullException(nameof(text)));
        return Read(reader);
    }

    /// <summary>Reads outcome CSV from a reader.</summary>
    /// <exception cref="OutcomeFormatException">The text is malformed; the message names the line.</exception>
    public static IReadOnlyList<Outcome> Read(TextReader reader)
    {
        if (reader is null) throw new ArgumentNullException(nameof(reader));
        var rows = new List<Outcome>();
        var seen = new Dictionary<(string, string, string), int>();
        foreach (var row in ReadRows(reader))
        {
            if (seen.TryGetValue((row.Task, row.Query, row.Model), out var first))
                throw new OutcomeFormatException(row.Line, DuplicateMessage(row.Task, row.Query, row.Model, first));
            seen[(row.Task, row.Query, row.Model)] = row.Line;
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The message of a (task, query, model) that appears on two rows.</summary>
    internal static string DuplicateMessage(string task, string query, string model, int firstLine)
        => $"task '{task}', query '{query}', model '{model}' already appears on line {firstLine}";

    /// <summary>Reads outcome CSV lazily from a reader (see <see cref="ReadRows(string)"/>).</summary>
    /// <exception cref="OutcomeFormatException">The text is malformed; the message names the line.</exception>
    internal static IEnumerable<Outcome> ReadRows(TextReader reader)
    {
        if (reader is null) throw new ArgumentNullException(nameof(reader));
        var records = new CsvRecords(reader);
        if (!records.Next(out var header, out _))
            throw new OutcomeFormatException(1, "the file is empty; expected a header row with " + string.Join(", ", RequiredColumns));

        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim();
            if (i == 0 && name.Length > 0 && name[0] == '\uFEFF') name = name.Substring(1);
            if (name.Length == 0) continue;
            // A column named twice would leave it to chance which one is read: refused, with both places.
            if (index.TryGetValue(name, out var first))
                throw new OutcomeFormatException(1, $"column {i + 1} of the header, '{name}', repeats column {first + 1}; name each column once");
            index[name] = i;
        }

        var missing = new List<string>();
        foreach (var column in RequiredColumns)
        {
            if (!index.ContainsKey(column)) missing.Add(column);
        }

        if (missing.Count > 0)
            throw new OutcomeFormatException(1, $"the header lacks the column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)} (it has {string.Join(", ", header)})");

        int Col(string name) => index.TryGetValue(name, out var i) ? i : -1;
        int benchmark = Col("benchmark"), chain = Col("chain"), query = Col("query"), model = Col("model"), correct = Col("correct"),
            cost = Col("cost_usd"), tier = Col("tier"), confidence = Col("confidence"), answer = Col("answer"),
            tokensIn = Col("tokens_in"), tokensOut = Col("tokens_out"), latency = Col("latency_ms");

        // Task and model names repeat on every row: one string each per file, not one per row.
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        string Intern(string value)
        {
            if (names.TryGetValue(value, out var interned)) return interned;
            names[value] = value;
            return value;
        }

        var any = false;
        while (records.Next(out var fields, out var line))
        {
            if (fields.Count == 1 && fields[0].Length == 0) continue; // blank line
            if (fields.Count != header.Count)
                throw new OutcomeFormatException(line, $"expected {header.Count} fields as in the header, found {fields.Count}");

            string Text(int column, string name)
            {
                var value = fields[column].Trim();
                if (value.Length == 0) throw new OutcomeFormatException(line, $"'{name}' is empty");
                return value;
            }

            double Number(int column, string name, bool allowNegative)
            {
                var raw = Text(column, name);
                if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value) || double.IsInfinity(value))
                    throw new OutcomeFormatException(line, $"'{name}' is '{raw}', not a number");
                if (!allowNegative && value < 0) throw new OutcomeFormatException(line, $"'{name}' is {raw}, below 0");
                return value;
            }

            double? OptionalNumber(int column, string name, bool allowNegative)
            {
                if (column < 0 || fields[column].Trim().Length == 0) return null;
                var raw = fields[column].Trim();
                if (raw.Equals("-inf", StringComparison.OrdinalIgnoreCase) || raw.Equals("nan", StringComparison.OrdinalIgnoreCase)) return null;
                return Number(column, name, allowNegative);
            }

            int? OptionalInt(int column, string name)
            {
                var value = OptionalNumber(column, name, allowNegative: false);
                if (value is null) return null;
                if (value.Value != Math.Floor(value.Value) || value.Value > int.MaxValue)
                    throw new OutcomeFormatException(line, $"'{name}' is {value.Value.ToString(CultureInfo.InvariantCulture)}, not a whole number");
                return (int)value.Value;
            }

            var task = Text(benchmark, "benchmark");
            if (chain >= 0) task += "/" + Text(chain, "chain");
            task = Intern(task);
            var q = Text(query, "query");
            var m = Intern(Text(model, "model"));
            var c = Number(correct, "correct", allowNegative: false);
            if (c > 1) throw new OutcomeFormatException(line, $"'correct' is {fields[correct].Trim()}, above 1 (use 0/1 or a 0–1 score)");
            var usd = Number(cost, "cost_usd", allowNegative: false);
            if (usd > MaxCostUsd)
                throw new OutcomeFormatException(line, $"'cost_usd' is {fields[cost].Trim()}, above {MaxCostUsd.ToString("#,0", CultureInfo.InvariantCulture)} USD for one call (is the column in USD?)");
            any = true;
            yield return new Outcome(task, q, m, c, usd,
                confidence: OptionalNumber(confidence, "confidence", allowNegative: true),
                answer: answer >= 0 && fields[answer].Length > 0 ? fields[answer] : null,
                tier: OptionalInt(tier, "tier"),
                tokensIn: OptionalInt(tokensIn, "tokens_in"),
                tokensOut: OptionalInt(tokensOut, "tokens_out"),
                latencyMs: OptionalNumber(latency, "latency_ms", allowNegative: false),
                line: line);
        }

        if (!any) throw new OutcomeFormatException(0, "the file has a header but no rows");
    }

    /// <summary>Writes outcomes as CSV with <see cref="Header"/>, quoting fields where needed.</summary>
    public static void Write(TextWriter writer, IEnumerable<Outcome> outcomes)
    {
        if (writer is null) throw new ArgumentNullException(nameof(writer));
        if (outcomes is null) throw new ArgumentNullException(nameof(outcomes));
        writer.Write(Header);
        writer.Write("\n");
        foreach (var o in outcomes)
        {
            var fields = new[]
            {
                o.Task, o.Query, o.Model, Format(o.Tier), Format(o.Correct), Format(o.CostUsd), Format(o.TokensIn), Format(o.TokensOut),
                Format(o.LatencyMs), Format(o.Confidence), o.Answer ?? string.Empty,
            };
            for (var i = 0; i < fields.Length; i++)
            {
                if (i > 0) writer.Write(',');
                writer.Write(Quote(fields[i]));
            }

            writer.Write("\n");
        }
    }

    /// <summary>Quotes a field when it holds a comma, a quote or a line break (RFC 4180).</summary>
    public static string Quote(string field)
    {
        if (field.IndexOfAny(new[] { ',', '"', '\n', '\r' }) < 0) return field;
        return "\"" + field.Replace("\"", "\"\"") + "\"";
    }

    private static string Format(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty;

    private static string Format(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;

    /// <summary>Splits CSV text into records, honouring quotes (a quoted field may hold commas, quotes and line breaks).</summary>
    private sealed class CsvRecords
    {
        private readonly TextReader _reader;
        private int _line = 1;

        public CsvRecords(TextReader reader) => _reader = reader;

        public bool Next(out List<string> fields, out int startLine)
        {
            fields = new List<string>();
            startLine = _line;
            if (_reader.Peek() < 0) return false;
            var field = new StringBuilder();
            var quoted = false;
            var afterQuote = false;
            while (true)
            {
                var read = _reader.Read();
                if (read < 0)
                {
                    if (quoted) throw new OutcomeFormatException(startLine, "a quoted field is not closed before the end of the file");
                    fields.Add(field.ToString());
                    return true;
                }

                var ch = (char)read;
                if (quoted)
                {
                    if (ch == '"')
                    {
                        if (_reader.Peek() == '"')
                        {
                            _reader.Read();
                            field.Append('"');
                        }
                        else
                        {
                            quoted = false;
                            afterQuote = true;
                        }
                    }
                    else
                    {
                        if (ch == '\n') _line++;
                        field.Append(ch);
                    }

                    continue;
                }

                switch (ch)
                {
                    case ',':
                        fields.Add(field.ToString());
                        field.Clear();
                        afterQuote = false;
                        break;
                    case '\r':
                        if (_reader.Peek() == '\n') _reader.Read();
                        _line++;
                        fields.Add(field.ToString());
                        return true;
                    case '\n':
                        _line++;
                        fields.Add(field.ToString());
                        return true;
                    case '"':
                        if (field.Length > 0 || afterQuote)
                            throw new OutcomeFormatException(_line, "a quote appears inside an unquoted field (quote the whole field and double inner quotes)");
                        quoted = true;
                        break;
                    default:
                        if (afterQuote)
                            throw new OutcomeFormatException(_line, "text follows a closing quote (expected a comma or the end of the line)");
                        field.Append(ch);
                        break;
                }
            }
        }
    }
}
