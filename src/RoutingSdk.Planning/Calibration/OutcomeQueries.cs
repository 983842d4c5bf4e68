using System;

namespace RoutingSdk.Planning.Calibration;

/// <summary>
/// The query column of the outcome rows the router writes (<c>ShadowOptions.Outcomes</c>): the request's key, then the
/// call's number. A shadowed call's number is marked, so that <c>routing calibrate</c> can tell a file of shadowed calls
/// (the queries a cheap tier was trusted with, a biased sample of the traffic) from a file of calibration samples.
/// </summary>
internal static class OutcomeQueries
{
    /// <summary>What comes between a shadowed call's request key and its number.</summary>
    public const string ShadowMark = "#shadow";

    /// <summary>The query of a shadowed call: <c>key#shadow17</c>.</summary>
    public static string Shadowed(string request, long number) => request + ShadowMark + number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The query of a calibration sample: <c>key#17</c>.</summary>
    public static string Sampled(string request, long number) => request + "#" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="query"/> is one a shadowed call was written under: it ends in the mark and digits.</summary>
    public static bool IsShadowed(string query)
    {
        if (query is null) throw new ArgumentNullException(nameof(query));
        var mark = query.LastIndexOf(ShadowMark, StringComparison.Ordinal);
        if (mark < 0 || mark + ShadowMark.Length == query.Length) return false;
        for (var i = mark + ShadowMark.Length; i < query.Length; i++)
        {
            if (query[i] is < '0' or > '9') return false;
        }

        return true;
    }
}
