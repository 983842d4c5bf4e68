using System;

namespace RoutingSdk;

/// <summary>
/// A shared <see cref="IBudgetStore"/> could not decide whether a call fits its budget (its backing service is
/// unreachable). The call is refused before any tier is called: a budget is never overspent because its store was down.
/// </summary>
public sealed class BudgetUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BudgetUnavailableException(string budgetName, string message, Exception? innerException)
        : base(message, innerException)
    {
        BudgetName = budgetName;
    }

    /// <summary>The budget that could not be consulted.</summary>
    public string BudgetName { get; }
}
