using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.ComponentModel;
using Microsoft.Extensions.AI;

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

    /// <summary>A nullable enum (<c>Task&lt;TEnum?&gt;</c>) read exactly like <see cref="Enum{TEnum}"/>: by member name, never as JSON; numbers and unknown names are rejected.</summary>
    public static IAnswerParser<TEnum?> NullableEnum<TEnum>() where TEnum : struct, Enum => NullableEnumParser<TEnum>.Instance;

    /// <summary>A JSON value (object, array, number, boolean), case-insensitive on property names; a surrounding Markdown code fence or prose is ignored; <c>null</c>, a missing constructor parameter and null in a non-nullable member are rejected. An enum anywhere in the value is a member name or the number of a declared member (of a flags enum: a combination of declared flags); any other number is rejected.</summary>
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

    private sealed class NullableEnumParser<TEnum> : IAnswerParser<TEnum?> where TEnum : struct, Enum
    {
        public static readonly NullableEnumParser<TEnum> Instance = new();

        public bool TryParse(string text, out TEnum? value)
        {
            var ok = EnumParser<TEnum>.Instance.TryParse(text, out var parsed);
            value = ok ? parsed : null;
            return ok;
        }
    }

    /// <summary>Which values of an enum are declared: a member's value, or for a <see cref="FlagsAttribute"/> enum a combination of declared flags.</summary>
    internal static class DeclaredEnum<TEnum> where TEnum : struct, Enum
    {
        private static readonly bool Flags = typeof(TEnum).IsDefined(typeof(FlagsAttribute), false);
        private static readonly HashSet<ulong> Members = new();
        private static readonly ulong AllFlags;

        static DeclaredEnum()
        {
            foreach (TEnum member in System.Enum.GetValues(typeof(TEnum)))
            {
                var bits = Bits(member);
                Members.Add(bits);
                AllFlags |= bits;
            }
        }

        /// <summary>True when <paramref name="value"/> is a declared member, or (flags enum) a non-empty combination of declared flags.</summary>
        public static bool IsDeclared(TEnum value)
        {
            var bits = Bits(value);
            if (Members.Contains(bits)) return true;
            return Flags && bits != 0 && (bits & ~AllFlags) == 0;
        }

        /// <summary>The value's bits, sign-extended for signed underlying types (so that -1 of an sbyte enum and of a long enum agree).</summary>
        private static ulong Bits(TEnum value) => Convert.GetTypeCode(value) switch
        {
            TypeCode.SByte or TypeCode.Int16 or TypeCode.Int32 or TypeCode.Int64 => unchecked((ulong)Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)),
            _ => Convert.ToUInt64(value, System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Reads enums inside JSON answers: a member name (as <see cref="Enum{TEnum}"/> reads it) or the number of a declared value; never an undeclared number.</summary>
    private sealed class DeclaredEnumConverterFactory : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(DeclaredEnumConverter<>).MakeGenericType(typeToConvert))!;
    }

    private sealed class DeclaredEnumConverter<TEnum> : JsonConverter<TEnum> where TEnum : struct, Enum
    {
        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                if (EnumParser<TEnum>.Instance.TryParse(reader.GetString() ?? "", out var named)) return named;
                throw new JsonException($"'{reader.GetString()}' names no member of {typeof(TEnum).Name}.");
            }

            if (reader.TokenType == JsonTokenType.Number)
            {
                // The number must fit the enum's underlying type exactly (300 is no byte) and be a declared value.
                object? boxed = null;
                if (reader.TryGetInt64(out var signed)) boxed = signed;
                else if (reader.TryGetUInt64(out var unsigned)) boxed = unsigned;
                if (boxed is not null)
                {
                    var candidate = (TEnum)System.Enum.ToObject(typeof(TEnum), boxed);
                    var roundTrip = Convert.ToDecimal(candidate, System.Globalization.CultureInfo.InvariantCulture);
                    var read = Convert.ToDecimal(boxed, System.Globalization.CultureInfo.InvariantCulture);
                    if (roundTrip == read && DeclaredEnum<TEnum>.IsDeclared(candidate)) return candidate;
                }
            }

            throw new JsonException($"Not a declared value of {typeof(TEnum).Name}.");
        }

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString());
    }

    private sealed class JsonParser<T> : IAnswerParser<T>, IStructuredAnswerParser
    {
        public static readonly JsonParser<T> Instance = new();
        private ChatResponseFormat? _format;

        /// <summary>The JSON schema of <typeparamref name="T"/> as a response format, made once.</summary>
        public ChatResponseFormat ResponseFormat => _format ??= ChatResponseFormat.ForJsonSchema(
            AIJsonUtilities.CreateJsonSchema(typeof(T), serializerOptions: AIJsonUtilities.DefaultOptions), SchemaName(typeof(T)));

        /// <summary>A schema name providers accept (letters, digits, '_' and '-'): the type's name without generic arity marks.</summary>
        private static string SchemaName(Type type)
        {
            var name = new System.Text.StringBuilder(type.Name.Length);
            foreach (var c in type.Name) name.Append(char.IsLetterOrDigit(c) && c < 128 || c is '_' or '-' ? c : '_');
            return name.Length == 0 ? "result" : name.ToString();
        }
        // An answer that leaves out a constructor parameter or puts null where the type says non-null is not an answer:
        // "{}" would otherwise become a record of defaults and be accepted instead of escalating.
        private static readonly JsonSerializerOptions Options = new()
        {
            PropertyNameCaseInsensitive = true,
            AllowTrailingCommas = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            RespectRequiredConstructorParameters = true,
            RespectNullableAnnotations = true,
            // An enum (at the top or nested, nullable or not) is a member name or a declared number: "7" is no TicketCategory.
            Converters = { new DeclaredEnumConverterFactory() },
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
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or OverflowException)
            {
                // Text the JSON reader cannot decode (a lone surrogate) or a constructor that refuses the values: no answer.
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

/// <summary>A parser whose result has a JSON schema that tiers with structured output are asked to answer in.</summary>
internal interface IStructuredAnswerParser
{
    /// <summary>The response format to request.</summary>
    ChatResponseFormat ResponseFormat { get; }
}
