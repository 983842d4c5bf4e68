using System.Collections.Generic;
using Microsoft.Extensions.AI;
using RoutingSdk.Planning;

namespace RoutingSdk;

/// <summary>One routed call's inputs and running totals.</summary>
internal struct RouteCall
{
    public readonly RoutePlan Plan;
    public readonly PlanState State;
    public readonly IReadOnlyList<ChatMessage> Messages;
    public readonly ChatOptions? CallerOptions;
    public readonly IChatClient? LastTierClient;
    private int _inputCharacters;
    public decimal Spent;
    public decimal AcceptedReferenceUsd;

    /// <summary>What the tiers called so far answered, for a plan with acceptors (null until a later position needs it).</summary>
    public AcceptanceHistory? History;

    /// <summary>
    /// The end (exclusive) of the chain positions this call may reach: the plan's, or fewer under a downgrade budget's
    /// cap. Position <c>End - 1</c> is the tier an answer that skips goes to.
    /// </summary>
    public int End;

    /// <summary>
    /// Before an answer is judged: the downgrade budget that cannot pay for the chain's last tier (where an acceptor's skip
    /// goes), or null.
    /// </summary>
    public string? SkipCapping;

    public RouteCall(RoutePlan plan, PlanState state, IReadOnlyList<ChatMessage> messages, int inputCharacters, ChatOptions? callerOptions, IChatClient? lastTierClient)
    {
        Plan = plan;
        State = state;
        Messages = messages;
        _inputCharacters = inputCharacters;
        CallerOptions = callerOptions;
        LastTierClient = lastTierClient;
        Spent = 0m;
        AcceptedReferenceUsd = 0m;
        History = null;
        SkipCapping = null;
        End = plan.Escalation == Escalation.None ? 1 : state.Tiers.Length;
    }

    /// <summary>The characters of the request, counted once when first needed (-1 given: not counted yet).</summary>
    public int InputCharacters => _inputCharacters >= 0 ? _inputCharacters : _inputCharacters = CountCharacters(Messages);

    /// <summary>
    /// The client of the tier at <paramref name="position"/>: a chat request's last tier is the pipeline's inner client
    /// (<c>UseTieredRouting</c>), every other tier the registered one (null when none is). Throws what the client factory throws.
    /// </summary>
    public IChatClient? ClientFor(int position, TierSpec tier)
        => position == State.Tiers.Length - 1 && LastTierClient is { } inner ? inner : State.Client(position, tier);

    /// <summary>The options of a tier call: the plan's cached ones, or for a chat request (or a tier outside the chain) a copy of the caller's with the task's properties.</summary>
    public ChatOptions OptionsFor(int position, TierSpec tier)
    {
        if (CallerOptions is null && position >= 0) return State.Options[position];
        var options = CallerOptions?.Clone() ?? new ChatOptions();
        options.ModelId = tier.ModelId;
        (options.AdditionalProperties ??= new AdditionalPropertiesDictionary())[TaskRouter.TaskNameProperty] = Plan.TaskName;
        options.AdditionalProperties[TaskRouter.KindProperty] = Plan.Kind.ToString();
        options.AdditionalProperties[TaskRouter.ComplexityProperty] = Plan.Complexity.ToString();
        return options;
    }

    public static int CountCharacters(IReadOnlyList<ChatMessage> messages)
    {
        var total = 0;
        for (var i = 0; i < messages.Count; i++) total += messages[i].Text?.Length ?? 0;
        return total;
    }
}
