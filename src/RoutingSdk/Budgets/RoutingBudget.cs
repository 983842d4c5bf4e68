using System;

namespace RoutingSdk;

/// <summary>What a budget does when a call would not fit in it.</summary>
public enum BudgetAction
{
    /// <summary>The call fails with a <see cref="BudgetExceededException"/> before any tier is called that would not fit.</summary>
    Throw,
    /// <summary>
    /// Once <see cref="RoutingBudget.DowngradeAt"/> of the budget is used, calls are capped at a cheaper tier
    /// (<see cref="RoutingBudget.DowngradeTier"/>, or the chain's start tier); a call that does not fit even there throws.
    /// </summary>
    Downgrade,
}

/// <summary>
/// A spending limit in USD, for one task or for every task, over a period (or for the router's lifetime). The router
/// reserves a call's expected cost before it calls a tier and settles the actual cost after, so a budget holds across
/// escalations and fallbacks and is exceeded by no more than what calls already in flight spend beyond their reservation.
/// </summary>
public sealed class RoutingBudget
{
    /// <summary>Creates a budget.</summary>
    /// <param name="name">Names the budget in exceptions and telemetry.</param>
    /// <param name="limitUsd">The limit in USD per period; must be positive.</param>
    public RoutingBudget(string name, decimal limitUsd)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        if (limitUsd <= 0)
            throw new ArgumentOutOfRangeException(nameof(limitUsd), limitUsd, $"The limit of budget '{name}' must be positive; got {limitUsd.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        LimitUsd = limitUsd;
    }

    /// <summary>Names the budget in exceptions and telemetry.</summary>
    public string Name { get; }

    /// <summary>The limit in USD per period.</summary>
    public decimal LimitUsd { get; }

    /// <summary>The task the budget applies to (<c>SupportDesk.ClassifyAsync</c>), or null for every task. Default null.</summary>
    public string? TaskName { get; set; }

    /// <summary>
    /// The length of a period: spending starts again from zero at every multiple of it since the Unix epoch (UTC, so a
    /// day is a calendar day in UTC), as told by <see cref="RoutingOptions.TimeProvider"/>. Null (the default): one period
    /// for the router's lifetime.
    /// </summary>
    public TimeSpan? Period { get; set; }

    /// <summary>
    /// The key of a <see cref="RoutingContext"/> value (<see cref="RoutingContext.TenantKey"/>, or any key of your own) that
    /// splits the budget: every value gets its own <see cref="LimitUsd"/> per period, for example one limit per tenant.
    /// Calls made without that value share one allowance of their own. Null (the default): one allowance for every call.
    /// </summary>
    public string? KeyedBy { get; set; }

    /// <summary>What happens when a call would not fit. Default <see cref="BudgetAction.Throw"/>.</summary>
    public BudgetAction Action { get; set; } = BudgetAction.Throw;

    /// <summary>
    /// With <see cref="BudgetAction.Downgrade"/>: the tier calls are capped at once the budget is used to <see cref="DowngradeAt"/>; null for the chain's start tier.
    /// A name the task's tier catalog does not have is an error at the first call of that task (an <see cref="InvalidOperationException"/>
    /// naming the budget and the tier), never a silent fallback.
    /// </summary>
    public string? DowngradeTier { get; set; }

    /// <summary>With <see cref="BudgetAction.Downgrade"/>: the share of the limit (0–1) spent or reserved from which calls are capped. Default 0.9.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or outside 0–1.</exception>
    public double DowngradeAt
    {
        get => _downgradeAt;
        set => _downgradeAt = value is >= 0 and <= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(DowngradeAt), value,
                $"RoutingBudget.DowngradeAt of budget '{Name}' must be a share from 0 to 1; got {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
    }

    private double _downgradeAt = 0.9;

    /// <summary>Whether the budget applies to <paramref name="taskName"/>.</summary>
    public bool AppliesTo(string taskName) => TaskName is null || string.Equals(TaskName, taskName, StringComparison.Ordinal);

    /// <summary>The scope of a call made now: the current <see cref="RoutingContext"/>'s value of <see cref="KeyedBy"/>, or "" (unkeyed, or no value).</summary>
    public string CurrentScope() => KeyedBy is { } key ? RoutingContext.Current?.Get(key) ?? string.Empty : string.Empty;
}
