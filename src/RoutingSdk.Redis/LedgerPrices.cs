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
    public static readonly string[] Fields = { "task", "tier", "rank", "price_in", "price_out", "price_reasoning", "ref_name", "ref_rank", "ref_price_in", "ref_price_out" };

    /// <summary>The values of <see cref="Fields"/> for a booking.</summary>
    public static string[] Values(string task, TierSpec tier, TierSpec reference) => new[]
    {
        task, tier.Name, Text(tier.Rank), Text(tier.InputCostPerMillion), Text(tier.OutputCostPerMillion), Text(tier.EffectiveReasoningCostPerMillion),
        reference.Name, Text(reference.Rank), Text(reference.InputCostPerMillion), Text(reference.OutputCostPerMillion),
    };

    /// <summary>What identifies the price list inside a key.</summary>
    public static string Fingerprint(TierSpec tier, TierSpec reference)
        => string.Join("|", Text(tier.InputCostPerMillion), Text(tier.OutputCostPerMillion), Text(tier.EffectiveReasoningCostPerMillion),
            reference.Name, Text(reference.InputCostPerMillion), Text(reference.OutputCostPerMillion));

    public static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
