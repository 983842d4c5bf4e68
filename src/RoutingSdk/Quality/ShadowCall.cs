using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using RoutingSdk.Planning;

namespace RoutingSdk;

/// <summary>
/// One tier call made in the background, for the shadow guardrail or the calibration sample: reserved in the budgets
/// before it is made, booked (as <see cref="CallOutcome.Shadow"/> or <see cref="CallOutcome.CalibrationSample"/>), settled.
/// The caller's context is not involved.
/// </summary>
internal static class ShadowCall
{
    /// <summary>
    /// Calls <paramref name="tier"/> (chain position <paramref name="position"/>) with <paramref name="call"/>'s request and
    /// reads its answer with <paramref name="reader"/>. Not made, and <c>Paid</c> false, when a budget cannot pay for it (or
    /// cannot decide). A tier that throws has its reservation released and the exception propagates; an answer that cannot be
    /// read or booked is charged to the budgets all the same, and the exception propagates.
    /// </summary>
    public static async ValueTask<(bool Paid, OutcomeAnswer Answer, bool Parsed, T Value)> MakeAsync<T, TReader>(RouteCall call, int position, TierSpec tier, IChatClient client,
        TReader reader, AnswerScoring scoring, CallRecorder recorder, CallOutcome outcome, CancellationToken stopping)
        where TReader : struct, IAnswerReader<T>
    {
        var state = call.State;
        var reservations = await BudgetGate.TryReserveAsync(state, ExpectedCost(call, tier)).ConfigureAwait(false);
        if (reservations is null) return (false, default, false, default!);
        ChatResponse? response = null;
        string text;
        bool parsed;
        double score;
        T value;
        decimal booked;
        try
        {
            response = await TierClients.Invoke(client, call.Messages, call.OptionsFor(position, tier), stopping).ConfigureAwait(false) ?? new ChatResponse();
            text = scoring.Evaluate(call.Plan, call.CallerOptions, position, tier, response, reader, null, out parsed, out score, out value);
            booked = recorder.Book(ref call, position, tier, text.Length, response, outcome, 0, null);
        }
        catch (Exception)
        {
            // A tier that answered was paid for, even when its answer could not be read or booked: the budgets are charged.
            var spent = 0m;
            try
            {
                if (response is not null) spent = Cost(call, tier, response, AnswerText.Of(response));
            }
            catch (Exception)
            {
                // Its cost cannot be known: the reservation is released all the same.
            }

            try
            {
                await BudgetGate.SettleAsync(state, reservations, spent).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The store is unreachable: its lease returns the reservation when it expires.
            }

            throw;
        }

        await BudgetGate.SettleAsync(state, reservations, booked).ConfigureAwait(false);
        // The booking returns the cost only when something needed it; the outcome row always carries it.
        return (true, new OutcomeAnswer(tier, position, response, text, parsed ? score : double.NaN, Cost(call, tier, response, text)), parsed, value);
    }

    /// <summary>
    /// Whether a call may be made again in the background: not a chat request that offers tools (<c>ChatOptions.Tools</c>),
    /// since a tier client that invokes functions (<c>UseFunctionInvocation</c>) would run the caller's tools again, with
    /// their side effects, and two answers that are tool calls have no text to compare.
    /// </summary>
    public static bool MayRepeat(in RouteCall route) => route.CallerOptions?.Tools is not { Count: > 0 };

    /// <summary>
    /// The client of <paramref name="tier"/> (chain position <paramref name="position"/>) for a background call, resolved on
    /// the caller's path, the one the routed call would use: null when none is registered, or when the application's factory for it throws
    /// (<paramref name="failed"/>): that is the background call's failure, never the caller's, whose answer needed no such client.
    /// </summary>
    public static IChatClient? ClientFor(RouteCall route, int position, TierSpec tier, out bool failed)
    {
        failed = false;
        try
        {
            return route.ClientFor(position, tier);
        }
        catch (Exception)
        {
            failed = true;
            return null;
        }
    }

    /// <summary>
    /// What a background call to <paramref name="tier"/> is expected to cost before it is made (for the spending caps and
    /// the budgets' reservation): what a routed call to it is (<see cref="BudgetGate.Needed"/>: the request's tokens, the task
    /// kind's expected output, and its thinking on a tier with extended thinking).
    /// </summary>
    public static decimal ExpectedCost(RouteCall call, TierSpec tier) => BudgetGate.Needed(call, tier);

    /// <summary>What a tier's answer cost, as the ledger books it.</summary>
    public static decimal Cost(RouteCall call, TierSpec tier, ChatResponse response, string text)
    {
        var (input, cached, output, reasoning, _) = CallRecorder.Tokens(response.Usage, response.Usage?.InputTokenCount is null or < 0 ? call.InputCharacters : 0, text.Length);
        return tier.Cost(input, cached, output, reasoning);
    }
}
