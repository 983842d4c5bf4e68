using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RoutingSdk;

/// <summary>
/// The names of RoutingSdk's telemetry: the <c>RoutingSdk</c> <see cref="System.Diagnostics.Metrics.Meter"/> and
/// <see cref="System.Diagnostics.ActivitySource"/>. Instruments and spans follow the OpenTelemetry GenAI semantic
/// conventions where they apply. Tags carry task and tier names, models, token counts and costs — never prompts or
/// answers, unless <see cref="RoutingOptions.RecordContent"/> is on (and then only on spans).
/// </summary>
public static class RoutingTelemetry
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "RoutingSdk";

    /// <summary><c>gen_ai.client.token.usage</c>: tokens per tier call (histogram, tagged <c>gen_ai.token.type</c> input/output/reasoning).</summary>
    public const string TokenUsage = "gen_ai.client.token.usage";

    /// <summary><c>gen_ai.client.operation.duration</c>: seconds per tier call (histogram).</summary>
    public const string OperationDuration = "gen_ai.client.operation.duration";

    /// <summary><c>routingsdk.calls</c>: tier calls that returned an answer, tagged with <c>routingsdk.outcome</c>.</summary>
    public const string Calls = "routingsdk.calls";

    /// <summary><c>routingsdk.escalations</c>: answers rejected and passed up the chain.</summary>
    public const string Escalations = "routingsdk.escalations";

    /// <summary><c>routingsdk.fallbacks</c>: tier calls that failed (threw, timed out, no client) and passed the call on.</summary>
    public const string Fallbacks = "routingsdk.fallbacks";

    /// <summary><c>routingsdk.downgrades</c>: routed calls a <see cref="BudgetAction.Downgrade"/> budget capped at a cheaper tier.</summary>
    public const string Downgrades = "routingsdk.downgrades";

    /// <summary><c>routingsdk.cost</c>: USD spent on tier calls.</summary>
    public const string Cost = "routingsdk.cost";

    /// <summary><c>routingsdk.saved</c>: USD saved against sending the accepted answer's tokens to the reference (all-frontier) tier, per routed call (negative when routing cost more).</summary>
    public const string Saved = "routingsdk.saved";

    /// <summary>Counter: tier responses whose usage reported an impossible token count (negative, or above the per-call maximum); booked corrected.</summary>
    public const string UsageInvalid = "routingsdk.usage.invalid";

    /// <summary>
    /// Counter: tiers a routed call passed over without calling them, tagged with <c>routingsdk.skip.reason</c>
    /// (<c>context_window</c>: the request would not fit the tier's declared context window).
    /// </summary>
    public const string Skips = "routingsdk.skips";

    /// <summary>Tag: the task's name.</summary>
    public const string TaskTag = "routingsdk.task";

    /// <summary>Tag: the tier's name.</summary>
    public const string TierTag = "routingsdk.tier";

    /// <summary>Tag: how a tier call ended (<see cref="CallOutcome"/> in lower case, or <c>failed</c>).</summary>
    public const string OutcomeTag = "routingsdk.outcome";

    internal static readonly ActivitySource Source = new(Name, typeof(RoutingTelemetry).Assembly.GetName().Version?.ToString());
    internal static readonly Meter Meter = new(Name, typeof(RoutingTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Histogram<long> TokenHistogram = Meter.CreateHistogram<long>(TokenUsage, "{token}", "Tokens used per tier call.");
    internal static readonly Histogram<double> DurationHistogram = Meter.CreateHistogram<double>(OperationDuration, "s", "Duration of tier calls.");
    internal static readonly Counter<long> CallCounter = Meter.CreateCounter<long>(Calls, "{call}", "Tier calls that returned an answer.");
    internal static readonly Counter<long> EscalationCounter = Meter.CreateCounter<long>(Escalations, "{call}", "Answers rejected and passed up the chain.");
    internal static readonly Counter<long> FallbackCounter = Meter.CreateCounter<long>(Fallbacks, "{call}", "Tier calls that failed and passed the call on.");
    internal static readonly Counter<long> DowngradeCounter = Meter.CreateCounter<long>(Downgrades, "{call}", "Routed calls a budget capped at a cheaper tier.");
    internal static readonly Counter<double> CostCounter = Meter.CreateCounter<double>(Cost, "USD", "USD spent on tier calls.");
    internal static readonly Counter<long> InvalidUsageCounter = Meter.CreateCounter<long>(UsageInvalid, "{call}", "Tier responses that reported an impossible token count, booked corrected.");
    internal static readonly Counter<long> SkipCounter = Meter.CreateCounter<long>(Skips, "{call}", "Tiers passed over without a call.");
    internal static readonly UpDownCounter<double> SavedCounter = Meter.CreateUpDownCounter<double>(Saved, "USD", "USD saved against the all-frontier reference.");

    /// <summary>Whether any per-call instrument has a listener (one check on the hot path).</summary>
    internal static bool MetricsEnabled
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        get => CallCounter.Enabled || TokenHistogram.Enabled || CostCounter.Enabled || EscalationCounter.Enabled || SavedCounter.Enabled || DurationHistogram.Enabled;
    }

    internal static void RecordCall(in CostRecord record, string? provider, string? responseModel, double? seconds)
    {
        var task = new KeyValuePair<string, object?>(TaskTag, record.TaskName);
        var tier = new KeyValuePair<string, object?>(TierTag, record.Tier.Name);
        if (CallCounter.Enabled) CallCounter.Add(1, task, tier, new KeyValuePair<string, object?>(OutcomeTag, OutcomeName(record.Outcome)));
        if (record.Outcome == CallOutcome.Escalated && EscalationCounter.Enabled) EscalationCounter.Add(1, task, tier);
        if (CostCounter.Enabled) CostCounter.Add((double)record.Usd, task, tier);
        if (!TokenHistogram.Enabled && !DurationHistogram.Enabled) return;

        var tags = new TagList
        {
            task,
            tier,
            { "gen_ai.operation.name", "chat" },
            { "gen_ai.request.model", record.Tier.ModelId ?? record.Tier.Name },
        };
        if (provider is not null) tags.Add("gen_ai.provider.name", provider);
        if (responseModel is not null) tags.Add("gen_ai.response.model", responseModel);
        if (seconds is { } s && DurationHistogram.Enabled) DurationHistogram.Record(s, tags);
        if (!TokenHistogram.Enabled) return;
        var input = tags;
        input.Add("gen_ai.token.type", "input");
        TokenHistogram.Record(record.InputTokens, input);
        var output = tags;
        output.Add("gen_ai.token.type", "output");
        TokenHistogram.Record(record.OutputTokens, output);
        if (record.ReasoningTokens > 0)
        {
            var reasoning = tags;
            reasoning.Add("gen_ai.token.type", "reasoning");
            TokenHistogram.Record(record.ReasoningTokens, reasoning);
        }
    }

    internal static void RecordInvalidUsage(string taskName, string tier)
    {
        if (InvalidUsageCounter.Enabled) InvalidUsageCounter.Add(1, new KeyValuePair<string, object?>(TaskTag, taskName), new KeyValuePair<string, object?>(TierTag, tier));
    }

    internal static void RecordSkip(string taskName, string tier, string reason)
    {
        if (SkipCounter.Enabled)
            SkipCounter.Add(1, new KeyValuePair<string, object?>(TaskTag, taskName), new KeyValuePair<string, object?>(TierTag, tier), new KeyValuePair<string, object?>("routingsdk.skip.reason", reason));
    }

    internal static void RecordFallback(string taskName, string tier)
    {
        if (FallbackCounter.Enabled) FallbackCounter.Add(1, new KeyValuePair<string, object?>(TaskTag, taskName), new KeyValuePair<string, object?>(TierTag, tier));
    }

    internal static void RecordDowngrade(string taskName, string tier, string budget)
    {
        if (DowngradeCounter.Enabled)
            DowngradeCounter.Add(1, new KeyValuePair<string, object?>(TaskTag, taskName), new KeyValuePair<string, object?>(TierTag, tier), new KeyValuePair<string, object?>("routingsdk.budget", budget));
    }

    internal static void RecordSaved(string taskName, string tier, decimal saved)
    {
        if (SavedCounter.Enabled) SavedCounter.Add((double)saved, new KeyValuePair<string, object?>(TaskTag, taskName), new KeyValuePair<string, object?>(TierTag, tier));
    }

    internal static string OutcomeName(CallOutcome outcome) => outcome switch
    {
        CallOutcome.Accepted => "accepted",
        CallOutcome.Escalated => "escalated",
        CallOutcome.Rejected => "rejected",
        CallOutcome.Shadow => "shadow",
        CallOutcome.CalibrationSample => "calibration_sample",
        _ => "classification",
    };
}
