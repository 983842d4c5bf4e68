using System.Collections.Generic;
using Microsoft.Extensions.Logging;
using RoutingSdk.Planning;

namespace RoutingSdk;

/// <summary>
/// Says once per task what its cascade escalates on (from the first parsed answer of a tier below the chain's last), and
/// warns when that is nothing but a parse failure: such a cascade accepts every answer of its cheap tiers that parses,
/// whatever its quality threshold.
/// </summary>
internal sealed class EscalationSignalsLog
{
    private const string Advice = "Wrap OpenAI-compatible or Azure OpenAI tier clients with UseOpenAILogProbabilities() (package RoutingSdk.OpenAI), "
        + "have the tier report AdditionalProperties[\"confidence\"], set RoutingOptions.AskForConfidence, or give the task a Validator.";

    private readonly ILogger _logger;

    public EscalationSignalsLog(ILogger logger) => _logger = logger;

    /// <summary>Records the task's signals on its state; the first time, logs them (a warning when there is no confidence signal).</summary>
    public void Observe(PlanState state, RoutePlan plan, TierSpec tier, EscalationSignals signals)
    {
        if (!state.RecordSignals(signals)) return;
        var chain = string.Join(" -> ", plan.Chain);
        if ((signals & ~EscalationSignals.ParseFailure) != 0)
        {
            _logger.LogInformation("Task '{Task}' ({Chain}) escalates on: {Signals}.", plan.TaskName, chain, Describe(signals));
            return;
        }

        if (signals == EscalationSignals.None)
        {
            _logger.LogWarning("Task '{Task}' cascades {Chain} but escalates on nothing: tier '{Tier}' reported no confidence or token log-probabilities, "
                + "the task has no validator and its text answers always parse, so every answer of '{Tier}' is accepted whatever QualityThreshold says. " + Advice,
                plan.TaskName, chain, tier.Name, tier.Name);
        }
        else
        {
            _logger.LogWarning("Task '{Task}' cascades {Chain} but escalates only when an answer does not parse: tier '{Tier}' reported no confidence or "
                + "token log-probabilities and the task has no validator, so every parsable answer of '{Tier}' is accepted whatever QualityThreshold says. " + Advice,
                plan.TaskName, chain, tier.Name, tier.Name);
        }
    }

    /// <summary>The signals in words, strongest first (for example "log-probabilities, parse failure").</summary>
    internal static string Describe(EscalationSignals signals)
    {
        if (signals == EscalationSignals.None) return "nothing";
        var words = new List<string>();
        if ((signals & EscalationSignals.Validator) != 0) words.Add("validator");
        if ((signals & EscalationSignals.ReportedConfidence) != 0) words.Add("reported confidence");
        if ((signals & EscalationSignals.LogProbabilities) != 0) words.Add("log-probabilities");
        if ((signals & EscalationSignals.SelfReportedConfidence) != 0) words.Add("self-reported confidence");
        if ((signals & EscalationSignals.CustomScorer) != 0) words.Add("custom scorer");
        if ((signals & EscalationSignals.ParseFailure) != 0) words.Add("parse failure");
        return string.Join(", ", words);
    }
}
