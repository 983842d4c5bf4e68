using System;
using System.Globalization;

namespace RoutingSdk;

/// <summary>How the router asks a model for its own confidence and reads it back (<see cref="RoutingOptions.AskForConfidence"/>).</summary>
internal static class SelfReportedConfidence
{
    /// <summary>The sentence added to the system message when the router asks for a confidence.</summary>
    public const string Instruction =
        "After your answer, write one last line of the form \"Confidence: <number from 0 to 1>\": how likely your answer is right.";

    /// <summary>
    /// Splits a last line <c>Confidence: 0.8</c> (case-insensitive; a percentage such as <c>80%</c> is read as 0.8) off
    /// <paramref name="text"/>; returns the answer without that line. Without such a line the text is returned as it is.
    /// </summary>
    public static string Split(string text, out double? confidence)
    {
        confidence = null;
        if (text is null) return string.Empty;
        var trimmed = text.TrimEnd();
        var lineStart = trimmed.LastIndexOf('\n') + 1;
        var line = trimmed.Substring(lineStart).Trim().Trim('*', '_', '`').Trim();
        const string Label = "confidence";
        if (!line.StartsWith(Label, StringComparison.OrdinalIgnoreCase)) return text;
        var value = line.Substring(Label.Length).TrimStart(' ', ':', '=', '*').Trim().TrimEnd('.');
        var percent = value.EndsWith("%", StringComparison.Ordinal);
        if (percent) value = value.Substring(0, value.Length - 1).TrimEnd();
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || double.IsNaN(number)) return text;
        if (percent) number /= 100;
        confidence = Math.Max(0, Math.Min(1, number));
        return trimmed.Substring(0, lineStart).TrimEnd();
    }
}
