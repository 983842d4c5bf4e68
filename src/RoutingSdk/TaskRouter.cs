using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using RoutingSdk.Planning;

namespace RoutingSdk;

/// <summary>
/// Executes a task's plan: calls the start tier's <see cref="IChatClient"/>, accepts the answer when it parses and
/// scores at least the plan's threshold, escalates up the chain when it does not, falls back to the next tier when a
/// tier throws, and books every answered call in the <see cref="ICostLedger"/>. Registered as a singleton by
/// <c>AddRoutingSdk()</c>; tier clients are keyed services named after the tier.
/// </summary>
/// <remarks>
/// The score of an answer is 0 when it does not parse into the task's return type; otherwise it is the confidence the
/// tier reported in <c>ChatResponse.AdditionalProperties["confidence"]</c> (a number from 0 to 1) or 1 when it
/// reported none. The last tier of the chain has nowhere to escalate: its answer is accepted when it parses.
/// </remarks>
public sealed class TaskRouter
{
    /// <summary>The key under which a tier client may report its confidence (0–1) in <c>ChatResponse.AdditionalProperties</c>.</summary>
    public const string ConfidenceProperty = "confidence";

    /// <summary>The key under which the router tells the tier client which task it is calling, in <c>ChatOptions.AdditionalProperties</c>.</summary>
    public const string TaskNameProperty = "routingsdk.task";

    /// <summary>The key under which the router passes the task's <see cref="TaskKind"/> name (for example <c>"Classification"</c>) in <c>ChatOptions.AdditionalProperties</c>.</summary>
    public const string KindProperty = "routingsdk.kind";

    /// <summary>The key under which the router passes the task's <see cref="Complexity"/> name (for example <c>"Low"</c>) in <c>ChatOptions.AdditionalProperties</c>.</summary>
    public const string ComplexityProperty = "routingsdk.complexity";

    private readonly Func<string, IChatClient?> _clientForTier;
    private readonly ConcurrentDictionary<string, IChatClient?> _clients = new(StringComparer.Ordinal);

    /// <summary>Creates a router that resolves each tier's client as a keyed <see cref="IChatClient"/> service.</summary>
    public TaskRouter(IServiceProvider services, ICostLedger ledger)
        : this(services is null ? throw new ArgumentNullException(nameof(services)) : tier => services.GetKeyedService<IChatClient>(tier), ledger)
    {
    }

    /// <summary>Creates a router over an explicit tier-name-to-client function (null: no client for that tier).</summary>
    public TaskRouter(Func<string, IChatClient?> clientForTier, ICostLedger ledger)
    {
        _clientForTier = clientForTier ?? throw new ArgumentNullException(nameof(clientForTier));
        Ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
    }

    /// <summary>The ledger every call is booked in.</summary>
    public ICostLedger Ledger { get; }

    /// <summary>Runs one call of a task through its plan.</summary>
    /// <param name="plan">The task's plan from the routing table.</param>
    /// <param name="prompt">The user message.</param>
    /// <param name="instructions">The system message, or null.</param>
    /// <param name="parser">Turns the answer text into the result.</param>
    /// <param name="cancellationToken">The caller's token; its cancellation ends the call at once and is never retried.</param>
    /// <returns>The first accepted answer.</returns>
    /// <exception cref="RoutingFailedException">Every tier of the chain failed; the message names each tier and its failure.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<T> RouteAsync<T>(RoutePlan plan, string prompt, string? instructions, IAnswerParser<T> parser, CancellationToken cancellationToken = default)
    {
        if (plan is null) throw new ArgumentNullException(nameof(plan));
        if (prompt is null) throw new ArgumentNullException(nameof(prompt));
        if (parser is null) throw new ArgumentNullException(nameof(parser));

        var messages = instructions is null
            ? new[] { new ChatMessage(ChatRole.User, prompt) }
            : new[] { new ChatMessage(ChatRole.System, instructions), new ChatMessage(ChatRole.User, prompt) };
        List<TierFailure>? failures = null;   // allocated only when a tier does not deliver
        var tiers = plan.Tiers;
        for (var i = 0; i < tiers.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var tier = tiers[i];
            var last = i == tiers.Count - 1;
            var client = _clients.GetOrAdd(tier.Name, _clientForTier);
            if (client is null)
            {
                (failures ??= new List<TierFailure>(tiers.Count)).Add(new TierFailure(tier.Name, $"no IChatClient is registered for tier '{tier.Name}' (services.AddKeyedChatClient(\"{tier.Name}\", client))"));
                RoutingMetrics.Fallbacks.Add(1);
                continue;
            }

            ChatResponse response;
            try
            {
                var options = new ChatOptions
                {
                    ModelId = tier.ModelId,
                    AdditionalProperties = new AdditionalPropertiesDictionary
                    {
                        [TaskNameProperty] = plan.TaskName,
                        [KindProperty] = plan.Kind.ToString(),
                        [ComplexityProperty] = plan.Complexity.ToString(),
                    },
                };
                response = await client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                (failures ??= new List<TierFailure>(tiers.Count)).Add(new TierFailure(tier.Name, $"{ex.GetType().Name}: {ex.Message}", ex));
                RoutingMetrics.Fallbacks.Add(1);
                continue;
            }

            var text = response.Text ?? string.Empty;
            var parsed = parser.TryParse(text, out var value);
            var score = parsed ? Confidence(response) ?? 1.0 : 0.0;
            var threshold = plan.AcceptanceThresholds[i];
            var accepted = parsed && (last || score >= threshold);
            var outcome = accepted ? CallOutcome.Accepted : last ? CallOutcome.Rejected : CallOutcome.Escalated;
            Book(plan, tier, prompt, instructions, text, response.Usage, outcome);

            if (accepted) return value;

            // Kept so that, if no later tier delivers, the exception names this tier's rejected answer too.
            (failures ??= new List<TierFailure>(tiers.Count)).Add(new TierFailure(tier.Name, parsed
                ? string.Format(CultureInfo.InvariantCulture, "the answer's confidence {0:0.###} is below the acceptance threshold {1}", score, threshold)
                : $"the answer could not be read as {typeof(T).Name}: \"{Shorten(text)}\""));
        }

        throw new RoutingFailedException(plan.TaskName, failures ?? new List<TierFailure>());
    }

    private void Book(RoutePlan plan, TierSpec tier, string prompt, string? instructions, string answer, UsageDetails? usage, CallOutcome outcome)
    {
        long input, output, reasoning = 0;
        var estimated = usage?.InputTokenCount is null || usage.OutputTokenCount is null;
        if (estimated)
        {
            // The tier reported no usage: book an estimate (four characters a token) rather than nothing, and mark it.
            input = usage?.InputTokenCount ?? EstimateTokens(prompt.Length + (instructions?.Length ?? 0));
            output = usage?.OutputTokenCount ?? EstimateTokens(answer.Length);
        }
        else
        {
            input = usage!.InputTokenCount!.Value;
            output = usage.OutputTokenCount!.Value;
        }

        if (usage?.ReasoningTokenCount is { } r)
        {
            // Providers count thinking tokens inside the output tokens; book them at the reasoning price instead.
            reasoning = r;
            output = Math.Max(0, output - r);
        }

        var record = new CostRecord(plan.TaskName, tier, plan.Reference, input, output, reasoning, outcome, estimated);
        Ledger.Record(record);
        RoutingMetrics.RecordCall(record);
    }

    private static long EstimateTokens(int characters) => (characters + 3) / 4;

    private static double? Confidence(ChatResponse response)
    {
        if (response.AdditionalProperties is null || !response.AdditionalProperties.TryGetValue(ConfidenceProperty, out var raw)) return null;
        return raw switch
        {
            double d => d,
            float f => f,
            decimal m => (double)m,
            int i => i,
            long l => l,
            // Adapters that copy the provider's raw JSON into AdditionalProperties hand over a JsonElement.
            JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
            JsonElement { ValueKind: JsonValueKind.String } e when double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        };
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text.Substring(0, 77) + "...";
}
