using System.Collections.Generic;
using System.Globalization;
using RoutingSdk.Planning;

namespace RoutingSdk.Redis;

/// <summary>
/// The price list a ledger entry is booked at — the tier's and the all-frontier reference's prices — as the hash fields
/// that carry it to every reader. Entries of one task and tier booked at different prices (a deployment that changed them)
/// stay apart in Redis and are priced each at its own list, then added.
/// </summary>
internal static class LedgerPrices
{
    /// <summary>The hash fields of an entry's price list; none may share a name with a counter (<see cref="LedgerCounters"/>).</summary>
    public static readonly string[] Fields =
    {
        "task", "tier", "rank", "price_in", "price_out", "price_reasoning", "price_cached", "price_long_threshold", "price_long_in", "price_long_out", "price_long_cached",
        "ref_name", "ref_rank", "ref_price_in", "ref_price_out", "ref_price_cached", "ref_price_long_threshold", "ref_price_long_in", "ref_price_long_out", "ref_price_long_cached",
    };

    /// <summary>The hash field of the shadow guardrail's level at the entry's tier, as of the latest call written (not a price).</summary>
    public const string GuardrailLevel = "guardrail_level";

    /// <summary>The fields a flush writes with each entry: its price list, then <see cref="GuardrailLevel"/>.</summary>
    public static readonly string[] FieldsWithLevel = [.. Fields, GuardrailLevel];

    public static string[] Values(string task, TierSpec tier, TierSpec reference) => new[]
    {
        task, tier.Name, Text(tier.Rank), Text(tier.InputCostPerMillion), Text(tier.OutputCostPerMillion), Text(tier.ReasoningCostPerMillion),
        Text(tier.CachedInputCostPerMillion), Text(tier.LongContextThresholdTokens), Text(tier.LongContextInputCostPerMillion),
        Text(tier.LongContextOutputCostPerMillion), Text(tier.LongContextCachedInputCostPerMillion),
        reference.Name, Text(reference.Rank), Text(reference.InputCostPerMillion), Text(reference.OutputCostPerMillion),
        Text(reference.CachedInputCostPerMillion), Text(reference.LongContextThresholdTokens), Text(reference.LongContextInputCostPerMillion),
        Text(reference.LongContextOutputCostPerMillion), Text(reference.LongContextCachedInputCostPerMillion),
    };

    /// <summary>Everything of a price list that prices a booking: entries with different ones are kept apart.</summary>
    public static string Fingerprint(TierSpec tier, TierSpec reference)
        => string.Join("|", Values("", tier, reference), 1, Fields.Length - 1);

    /// <summary>The tier a stored price list describes: the entry's own (<paramref name="prefix"/> "") or its reference's ("ref_").</summary>
    public static TierSpec Tier(IReadOnlyDictionary<string, string> fields, string prefix)
        => new(fields[prefix.Length == 0 ? "tier" : prefix + "name"], int.Parse(fields[prefix + "rank"], CultureInfo.InvariantCulture),
            Dec(fields[prefix + "price_in"]), Dec(fields[prefix + "price_out"]), fields.TryGetValue(prefix + "price_reasoning", out var reasoning) ? Dec(reasoning) : 0m)
        {
            CachedInputCostPerMillion = Optional(fields, prefix + "price_cached"),
            LongContextThresholdTokens = fields.TryGetValue(prefix + "price_long_threshold", out var threshold) && threshold.Length > 0 ? int.Parse(threshold, CultureInfo.InvariantCulture) : 0,
            LongContextInputCostPerMillion = Optional(fields, prefix + "price_long_in"),
            LongContextOutputCostPerMillion = Optional(fields, prefix + "price_long_out"),
            LongContextCachedInputCostPerMillion = Optional(fields, prefix + "price_long_cached"),
        };

    private static decimal? Optional(IReadOnlyDictionary<string, string> fields, string field)
        => fields.TryGetValue(field, out var value) && value.Length > 0 ? Dec(value) : null;

    private static decimal Dec(string value) => decimal.Parse(value, NumberStyles.Number, CultureInfo.InvariantCulture);

    public static string Text(decimal? value) => value is { } v ? Text(v) : "";

    public static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
