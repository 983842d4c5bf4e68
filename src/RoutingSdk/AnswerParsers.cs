using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.ComponentModel;

namespace RoutingSdk;

/// <summary>Turns a tier's answer text into the task's return type.</summary>
/// <typeparam name="T">The task's result type.</typeparam>
public interface IAnswerParser<T>
{
    /// <summary>Parses <paramref name="text"/>; false when it is not a valid <typeparamref name="T"/> (the call then escalates).</summary>
    bool TryParse(string text, out T value);
}

/// <summary>The parsers generated task methods use: text, enums and JSON.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class AnswerParsers
{
    /// <summary>The answer text itself, trimmed; an empty answer is not an answer.</summary>
    public static IAnswerParser<string> Text { get; } = new TextParser();

    /// <summary>An enum member by name: case, surrounding whitespace, quotes, a trailing period and separators (<c>_</c>, <c>-</c>, spaces) are ignored; numbers and unknown names are rejected.</summary>
    public static IAnswerParser<TEnum> Enum<TEnum>() where TEnum : struct, Enum => EnumParser<TEnum>.Instance;

    /// <summary>A JSON value (object, array, number, boolean), case-insensitive on property names; a surrounding Markdown code fence or prose is ignored; <c>null</c>, a missing constructor parameter and null in a non-nullable member are rejected.</summary>
    public static IAnswerParser<T> Json<T>() => JsonParser<T>.Instance;

    private sealed class TextParser : IAnswerParser<string>
    {
        public bool TryParse(string text, out string value)
        {
            value = text?.Trim() ?? string.Empty;
            return value.Length > 0;
        }
    }

    private sealed class EnumParser<TEnum> : IAnswerParser<TEnum> where TEnum : struct, Enum
    {
        public static readonly EnumParser<TEnum> Instance = new();
        private readonly Dictionary<string, TEnum> _byKey = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, TEnum> _byName = new(StringComparer.OrdinalIgnoreCase);
        private readonly string[] _names;
        private readonly TEnum[] _values;

        private EnumParser()
        {
            _values = (TEnum[])System.Enum.GetValues(typeof(TEnum));
            _names = new string[_values.Length];
            for (var i = 0; i < _values.Length; i++) _names[i] = _values[i].ToString();
            foreach (TEnum value in System.Enum.GetValues(typeof(TEnum)))
            {
                _byKey[Normalize(value.ToString())] = value;
                _byName[value.ToString()] = value;
            }
        }

        public bool TryParse(string text, out TEnum value)
        {
            // The common answer is the bare member name: compared first (before any other check), then looked up without
            // allocating.
            var names = _names;
            for (var i = 0; i < names.Length; i++)
            {
                if (string.Equals(names[i], text))
                {
                    value = _values[i];
                    return true;
                }
            }

            value = default;
            if (string.IsNullOrWhiteSpace(text)) return false;
            if (_byName.TryGetValue(text, out value)) return true;
            // Peel quotes, emphasis and a trailing period in any order: "Billing". and "Billing." are both Billing.
            var core = text.Trim();
            string previous;
            do
            {
                previous = core;
                core = core.Trim('"', '\'', '`', '*').TrimEnd('.', '!').Trim();
            }
            while (core.Length != previous.Length);

            return _byKey.TryGetValue(Normalize(core), out value);
        }

        private static string Normalize(string text)
        {
            var builder = new StringBuilder(text.Length);
            foreach (var c in text)
            {
                if (c is '_' or '-' or ' ') continue;
                builder.Append(char.ToLowerInvariant(c));
            }

            return builder.ToString();
        }
    }

    private sealed class JsonParser<T> : IAnswerParser<T>
    {
        public static readonly JsonParser<T> Instance = new();
        // An answer that leaves out a constructor parameter or puts null where the type says non-null is not an answer:
        // "{}" would otherwise become a record of defaults and be accepted instead of escalating.
        private static readonly JsonSerializerOptions Options = new()
        {
            PropertyNameCaseInsensitive = true,
            AllowTrailingCommas = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            RespectRequiredConstructorParameters = true,
            RespectNullableAnnotations = true,
        };

        public bool TryParse(string text, out T value)
        {
            value = default!;
            if (string.IsNullOrWhiteSpace(text)) return false;
            var json = ExtractJson(text);
            try
            {
                var parsed = JsonSerializer.Deserialize<T>(json, Options);
                if (parsed is null) return false;
                value = parsed;
                return true;
            }
            catch (JsonException)
            {
                return false;
            }
            catch (NotSupportedException)
            {
                return false;
            }
        }

        private static string ExtractJson(string text)
        {
            var trimmed = text.Trim();
            var open = trimmed.IndexOfAny(new[] { '{', '[' });
            if (open < 0) return trimmed;
            var close = trimmed.LastIndexOf(trimmed[open] == '{' ? '}' : ']');
            return close > open ? trimmed.Substring(open, close - open + 1) : trimmed;
        }
    }
}
