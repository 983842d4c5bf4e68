using System;
using RoutingSdk.Planning;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration;

/// <summary>An outcome file could not be read; <see cref="Line"/> says where.</summary>
public sealed class OutcomeFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public OutcomeFormatException(int line, string problem)
        : base(line > 0 ? $"line {line}: {problem}" : problem)
    {
        Line = line;
        Problem = problem;
    }

    /// <summary>The 1-based line of the problem, or 0 when it concerns the whole file.</summary>
    public int Line { get; }

    /// <summary>The problem without the line prefix.</summary>
    public string Problem { get; }
}
