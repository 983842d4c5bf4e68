using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using RoutingSdk.Planning;
using RoutingSdk.Calibration;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Cli;

/// <summary>The commands' files: outcome and calibration files read with one-line errors, outputs checked before the work and written atomically.</summary>
public static partial class CliApp
{
    internal static IReadOnlyList<TaskOutcomes> LoadOutcomes(FileInfo file)
    {
        RequireFile(file, "outcome file");
        IReadOnlyList<TaskOutcomes> tasks;
        try
        {
            // Streamed: rows are read one at a time and folded into per-task tables; the file is never held whole.
            tasks = TaskOutcomes.Group(OutcomeCsv.ReadRows(file.FullName));
        }
        catch (OutcomeFormatException ex)
        {
            throw new UsageException($"{file.Name}: {ex.Message}");
        }

        var empty = tasks.Where(t => t.Queries.Count == 0).Select(t => t.Task).ToArray();
        if (empty.Length > 0) throw new UsageException($"{file.Name}: task(s) {string.Join(", ", empty)} have no query answered by every model");
        return tasks;
    }

    internal static RoutingCalibration LoadCalibration(FileInfo file)
    {
        RequireFile(file, "calibration file");
        var result = CalibrationFile.Parse(File.ReadAllText(file.FullName));
        if (!result.Success)
            throw new UsageException(string.Join(Environment.NewLine, result.Errors.Select(e => $"{file.Name}({e.Line},{e.Column}): {e.Message}")));
        return result.Calibration;
    }

    /// <summary>Refuses an input path that is a folder or does not exist, naming it as <paramref name="what"/>.</summary>
    internal static void RequireFile(FileInfo file, string what)
    {
        if (Directory.Exists(file.FullName)) throw new UsageException($"{what} {file.FullName} is a folder, not a file");
        if (!file.Exists) throw new UsageException($"{what} {file.FullName} does not exist");
    }

    /// <summary>
    /// Refuses an output path that is a folder, lies in a folder that does not exist (or is a file), or in a folder where
    /// no file can be created, before any work is done: a file is created in the folder and deleted again, as
    /// <see cref="WriteAtomically"/> will do.
    /// </summary>
    /// <param name="file">The output path.</param>
    /// <param name="option">The option that names it, for the messages.</param>
    /// <param name="inputs">The command's input files (null where not given), by option: an output that is one of them is
    /// refused, as writing it would replace the data the command reads (an outcome file overwritten by a calibration).</param>
    internal static void RequireWritable(FileInfo file, string option, params (FileInfo? File, string Option)[] inputs)
    {
        foreach (var (input, inputOption) in inputs)
        {
            if (input is not null && SamePath(input, file))
                throw new UsageException($"{option} {file.FullName} is the file {inputOption} reads; writing it would replace it: give {option} another file");
        }

        if (Directory.Exists(file.FullName)) throw new UsageException($"{option} {file.FullName} is a folder; give a file name");
        if (file.Directory is { } parent && File.Exists(parent.FullName))
            throw new UsageException($"{option} {file.FullName}: {parent.FullName} is a file, not a folder");
        if (file.Directory is { Exists: false } folder) throw new UsageException($"{option} {file.FullName}: the folder {folder.FullName} does not exist");
        var probe = TemporaryPath(file);
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option} {file.FullName}: cannot write to the folder {file.DirectoryName}: {ex.Message}");
        }
    }

    /// <summary>
    /// Writes <paramref name="file"/> all or nothing: the content goes to a temporary file in the same folder, which then
    /// replaces the file in one move. A write that fails part-way leaves the previous file as it was (and no temporary
    /// file behind), never an empty or half-written one.
    /// </summary>
    internal static void WriteAtomically(FileInfo file, Action<TextWriter> write)
    {
        var temporary = TemporaryPath(file);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
            {
                write(writer);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, file.FullName, overwrite: true);
        }
        finally
        {
            try
            {
                if (File.Exists(temporary)) File.Delete(temporary);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The write's own failure is the one to report.
            }
        }
    }

    /// <summary>Whether two paths name the same file (compared in full, ignoring case where the file system does).</summary>
    private static bool SamePath(FileInfo a, FileInfo b)
        => string.Equals(Path.GetFullPath(a.FullName), Path.GetFullPath(b.FullName),
            OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    /// <summary>A fresh file name next to <paramref name="file"/>: <c>.name.1a2b3c.tmp</c>.</summary>
    private static string TemporaryPath(FileInfo file)
        => Path.Combine(file.DirectoryName ?? ".", "." + file.Name + "." + Guid.NewGuid().ToString("N").Substring(0, 12) + ".tmp");
}
