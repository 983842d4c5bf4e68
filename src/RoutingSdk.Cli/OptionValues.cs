using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Linq;

namespace RoutingSdk.Cli;

/// <summary>
/// How the <c>routing</c> options read their values, the same on every machine: decimals as the help and the docs write
/// them, choices by name only, and whether the user gave an option at all.
/// </summary>
internal static class OptionValues
{
    /// <summary>
    /// A decimal option read with a point, whatever the machine's culture: System.CommandLine reads numbers in the current
    /// culture, where a comma groups thousands ("0,05" read as 5) or, in de-DE, a point does ("0.9" read as 9). "NaN" and
    /// "Infinity" are read, for the option's own range check to name them.
    /// </summary>
    public static Option<double> Decimal(string name, double defaultValue, string description) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => ReadDecimal(result, name) ?? defaultValue,
    };

    /// <summary>An optional decimal option (null when not given), read as <see cref="Decimal"/> reads.</summary>
    public static Option<double?> OptionalDecimal(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result => ReadDecimal(result, name),
    };

    /// <summary>An option with one of <typeparamref name="T"/>'s names (any case); not a number, not a combination of names.</summary>
    public static Option<T> Choice<T>(string name, T defaultValue, string description)
        where T : struct, Enum => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => ReadChoice(result, name, defaultValue),
    };

    /// <summary>The same rule for a required choice, or one whose option is made elsewhere: set as its <c>CustomParser</c>.</summary>
    public static T ReadChoice<T>(ArgumentResult result, string name, T fallback = default)
        where T : struct, Enum
    {
        if (result.Tokens.Count == 0) return fallback;
        var text = result.Tokens[0].Value.Trim();
        var match = Enum.GetNames(typeof(T)).FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        if (match is not null) return (T)Enum.Parse(typeof(T), match);
        result.AddError($"{name} '{result.Tokens[0].Value}' is not one of {string.Join(", ", Enum.GetNames(typeof(T)))}");
        return fallback;
    }

    /// <summary>Whether the command line gave <paramref name="option"/> (not just its default).</summary>
    public static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    private static double? ReadDecimal(ArgumentResult result, string name)
    {
        if (result.Tokens.Count == 0) return null;
        var text = result.Tokens[0].Value;
        // Float: sign, digits, a point, an exponent; no group separators, so "0,05" is not read as 5.
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) return value;
        result.AddError(text.Contains(',')
            ? $"{name} '{text}' is not a number: write decimals with a point, as in 0.05"
            : $"{name} '{text}' is not a number");
        return null;
    }
}
