using System;
using System.Collections.Generic;
using System.IO;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Generators.Model;

/// <summary>
/// The project's measured calibration: every <c>routing.calibration.json</c> listed as an <c>AdditionalFiles</c> item,
/// read once and merged. Value-equatable, so that an unchanged file keeps the plans cached. The RSDK0008 problems
/// found in the files go to a list the analyzer passes (the generator passes none: a pipeline value holds no diagnostic).
/// </summary>
internal sealed record CalibrationModel(RoutingCalibration? Calibration)
{
    /// <summary>The file name the generator and analyzer look for (any folder, any case).</summary>
    public const string FileName = "routing.calibration.json";

    /// <summary>No calibration file: every task keeps the built-in figures.</summary>
    public static readonly CalibrationModel None = new((RoutingCalibration?)null);

    /// <summary>Whether an additional file is a calibration file.</summary>
    public static bool IsCalibrationFile(string path) => string.Equals(Path.GetFileName(path), FileName, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The largest calibration file read, in characters (5 MB of JSON; docs/calibration.md): a larger one is not read
    /// (RSDK0008), so that a stray file cannot slow every build and every keystroke's analysis.
    /// </summary>
    public const int MaxCharacters = 5 * 1024 * 1024;

    /// <summary>
    /// The parse of each file text, kept while the text is alive: the generator and the analyzer, and the analyzer on
    /// every compilation of an unchanged file, read the same <see cref="SourceText"/> and so parse it once.
    /// </summary>
    private static readonly ConditionalWeakTable<SourceText, CalibrationParseResult> Parsed = new();

    /// <summary>
    /// The last parses by content (the text's checksum and length): a host that hands out a new <see cref="SourceText"/>
    /// for an unchanged file still parses it once. At most <see cref="ByContentSize"/> entries, the oldest dropped first.
    /// </summary>
    private static readonly List<(string Key, CalibrationParseResult Result)> ByContent = new();

    private const int ByContentSize = 4;

    private static CalibrationParseResult Parse(SourceText text)
    {
        var key = text.Length.ToString(CultureInfo.InvariantCulture) + ":" + BitConverter.ToString(text.GetChecksum().ToArray());
        lock (ByContent)
        {
            foreach (var entry in ByContent)
            {
                if (entry.Key == key) return entry.Result;
            }
        }

        var result = CalibrationFile.Parse(text.ToString());
        lock (ByContent)
        {
            if (ByContent.Count == ByContentSize) ByContent.RemoveAt(0);
            ByContent.Add((key, result));
        }

        return result;
    }

    /// <summary>
    /// Reads one calibration file; never throws (a file that cannot be read or parsed, or is above
    /// <see cref="MaxCharacters"/>, becomes RSDK0008 problems, added to <paramref name="problems"/> when given).
    /// </summary>
    public static CalibrationModel Read(AdditionalText file, CancellationToken cancellationToken, List<Diagnostic>? problems = null)
    {
        var text = file.GetText(cancellationToken);
        if (text is null)
        {
            problems?.Add(Problem(file.Path, null, 1, 1, "the file could not be read"));
            return None;
        }

        if (text.Length > MaxCharacters)
        {
            problems?.Add(Problem(file.Path, null, 1, 1, string.Format(CultureInfo.InvariantCulture,
                "the file is {0:0.0} MB, above the {1} MB limit for a calibration file, and is not read", text.Length / (1024.0 * 1024.0), MaxCharacters / (1024 * 1024))));
            return None;
        }

        var result = Parsed.GetValue(text, static t => Parse(t));
        if (problems is not null)
        {
            foreach (var error in result.Errors) problems.Add(Problem(file.Path, text, error.Line, error.Column, error.Message));
        }

        return new CalibrationModel(result.Calibration);
    }

    /// <summary>
    /// Merges the calibration files of a project: a task named by two files keeps the first entry (in path order), and
    /// RSDK0008 says so in <paramref name="problems"/> when given.
    /// </summary>
    public static CalibrationModel Combine(IEnumerable<(string Path, CalibrationModel Model)> files, List<Diagnostic>? problems = null)
    {
        var ordered = files.OrderBy(f => f.Path, StringComparer.Ordinal).ToArray();
        if (ordered.Length == 0) return None;
        if (ordered.Length == 1) return ordered[0].Model;
        var models = ordered.Select(f => f.Model).ToArray();
        var names = ordered.Select(f => f.Path).ToArray();

        var tasks = new Dictionary<string, TaskCalibration>(StringComparer.Ordinal);
        double? target = null;
        for (var i = 0; i < models.Length; i++)
        {
            if (models[i].Calibration is not { } calibration) continue;
            target ??= calibration.Target;
            foreach (var task in calibration.Tasks)
            {
                if (tasks.ContainsKey(task.Task))
                    problems?.Add(Problem(names[i], null, 1, 1,
                        $"task '{task.Task}' is calibrated by more than one {FileName}; the first file's entry applies"));
                else
                    tasks.Add(task.Task, task);
            }
        }

        return new CalibrationModel(new RoutingCalibration(tasks.Values.ToArray(), target));
    }

    private static Diagnostic Problem(string path, SourceText? text, int line, int column, string message)
    {
        // Lines and columns of the reader are 1-based; the span covers the rest of the line from the column, so the
        // IDE underlines the value at fault.
        var lineIndex = Math.Max(0, line - 1);
        var columnIndex = Math.Max(0, column - 1);
        TextSpan span = default;
        var end = columnIndex;
        if (text is not null && lineIndex < text.Lines.Count)
        {
            var textLine = text.Lines[lineIndex];
            var start = Math.Min(textLine.Start + columnIndex, textLine.End);
            var lineText = text.ToString(TextSpan.FromBounds(start, textLine.End)).TrimEnd();
            span = new TextSpan(start, lineText.Length);
            end = columnIndex + lineText.Length;
        }

        var location = Location.Create(path, span, new LinePositionSpan(new LinePosition(lineIndex, columnIndex), new LinePosition(lineIndex, end)));
        return Diagnostic.Create(DiagnosticDescriptors.BadCalibration, location, FileName, message);
    }
}
