using System;
using System.Globalization;

namespace RoutingSdk.Planning;

/// <summary>Formats USD amounts for messages and reports.</summary>
internal static class Money
{
    /// <summary>"$24.75", "$0.41", "$0.0031": two decimals from a cent up, four significant digits below.</summary>
    public static string Format(decimal usd)
    {
        var abs = Math.Abs(usd);
        if (abs >= 0.01m || abs == 0) return "$" + usd.ToString("#,0.00", CultureInfo.InvariantCulture);
        var digits = 2;
        for (var v = abs; v < 0.1m && digits < 12; v *= 10) digits++;
        // digits is the position of the first significant digit plus one: keep three more for four significant digits.
        return "$" + Math.Round(usd, digits + 2).ToString("0.##############", CultureInfo.InvariantCulture);
    }

    /// <summary>A cost ratio as "1/60" when the first is cheaper, else "60×".</summary>
    public static string Ratio(decimal cheaper, decimal dearer)
    {
        if (cheaper <= 0) return "none";
        var ratio = dearer / cheaper;
        return ratio >= 1
            ? "1/" + Math.Round(ratio, ratio >= 10 ? 0 : 1).ToString("0.#", CultureInfo.InvariantCulture)
            : Math.Round(1 / ratio, 1).ToString("0.#", CultureInfo.InvariantCulture) + "×";
    }
}
