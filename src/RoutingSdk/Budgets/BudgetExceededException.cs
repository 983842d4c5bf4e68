using System;
using System.Globalization;

namespace RoutingSdk;

/// <summary>A call would have spent more than a <see cref="RoutingBudget"/> allows; no tier was called for the part that did not fit.</summary>
public sealed class BudgetExceededException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BudgetExceededException(string budgetName, string taskName, string tier, decimal limitUsd, decimal spentUsd, decimal reservedUsd, decimal neededUsd)
        : this(budgetName, string.Empty, taskName, tier, limitUsd, spentUsd, reservedUsd, neededUsd)
    {
    }

    /// <summary>Creates the exception for a budget keyed by a context value (<see cref="RoutingBudget.KeyedBy"/>): <paramref name="scope"/> is the value ("" for none).</summary>
    public BudgetExceededException(string budgetName, string scope, string taskName, string tier, decimal limitUsd, decimal spentUsd, decimal reservedUsd, decimal neededUsd)
        : base(string.Format(CultureInfo.InvariantCulture,
            "Budget '{0}'{7} (limit ${1}) cannot pay for task '{2}' on tier '{3}': ${4} spent and ${5} reserved by calls in flight this period, the call needs about ${6}.",
            budgetName, limitUsd, taskName, tier, Round(spentUsd), Round(reservedUsd), Round(neededUsd), string.IsNullOrEmpty(scope) ? "" : " for '" + scope + "'"))
    {
        BudgetName = budgetName;
        Scope = scope ?? string.Empty;
        TaskName = taskName;
        Tier = tier;
        LimitUsd = limitUsd;
        SpentUsd = spentUsd;
        ReservedUsd = reservedUsd;
        NeededUsd = neededUsd;
    }

    /// <summary>The budget's name.</summary>
    public string BudgetName { get; }

    /// <summary>The context value the budget is keyed by for this call (<see cref="RoutingBudget.KeyedBy"/>), or "".</summary>
    public string Scope { get; }

    /// <summary>The task of the call.</summary>
    public string TaskName { get; }

    /// <summary>The tier the call would have gone to.</summary>
    public string Tier { get; }

    /// <summary>The budget's limit per period, USD.</summary>
    public decimal LimitUsd { get; }

    /// <summary>What the budget had spent this period, USD.</summary>
    public decimal SpentUsd { get; }

    /// <summary>What calls in flight had reserved, USD.</summary>
    public decimal ReservedUsd { get; }

    /// <summary>The call's expected cost on the tier, USD.</summary>
    public decimal NeededUsd { get; }

    private static decimal Round(decimal value) => Math.Round(value, 6, MidpointRounding.AwayFromZero);
}
