using System;

namespace RoutingSdk;

/// <summary>
/// What a cascade's answers are judged on: the signals that can make the router escalate from a tier below the chain's
/// last. The router records them per task from the first parsed answer of such a tier
/// (<see cref="TaskRouter.GetEscalationSignals"/>) and logs them once; a cascade with nothing but
/// <see cref="ParseFailure"/> (or nothing at all) is logged as a warning.
/// </summary>
[Flags]
public enum EscalationSignals
{
    /// <summary>No signal: every answer of the tier is accepted (a text result with no validator and no confidence).</summary>
    None = 0,

    /// <summary>An answer that does not parse into the task's result type escalates (any result but text).</summary>
    ParseFailure = 1,

    /// <summary>The task's validator scores each parsed answer.</summary>
    Validator = 2,

    /// <summary>The tier reported a confidence (<c>ChatResponse.AdditionalProperties["confidence"]</c>).</summary>
    ReportedConfidence = 4,

    /// <summary>The tier returned token log-probabilities (<c>ChatResponse.AdditionalProperties["logprobs"]</c>).</summary>
    LogProbabilities = 8,

    /// <summary>The model wrote its own confidence line (<see cref="RoutingOptions.AskForConfidence"/>).</summary>
    SelfReportedConfidence = 16,

    /// <summary>A scorer of your own (or a log-probability scorer with its own reader) gave an opinion.</summary>
    CustomScorer = 32,
}
