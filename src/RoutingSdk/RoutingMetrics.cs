using System.Collections.Generic;
using System.Diagnostics.Metrics;

namespace RoutingSdk;

/// <summary>The instruments on the <c>RoutingSdk</c> meter. Tags carry task and tier names only, never prompts or answers.</summary>
internal static class RoutingMetrics
{
    public const string MeterName = "RoutingSdk";

    private static readonly Meter Meter = new(MeterName, typeof(RoutingMetrics).Assembly.GetName().Version?.ToString());

    public static readonly Counter<long> Calls = Meter.CreateCounter<long>("routingsdk.calls", "{call}", "Tier calls that returned an answer.");
    public static readonly Counter<long> Escalations = Meter.CreateCounter<long>("routingsdk.escalations", "{call}", "Answers rejected and passed up the chain.");
    public static readonly Counter<long> Fallbacks = Meter.CreateCounter<long>("routingsdk.fallbacks", "{call}", "Tier calls that failed and passed the call on.");
    public static readonly Counter<double> Usd = Meter.CreateCounter<double>("routingsdk.cost", "USD", "USD spent on tier calls.");
    public static readonly Histogram<long> Tokens = Meter.CreateHistogram<long>("gen_ai.client.token.usage", "{token}", "Tokens used per tier call.");

    public static void RecordCall(in CostRecord record)
    {
        if (!Calls.Enabled && !Usd.Enabled && !Tokens.Enabled && !Escalations.Enabled) return;
        var task = new KeyValuePair<string, object?>("routingsdk.task", record.TaskName);
        var tier = new KeyValuePair<string, object?>("routingsdk.tier", record.Tier.Name);
        Calls.Add(1, task, tier);
        if (record.Outcome == CallOutcome.Escalated) Escalations.Add(1, task, tier);
        Usd.Add((double)record.Usd, task, tier);
        if (Tokens.Enabled)
        {
            var model = new KeyValuePair<string, object?>("gen_ai.request.model", record.Tier.ModelId ?? record.Tier.Name);
            Tokens.Record(record.InputTokens, task, model, new KeyValuePair<string, object?>("gen_ai.token.type", "input"));
            Tokens.Record(record.OutputTokens, task, model, new KeyValuePair<string, object?>("gen_ai.token.type", "output"));
        }
    }
}
