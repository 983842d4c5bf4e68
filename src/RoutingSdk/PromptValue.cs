using System;
using System.Globalization;
using System.ComponentModel;

namespace RoutingSdk;

/// <summary>Formats parameter values into prompts; generated task methods call it for every placeholder.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PromptValue
{
    /// <summary>A string as is; <see cref="IFormattable"/> values in the invariant culture; null as an empty string.</summary>
    public static string Format<T>(T value) => value switch
    {
        null => string.Empty,
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
