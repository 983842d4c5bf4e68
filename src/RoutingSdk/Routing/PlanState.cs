using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.Extensions.AI;
using RoutingSdk.Planning;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk;

/// <summary>
/// What a router keeps per plan, so that a call allocates nothing beyond its messages: the chain's resolved tier clients
/// and their providers, one <see cref="ChatOptions"/> per tier, the ledger entries, the budgets that apply, the thresholds
/// and acceptors, a cached system message and a spare acceptance history.
/// </summary>
internal sealed class PlanState
{
    // Weakly, so that a cached state never keeps its plan alive (the call that uses the state holds the plan).
    private readonly WeakReference<RoutePlan> _plan;
    private readonly TierClients _tierClients;
    private readonly IChatClient?[] _clients;
    private readonly string?[] _providers;
    private CachedSystemMessage? _system;
    private AcceptanceHistory? _spareHistory;

    public PlanState(RoutePlan plan, TierClients tierClients, BudgetGate gate, double lastTierMinimumScore, bool askForConfidence)
    {
        _tierClients = tierClients;
        _plan = new WeakReference<RoutePlan>(plan);
        TaskName = plan.TaskName;
        Tiers = plan.Tiers.ToArray();
        Thresholds = plan.AcceptanceThresholds.ToArray();
        Acceptors = plan.Acceptors?.ToArray();
        _clients = new IChatClient?[Tiers.Length];
        _providers = new string?[Tiers.Length];
        Entries = new CostLedger.Entry?[Tiers.Length];
        Options = new ChatOptions[Tiers.Length];
        for (var i = 0; i < Tiers.Length; i++)
        {
            Options[i] = new ChatOptions
            {
                ModelId = Tiers[i].ModelId,
                AdditionalProperties = new AdditionalPropertiesDictionary
                {
                    [TaskRouter.TaskNameProperty] = plan.TaskName,
                    [TaskRouter.KindProperty] = plan.Kind.ToString(),
                    [TaskRouter.ComplexityProperty] = plan.Complexity.ToString(),
                },
            };
        }

        var budgets = gate.For(plan.TaskName);
        foreach (var budget in budgets)
        {
            if (budget.Action == BudgetAction.Downgrade && budget.DowngradeTier is { } tier && plan.Catalog.Find(tier) is null)
                throw new InvalidOperationException(
                    $"RoutingBudget '{budget.Name}' downgrades to tier '{tier}', which the tier catalog of task '{plan.TaskName}' does not have (tiers: {string.Join(", ", plan.Catalog.Tiers.Select(t => t.Name))}).");
        }

        Gate = gate;
        Budgets = budgets;
        HasDowngradeBudgets = Budgets.Any(b => b.Action == BudgetAction.Downgrade);
        StartIsLast = Tiers.Length == 1 || plan.Escalation == Escalation.None;
        FastThreshold = StartIsLast ? lastTierMinimumScore : Thresholds[0];
        // The start tier's acceptor decides on the fast path too; its first position needs no earlier answers.
        StartAcceptor = !StartIsLast && Acceptors is { Length: > 0 } acceptors ? acceptors[0] : null;
        FastPath = Budgets.Length == 0 && plan.Escalation != Escalation.Classifier && !askForConfidence;
        StartHasContextWindow = Tiers.Length > 0 && Tiers[0].ContextWindowTokens > 0;
        _structuredTiers = Tiers.Count(t => t.Supports(TierCapabilities.StructuredOutput) == true);
    }

    private int _structuredTiers;
    private int _signalsRecorded;

    /// <summary>
    /// What the task's cascade escalates on, from the first parsed answer of a tier below the chain's last; null until
    /// then (and for a plan with one tier, or none to escalate to).
    /// </summary>
    public EscalationSignals? Signals { get; private set; }

    /// <summary>Whether the signals are still to be observed (the fast path leaves the call to the general path until they are).</summary>
    public bool SignalsPending => !StartIsLast && Volatile.Read(ref _signalsRecorded) == 0;

    /// <summary>Records the signals; true only for the call that recorded them first.</summary>
    public bool RecordSignals(EscalationSignals signals)
    {
        if (Interlocked.CompareExchange(ref _signalsRecorded, 1, 0) != 0) return false;
        Signals = signals;
        return true;
    }

    /// <summary>Whether the start tier declares a context window (the fast path then checks that the request fits it).</summary>
    public bool StartHasContextWindow { get; }

    /// <summary>
    /// Whether tiers of the chain give structured output and have not been told the task's result schema yet: the first
    /// call with a structured result's parser sets it (<see cref="UseResponseFormat"/>).
    /// </summary>
    public bool WantsResponseFormat => Volatile.Read(ref _structuredTiers) > 0;

    /// <summary>
    /// Asks the tiers that declare <see cref="TierCapabilities.StructuredOutput"/> for <paramref name="format"/> (the
    /// task's result schema) from now on. A task always has one result type, so this is done once per plan.
    /// </summary>
    public void UseResponseFormat(ChatResponseFormat format)
    {
        lock (Options)
        {
            if (_structuredTiers == 0) return;
            for (var i = 0; i < Tiers.Length; i++)
            {
                if (Tiers[i].Supports(TierCapabilities.StructuredOutput) != true) continue;
                // A copy, published whole: calls in flight keep the options they were given.
                var options = Options[i].Clone();
                options.ResponseFormat = format;
                Volatile.Write(ref Options[i], options);
            }

            Volatile.Write(ref _structuredTiers, 0);
        }
    }

    public string TaskName { get; }

    public TierSpec[] Tiers { get; }

    public double[] Thresholds { get; }

    /// <summary>The plan's acceptance models per chain position but the last, or null.</summary>
    public Acceptor[]? Acceptors { get; }

    public ChatOptions[] Options { get; }

    public CostLedger.Entry?[] Entries { get; }

    /// <summary>The budgets that apply to the plan's task.</summary>
    public RoutingBudget[] Budgets { get; }

    /// <summary>The router's budget gate (its store).</summary>
    public BudgetGate Gate { get; }

    /// <summary>Whether a call may try the synchronous path (no budget, no classifier, no confidence instruction).</summary>
    public bool FastPath { get; }

    public bool HasDowngradeBudgets { get; }

    /// <summary>Whether the start tier is the only one a call may reach (one tier, or no escalation).</summary>
    public bool StartIsLast { get; }

    /// <summary>The score the start tier's answer needs (its threshold, or the last-tier minimum when it is the only tier).</summary>
    public double FastThreshold { get; }

    /// <summary>The acceptor that judges the start tier's answer instead of <see cref="FastThreshold"/>, or null.</summary>
    public Acceptor? StartAcceptor { get; }

    /// <summary>Whether this is the state of <paramref name="plan"/>.</summary>
    public bool IsFor(RoutePlan plan) => _plan.TryGetTarget(out var target) && ReferenceEquals(target, plan);

    public IChatClient? Client(int position)
    {
        var client = _clients[position];
        if (client is null)
        {
            client = _tierClients.Find(Tiers[position].Name);
            if (client is null) return null;
            _clients[position] = client;
        }

        return client;
    }

    /// <summary>The client for a chain position, or for a tier outside the chain (position -1: a downgrade's substitute).</summary>
    public IChatClient? Client(int position, TierSpec tier) => position >= 0 ? Client(position) : _tierClients.Find(tier.Name);

    /// <summary>The provider name a tier client reports in its <see cref="ChatClientMetadata"/>, for telemetry.</summary>
    public string? Provider(int position, TierSpec tier)
    {
        if (position >= 0 && _providers[position] is { } known) return known.Length == 0 ? null : known;
        var client = Client(position, tier);
        var name = (client?.GetService(typeof(ChatClientMetadata)) as ChatClientMetadata)?.ProviderName ?? string.Empty;
        if (position >= 0) _providers[position] = name;
        return name.Length == 0 ? null : name;
    }

    /// <summary>An empty acceptance history for one call: the spare one when no other call holds it.</summary>
    public AcceptanceHistory RentHistory() => Interlocked.Exchange(ref _spareHistory, null) ?? new AcceptanceHistory(Tiers.Length);

    /// <summary>Gives a call's history back, cleared, for the next call.</summary>
    public void Return(AcceptanceHistory history)
    {
        history.Clear();
        Volatile.Write(ref _spareHistory, history);
    }

    public IReadOnlyList<ChatMessage> Messages(string prompt, string? instructions, bool askForConfidence)
    {
        if (askForConfidence)
        {
            instructions = instructions is null ? SelfReportedConfidence.Instruction : instructions + "\n\n" + SelfReportedConfidence.Instruction;
            return new[] { new ChatMessage(ChatRole.System, instructions), new ChatMessage(ChatRole.User, prompt) };
        }

        if (instructions is null) return new[] { new ChatMessage(ChatRole.User, prompt) };

        // Generated tasks pass the same literal every call: its system message is built once. The pair is one object,
        // read once, so a call with other instructions can never pick up a message built for different ones.
        var cached = _system;
        if (cached is null || !ReferenceEquals(cached.Instructions, instructions))
        {
            cached = new CachedSystemMessage(instructions, new ChatMessage(ChatRole.System, instructions));
            _system = cached;
        }

        return new[] { cached.Message, new ChatMessage(ChatRole.User, prompt) };
    }

    /// <summary>Caller-built messages with the self-reported confidence instruction first.</summary>
    public static IReadOnlyList<ChatMessage> WithConfidenceInstruction(IReadOnlyList<ChatMessage> messages)
    {
        var copy = new List<ChatMessage>(messages.Count + 1) { new(ChatRole.System, SelfReportedConfidence.Instruction) };
        copy.AddRange(messages);
        return copy;
    }

    private sealed class CachedSystemMessage(string instructions, ChatMessage message)
    {
        public string Instructions { get; } = instructions;

        public ChatMessage Message { get; } = message;
    }
}
