using System;

namespace RoutingSdk.Planning.Calibration;

/// <summary>
/// The one form in which answers are compared: by the router, when an acceptor asks whether two tiers agree, and by the
/// outcome files the acceptors are fitted on. Both sides must normalise alike, so the rule lives here.
/// </summary>
internal static class AnswerKey
{
    /// <summary>Longest answer an outcome file records (characters).</summary>
    public const int MaxAnswerLength = 200;

    /// <summary>The form in which answers are compared: trimmed (and a trailing period dropped), lower case; null when empty.</summary>
    public static string? Normalize(string? answer)
    {
        if (answer is null) return null;
        var trimmed = answer.Trim().TrimEnd('.').Trim();
        return trimmed.Length == 0 ? null : trimmed.ToLowerInvariant();
    }

    /// <summary>A tier's answer as an outcome file records it: on one line (line breaks become spaces), trimmed, cut at <see cref="MaxAnswerLength"/> characters.</summary>
    public static string OneLine(string text)
    {
        if (text is null) throw new ArgumentNullException(nameof(text));
        var line = text.Replace("\r", " ").Replace("\n", " ").Trim();
        return line.Length > MaxAnswerLength ? line.Substring(0, MaxAnswerLength) : line;
    }

    /// <summary>
    /// The form in which a response's text is compared with other tiers' answers: <see cref="Normalize"/> of
    /// <see cref="OneLine"/>, as the outcome files the acceptors were fitted on record it.
    /// </summary>
    public static string? Of(string? text) => text is null ? null : Normalize(OneLine(text));
}
