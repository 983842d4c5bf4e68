using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk;

/// <summary>
/// Whether two tiers' answers agree when no <see cref="ShadowOptions.Comparer"/> is given, for the shadow calls and the
/// calibration samples alike: text answers (and chat responses) when equal once normalised as outcome files compare them
/// (<see cref="AnswerKey"/>); numbers, enums and other simple values when equal; any other parsed value (a record, a class,
/// a struct) when its JSON is the same, so that a class without value equality, or a record holding a list, is compared
/// by what it holds rather than by reference.
/// </summary>
internal static class DefaultAgreement
{
    /// <summary>
    /// How a value is written for the comparison: NaN and infinities as their names (the default refuses them), a cycle cut
    /// where it closes (the default refuses it), public fields with the properties (the default leaves them out, and a
    /// tuple or a struct of fields would be "{}" whatever it holds).
    /// </summary>
    private static readonly JsonSerializerOptions Json = new()
    {
        IncludeFields = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        ReferenceHandler = ReferenceHandler.IgnoreCycles,
    };

    /// <summary>
    /// Whether the two answers agree. Never throws: a value its JSON cannot be written for (a member JSON does not support,
    /// a getter that throws, nesting too deep) agrees when it equals the other, or when the two answer texts are equal
    /// once normalised.
    /// </summary>
    public static bool Agree<T>(string acceptedText, T accepted, string shadowText, T shadow)
    {
        if (accepted is string || accepted is ChatResponse || accepted is null || shadow is null) return TextsAgree(acceptedText, shadowText);
        if (Simple<T>.Is) return EqualityComparer<T>.Default.Equals(accepted, shadow);
        JsonElement a, b;
        try
        {
            a = JsonSerializer.SerializeToElement(accepted, Json);
            b = JsonSerializer.SerializeToElement(shadow, Json);
        }
        catch (Exception)
        {
            return SafeEquals(accepted, shadow) || TextsAgree(acceptedText, shadowText);
        }

        return Same(a, b);
    }

    private static bool TextsAgree(string acceptedText, string shadowText)
        => string.Equals(AnswerKey.Of(acceptedText), AnswerKey.Of(shadowText), StringComparison.Ordinal);

    private static bool SafeEquals<T>(T accepted, T shadow)
    {
        try
        {
            return EqualityComparer<T>.Default.Equals(accepted, shadow);
        }
        catch (Exception)
        {
            return false;   // an Equals that throws (a record whose member's does) says nothing
        }
    }

    /// <summary>Whether two JSON values hold the same: numbers by value (12.5 is 12.50), strings exactly, objects and arrays member by member.</summary>
    private static bool Same(JsonElement a, JsonElement b)
    {
        if (a.ValueKind != b.ValueKind) return false;
        switch (a.ValueKind)
        {
            case JsonValueKind.Number:
                return a.TryGetDecimal(out var x) && b.TryGetDecimal(out var y) ? x == y : a.GetDouble().Equals(b.GetDouble());
            case JsonValueKind.String:
                return string.Equals(a.GetString(), b.GetString(), StringComparison.Ordinal);
            case JsonValueKind.Array:
                if (a.GetArrayLength() != b.GetArrayLength()) return false;
                using (var left = a.EnumerateArray())
                using (var right = b.EnumerateArray())
                {
                    while (left.MoveNext() && right.MoveNext())
                    {
                        if (!Same(left.Current, right.Current)) return false;
                    }
                }

                return true;
            case JsonValueKind.Object:
                var count = 0;
                foreach (var property in a.EnumerateObject())
                {
                    count++;
                    if (!b.TryGetProperty(property.Name, out var other) || !Same(property.Value, other)) return false;
                }

                foreach (var _ in b.EnumerateObject()) count--;
                return count == 0;
            default:
                return true;   // true, false, null: the kinds are equal
        }
    }

    /// <summary>Whether <typeparamref name="T"/> is a value whose equality is its value's: a primitive, an enum, a decimal, a date, a GUID (or a nullable one).</summary>
    private static class Simple<T>
    {
        public static readonly bool Is = Check(Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T));

        private static bool Check(Type type) => type.IsPrimitive || type.IsEnum || type == typeof(decimal) || type == typeof(DateTime) || type == typeof(DateTimeOffset)
            || type == typeof(TimeSpan) || type == typeof(Guid);
    }
}
