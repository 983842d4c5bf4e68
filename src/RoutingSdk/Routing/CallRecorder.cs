using System;
using System.Collections.Generic;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using RoutingSdk.Planning;

namespace RoutingSdk;

/// <summary>
/// Books every answered tier call: the tokens it used (the one place that splits reasoning from output tokens, and
/// estimates what a tier did not report), the ledger entry, the meter's instruments and the tier span's tags.
/// </summary>
internal sealed class CallRecorder
{
    private readonly ICostLedger _ledger;
    private readonly CostLedger? _costLedger;
    private readonly bool _recordContent;

    /// <summary>The shadow guardrail's statistics, when it is on: each booking carries its position's level.</summary>
    public IAgreementStatistics? Guardrail { get; set; }

    public CallRecorder(ICostLedger ledger, bool recordContent)
    {
        _ledger = ledger;
        _costLedger = ledger as CostLedger;
        _recordContent = recordContent;
    }

    /// <summary>
    /// The most tokens one call is booked with, per count (input, output, reasoning): a reported count above it is
    /// impossible and booked as this many (flagged on <c>routingsdk.usage.invalid</c>). 100 million tokens is far beyond
    /// any model's context and output, and keeps every sum the ledger and the budgets make far from overflowing.
    /// </summary>
    public const long MaxTokensPerCall = 100_000_000;

    /// <summary>
    /// The tokens to book for a response: its usage, or where the tier reported none, an estimate at four characters a
    /// token (flagged). Output excludes reasoning tokens when those are reported: providers count thinking tokens inside
    /// the output tokens, and they are booked at the reasoning price instead. Impossible counts: a negative input or output
    /// count is replaced by the estimate (flagged), a negative reasoning count by 0, a count above
    /// <see cref="MaxTokensPerCall"/> by that maximum; so nothing booked is ever negative. A count of 0 for text that is not
    /// empty (some OpenAI-compatible servers report zeros) is no count either: estimated (flagged), as missing usage is, so
    /// that a call is never booked as free. Cached input tokens
    /// (<c>UsageDetails.CachedInputTokenCount</c>) are part of the input: 0 when none or an impossible count was reported, at
    /// most the input tokens.
    /// </summary>
    public static (long Input, long Cached, long Output, long Reasoning, bool Estimated) Tokens(UsageDetails? usage, int inputCharacters, int answerCharacters)
    {
        var reportedInput = Counted(usage?.InputTokenCount, inputCharacters);
        var reportedOutput = Counted(usage?.OutputTokenCount, answerCharacters);
        var input = reportedInput ?? TokenProfile.EstimateTokens(Math.Max(0, inputCharacters));
        var output = reportedOutput ?? TokenProfile.EstimateTokens(Math.Max(0, answerCharacters));
        var estimated = reportedInput is null || reportedOutput is null;
        long reasoning = 0;
        if (Valid(usage?.ReasoningTokenCount) is { } r)
        {
            reasoning = r;
            output = Math.Max(0, output - r);
        }

        var cached = Math.Min(Valid(usage?.CachedInputTokenCount) ?? 0, input);
        return (input, cached, output, reasoning, estimated);
    }

    /// <summary>
    /// A response's output tokens as outcome files record them (TierTrial in RoutingSdk.Calibration) and acceptors read
    /// them: the reported count, thinking included, or an estimate at four characters a token when the tier reported none
    /// (or an impossible negative count; a count above <see cref="MaxTokensPerCall"/> is that maximum).
    /// </summary>
    public static long OutputTokens(UsageDetails? usage, int answerCharacters) => Counted(usage?.OutputTokenCount, answerCharacters) ?? TokenProfile.EstimateTokens(Math.Max(0, answerCharacters));

    /// <summary>Whether a response reports an impossible token count (negative, or above <see cref="MaxTokensPerCall"/>).</summary>
    public static bool HasInvalidUsage(UsageDetails? usage)
        => usage is not null && (Invalid(usage.InputTokenCount) || Invalid(usage.OutputTokenCount) || Invalid(usage.ReasoningTokenCount)
            || Invalid(usage.CachedInputTokenCount) || usage.CachedInputTokenCount > usage.InputTokenCount);

    private static bool Invalid(long? count) => count is < 0 or > MaxTokensPerCall;

    /// <summary>A reported count as booked: null (estimate it) when missing or negative, at most <see cref="MaxTokensPerCall"/>.</summary>
    private static long? Valid(long? count) => count is not { } c || c < 0 ? null : Math.Min(c, MaxTokensPerCall);

    /// <summary>A reported count of the tokens of <paramref name="characters"/> characters: as <see cref="Valid"/>, and null when it is 0 for some text.</summary>
    private static long? Counted(long? count, int characters) => count == 0 && characters > 0 ? null : Valid(count);

    /// <summary>
    /// Books the start tier's accepted answer on the fast path, when the tier reported possible token counts and no
    /// thinking; false (nothing booked) otherwise.
    /// </summary>
    public static bool TryBookFast(CostLedger.Entry entry, UsageDetails? usage)
    {
        // A parsed answer and the task's prompt are text: a count of 0 is no count (booked on an estimate by the general path).
        if (usage is not { InputTokenCount: { } input, OutputTokenCount: { } output, ReasoningTokenCount: null }
            || (ulong)(input - 1) >= MaxTokensPerCall || (ulong)(output - 1) >= MaxTokensPerCall) return false;
        var cached = usage.CachedInputTokenCount ?? 0;
        if ((ulong)cached > (ulong)input) return false;
        entry.Add(input, cached, output, 0, CallOutcome.Accepted, estimated: false);
        return true;
    }

    /// <summary>Books one answered tier call; returns its cost when a budget, the meter or a span needs it (else 0).</summary>
    public decimal Book(ref RouteCall route, int position, TierSpec tier, int answerCharacters, ChatResponse response, CallOutcome outcome, long started, Activity? tierActivity)
    {
        var state = route.State;
        var plan = route.Plan;
        var usage = response.Usage;
        // The request's characters are counted only when the tier did not report its input tokens.
        var (input, cached, output, reasoning, estimated) = Tokens(usage, usage?.InputTokenCount is null or <= 0 ? route.InputCharacters : 0, answerCharacters);
        if (usage is not null && HasInvalidUsage(usage)) RoutingTelemetry.RecordInvalidUsage(plan.TaskName, tier.Name);

        var level = position >= 0 && Guardrail is { } guardrail ? guardrail.GetLevel(plan.TaskName, position) : 0;
        var record = new CostRecord(plan.TaskName, tier, plan.Reference, input, output, reasoning, outcome, estimated, cached, level);
        if (position >= 0 && _costLedger is not null)
        {
            var entry = state.Entries[position] ??= _costLedger.EntryFor(plan.TaskName, tier, plan.Reference);
            entry.Add(input, cached, output, reasoning, outcome, estimated);
            entry.SetGuardrailLevel(level);
        }
        else
        {
            _ledger.Record(record);
        }

        var scope = CostScope.Current;
        scope?.Add(record);
        var metrics = RoutingTelemetry.MetricsEnabled;
        if (!metrics && tierActivity is null && state.Budgets.Length == 0 && scope is null && route.CallerOptions is null) return 0m;

        var cost = record.Usd;
        route.Spent += cost;
        if (outcome == CallOutcome.Accepted) route.AcceptedReferenceUsd = plan.Reference.Cost(input, cached, output, 0);
        if (metrics)
        {
            double? seconds = started != 0 ? (Stopwatch.GetTimestamp() - started) / (double)Stopwatch.Frequency : null;
            RoutingTelemetry.RecordCall(record, state.Provider(position, tier), response.ModelId, seconds);
        }

        if (tierActivity is not null)
        {
            tierActivity.SetTag("gen_ai.response.model", response.ModelId);
            tierActivity.SetTag("gen_ai.usage.input_tokens", input);
            tierActivity.SetTag("gen_ai.usage.output_tokens", output);
            if (cached != 0) tierActivity.SetTag("gen_ai.usage.cache_read.input_tokens", cached);
            tierActivity.SetTag(RoutingTelemetry.OutcomeTag, RoutingTelemetry.OutcomeName(outcome));
            RouteActivities.SetCost(tierActivity, cost);
            if (_recordContent) tierActivity.SetTag("gen_ai.output.messages", response.Text);
        }

        return cost;
    }

    /// <summary>What an accepted answer saved against the reference tier, on the meter.</summary>
    public static void RecordSaved(ref RouteCall route, TierSpec tier)
    {
        if (RoutingTelemetry.SavedCounter.Enabled) RoutingTelemetry.RecordSaved(route.Plan.TaskName, tier.Name, route.AcceptedReferenceUsd - route.Spent);
    }

    /// <summary>Books a call a classifier made to choose the start tier (null response: it failed and costs nothing); returns its cost.</summary>
    public decimal BookClassification(RoutePlan plan, TierSpec tier, ChatResponse? response, IReadOnlyList<ChatMessage> request, string answer)
    {
        if (response is null) return 0m;
        var (input, cached, output, reasoning, estimated) = Tokens(response.Usage, RouteCall.CountCharacters(request), answer.Length);
        if (HasInvalidUsage(response.Usage)) RoutingTelemetry.RecordInvalidUsage(plan.TaskName, tier.Name);
        var record = new CostRecord(plan.TaskName, tier, plan.Reference, input, output, reasoning, CallOutcome.Classification, estimated, cached);
        _ledger.Record(record);
        CostScope.Current?.Add(record);
        if (RoutingTelemetry.MetricsEnabled) RoutingTelemetry.RecordCall(record, null, null, null);
        return record.Usd;
    }
}
