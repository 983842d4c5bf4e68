using System;

namespace RoutingSdk.Redis;

/// <summary>
/// The integer unit of the shared budgets: a pico-dollar (10^-12 USD). A token priced at a whole number of micro-dollars per
/// million tokens (any price written with at most six decimals per million: $0.15, $0.075, $0.0375, $0.000001) costs a whole
/// number of pico-dollars, so every booking at such prices is exact; a finer price is rounded up to the next pico-dollar
/// (the budget then counts at most one pico-dollar per call too much, never too little). Redis adds them as signed 64-bit
/// integers: <see cref="MaxAmountUsd"/> bounds a limit and one call's amount, so that a period's sums stay far below 2^63
/// (9.2 × 10^18 pico-dollars = $9.2 million) and Redis refuses an overflow with an error rather than wrapping.
/// </summary>
internal static class PicoDollars
{
    /// <summary>Pico-dollars per dollar.</summary>
    public const decimal PerDollar = 1_000_000_000_000m;

    /// <summary>The largest limit, and the largest amount of one call, a shared budget takes: $1,000,000 (10^18 pico-dollars).</summary>
    public const decimal MaxAmountUsd = 1_000_000m;

    /// <summary>USD as pico-dollars, rounded up; negative amounts are 0 and amounts above <see cref="MaxAmountUsd"/> are that maximum.</summary>
    public static long FromUsd(decimal usd)
    {
        if (usd <= 0m) return 0;
        if (usd > MaxAmountUsd) usd = MaxAmountUsd;
        return (long)decimal.Ceiling(usd * PerDollar);
    }

    /// <summary>Whether <paramref name="usd"/> is a whole number of pico-dollars (booked exactly).</summary>
    public static bool IsExact(decimal usd) => decimal.Truncate(usd * PerDollar) == usd * PerDollar;

    /// <summary>Pico-dollars as USD (exact: decimal holds 28 digits).</summary>
    public static decimal ToUsd(long pico) => pico / PerDollar;

    /// <summary>A budget's limit in pico-dollars.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The limit is above <see cref="MaxAmountUsd"/>.</exception>
    public static long Limit(RoutingBudget budget)
        => budget.LimitUsd <= MaxAmountUsd
            ? FromUsd(budget.LimitUsd)
            : throw new ArgumentOutOfRangeException(nameof(budget), budget.LimitUsd,
                $"Budget '{budget.Name}' has a limit of ${budget.LimitUsd}; a budget kept in Redis holds at most ${MaxAmountUsd} per period (its sums are 64-bit pico-dollars).");
}
