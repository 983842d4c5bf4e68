using System;
using System.Collections.Generic;
using System.Linq;

namespace RoutingSdk;

/// <summary>
/// No tier a task tried delivered an acceptable answer: every tier of its chain, or of the part a downgrade budget or a
/// skip to the last tier left it; <see cref="Failures"/> says how each one did.
/// </summary>
public sealed class RoutingFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RoutingFailedException(string taskName, IReadOnlyList<TierFailure> failures)
        : base(BuildMessage(taskName, failures), failures.Select(f => f.Exception).OfType<Exception>().FirstOrDefault())
    {
        TaskName = taskName;
        Failures = failures;
    }

    /// <summary>The task that failed.</summary>
    public string TaskName { get; }

    /// <summary>One failure per tier tried, in chain order.</summary>
    public IReadOnlyList<TierFailure> Failures { get; }

    private static string BuildMessage(string taskName, IReadOnlyList<TierFailure> failures)
        => $"Task '{taskName}' failed on every tier it tried: "
           + string.Join("; ", failures.Select(f => $"'{f.Tier}': {f.Reason}")) + ".";
}

/// <summary>Why one tier did not deliver an answer.</summary>
public sealed class TierFailure
{
    /// <summary>Creates a failure.</summary>
    public TierFailure(string tier, string reason, Exception? exception = null)
    {
        Tier = tier;
        Reason = reason;
        Exception = exception;
    }

    /// <summary>The tier's name.</summary>
    public string Tier { get; }

    /// <summary>What went wrong, in words.</summary>
    public string Reason { get; }

    /// <summary>The exception the tier client threw, if it threw.</summary>
    public Exception? Exception { get; }
}
