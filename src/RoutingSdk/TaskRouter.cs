using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using RoutingSdk.Planning;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk;

/// <summary>
/// Executes a task's plan: calls the start tier's <see cref="IChatClient"/>, accepts the answer when it parses and its
/// score reaches that tier's acceptance threshold, escalates up the chain when it does not, falls back to the next tier
/// when a tier throws, keeps the budgets, and books every answered call in the <see cref="ICostLedger"/> and on the
/// <c>RoutingSdk</c> meter. Registered as a singleton by <c>AddRoutingSdk()</c>; tier clients are keyed services named
/// after the tier.
/// </summary>
/// <remarks>
/// <para>
/// The score of an answer is 0 when it does not parse into the task's return type; otherwise it is the lowest opinion of
/// the <see cref="RoutingOptions.Scorers"/> and of the task's validator, or 1 when none has one. The last tier of the
/// chain has nowhere to escalate: its answer is accepted when it parses and scores at least
/// <see cref="RoutingOptions.LastTierMinimumScore"/> (0 by default). When no tier delivers an accepted answer —
/// including when an earlier tier's answer parsed but scored below its threshold and every later tier failed — the call
/// ends in a <see cref="RoutingFailedException"/>: the router never returns an answer that did not reach its threshold
/// except from the last tier of the chain.
/// </para>
/// <para>
/// A plan with acceptors (<see cref="RoutePlan.Acceptors"/>) judges each answer but the last tier's by its acceptor instead
/// of the threshold: accepted, escalated to the next tier, or — below the acceptor's <see cref="Acceptor.SkipBelow"/> —
/// sent straight to the last tier of the chain (the cap of a downgrade budget, when one caps it), the tiers between
/// neither called nor booked; the route span then has a <c>routingsdk.skipped_to_last</c> tag naming the tier whose answer
/// skipped. The skipping call is booked as <see cref="CallOutcome.Escalated"/>.
/// </para>
/// <para>
/// Per plan the router keeps the resolved tier clients, one <see cref="ChatOptions"/> per tier and the ledger entries,
/// so a call allocates nothing beyond its messages. Those options (and a cached system message) are shared by the
/// calls of a task: tier clients and middleware must not modify them (Microsoft.Extensions.AI middleware clones
/// options before changing them).
/// </para>
/// </remarks>
public sealed partial class TaskRouter
{
    /// <summary>The key under which a tier client may report its confidence (0–1) in <c>ChatResponse.AdditionalProperties</c>.</summary>
    public const string ConfidenceProperty = "confidence";

    /// <summary>The key under which the router tells the tier client which task it is calling, in <c>ChatOptions.AdditionalProperties</c>.</summary>
    public const string TaskNameProperty = "routingsdk.task";

    /// <summary>The key under which the router passes the task's <see cref="TaskKind"/> name (for example <c>"Classification"</c>) in <c>ChatOptions.AdditionalProperties</c>.</summary>
    public const string KindProperty = "routingsdk.kind";

    /// <summary>The key under which the router passes the task's <see cref="Complexity"/> name (for example <c>"Low"</c>) in <c>ChatOptions.AdditionalProperties</c>.</summary>
    public const string ComplexityProperty = "routingsdk.complexity";

    /// <summary>The key under which a response routed by <see cref="TieredRoutingChatClient"/> names the tier that answered, in <c>ChatResponse.AdditionalProperties</c>.</summary>
    public const string TierProperty = "routingsdk.tier";

    private static readonly IChatClient NoClient = new MissingClient();

    private readonly Func<string, IChatClient?> _clientForTier;
    private readonly ConcurrentDictionary<string, IChatClient> _clients = new(StringComparer.Ordinal);
    // Per plan, weakly: a plan made for one call (or one chat client) is collected with its state when it is dropped.
    private readonly ConditionalWeakTable<RoutePlan, PlanState> _states = new();
    private readonly ConditionalWeakTable<RoutePlan, PlanState>.CreateValueCallback _newState;
    private readonly IAnswerScorer[] _scorers;
    private readonly BudgetTracker[] _budgets;
    private readonly ITierClassifier _classifier;
    private readonly CostLedger? _costLedger;
    private readonly bool _askForConfidence;
    private readonly bool _recordContent;
    private readonly double _lastTierMinimumScore;
    private readonly bool _onlyReportedConfidence;

    /// <summary>Creates a router that resolves each tier's client as a keyed <see cref="IChatClient"/> service.</summary>
    public TaskRouter(IServiceProvider services, ICostLedger ledger)
        : this(services, ledger, null)
    {
    }

    /// <summary>Creates a router that resolves each tier's client as a keyed <see cref="IChatClient"/> service, with options (null: the registered <see cref="RoutingOptions"/>, else the defaults).</summary>
    public TaskRouter(IServiceProvider services, ICostLedger ledger, RoutingOptions? options)
        : this(services is null ? throw new ArgumentNullException(nameof(services)) : tier => services.GetKeyedService<IChatClient>(tier), ledger,
            options ?? services.GetService<RoutingOptions>())
    {
    }

    /// <summary>Creates a router over an explicit tier-name-to-client function (null: no client for that tier).</summary>
    public TaskRouter(Func<string, IChatClient?> clientForTier, ICostLedger ledger)
        : this(clientForTier, ledger, null)
    {
    }

    /// <summary>Creates a router over an explicit tier-name-to-client function (null: no client for that tier), with options (null: the defaults).</summary>
    public TaskRouter(Func<string, IChatClient?> clientForTier, ICostLedger ledger, RoutingOptions? options)
    {
        _clientForTier = clientForTier ?? throw new ArgumentNullException(nameof(clientForTier));
        Ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _costLedger = ledger as CostLedger;
        Options = options ?? new RoutingOptions();
        // The self-reported scorer has an opinion only when the router asks for one.
        _scorers = Options.Scorers.Where(s => Options.AskForConfidence || !ReferenceEquals(s, AnswerScorers.SelfReported)).ToArray();
        _onlyReportedConfidence = _scorers.Length == 1 && ReferenceEquals(_scorers[0], AnswerScorers.ReportedConfidence);
        var time = Options.TimeProvider ?? TimeProvider.System;
        _budgets = Options.Budgets.Select(b => new BudgetTracker(b, time)).ToArray();
        _classifier = Options.Classifier ?? HeuristicTierClassifier.Default;
        _askForConfidence = Options.AskForConfidence;
        _recordContent = Options.RecordContent;
        _lastTierMinimumScore = Options.LastTierMinimumScore;
        _newState = plan => new PlanState(this, plan);
    }

    /// <summary>The ledger every call is booked in.</summary>
    public ICostLedger Ledger { get; }

    /// <summary>The options the router was created with.</summary>
    public RoutingOptions Options { get; }

    /// <summary>Runs one call of a task through its plan.</summary>
    /// <param name="plan">The task's plan from the routing table.</param>
    /// <param name="prompt">The user message.</param>
    /// <param name="instructions">The system message, or null.</param>
    /// <param name="parser">Turns the answer text into the result.</param>
    /// <param name="cancellationToken">The caller's token; its cancellation ends the call at once and is never retried.</param>
    /// <returns>The first accepted answer.</returns>
    /// <exception cref="RoutingFailedException">No tier of the chain delivered an accepted answer; the message names each tier and its failure.</exception>
    /// <exception cref="BudgetExceededException">A <see cref="RoutingBudget"/> could not pay for the next tier call.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<T> RouteAsync<T>(RoutePlan plan, string prompt, string? instructions, IAnswerParser<T> parser, CancellationToken cancellationToken = default)
        => RouteValueAsync(plan, prompt, instructions, parser, null, cancellationToken).AsTask();

    /// <summary>Runs one call of a task through its plan, with a validator that scores each parsed answer.</summary>
    /// <param name="plan">The task's plan from the routing table.</param>
    /// <param name="prompt">The user message.</param>
    /// <param name="instructions">The system message, or null.</param>
    /// <param name="parser">Turns the answer text into the result.</param>
    /// <param name="validator">Scores a parsed answer from 0 to 1 (null: none); one more opinion next to the scorers'.</param>
    /// <param name="cancellationToken">The caller's token; its cancellation ends the call at once and is never retried.</param>
    /// <returns>The first accepted answer.</returns>
    public Task<T> RouteAsync<T>(RoutePlan plan, string prompt, string? instructions, IAnswerParser<T> parser, Func<T, double>? validator, CancellationToken cancellationToken)
        => RouteValueAsync(plan, prompt, instructions, parser, validator, cancellationToken).AsTask();

    /// <summary>
    /// Runs one call of a task through its plan; completes synchronously (without allocating a task) when the tier client
    /// does and the start tier's answer is accepted. Same contract as <see cref="RouteAsync{T}(RoutePlan, string, string?, IAnswerParser{T}, CancellationToken)"/>.
    /// </summary>
    public ValueTask<T> RouteValueAsync<T>(RoutePlan plan, string prompt, string? instructions, IAnswerParser<T> parser, Func<T, double>? validator, CancellationToken cancellationToken)
    {
        if (plan is null) throw new ArgumentNullException(nameof(plan));
        if (prompt is null) throw new ArgumentNullException(nameof(prompt));
        if (parser is null) throw new ArgumentNullException(nameof(parser));
        var state = StateFor(plan);
        var messages = state.Messages(prompt, instructions, _askForConfidence);
        return Route(state, messages, prompt.Length + (instructions?.Length ?? 0), new ParserReader<T>(parser), validator, cancellationToken);
    }

    /// <summary>
    /// Runs one call of a task through its plan with messages built by the caller (the last is normally the user message).
    /// Same contract as <see cref="RouteAsync{T}(RoutePlan, string, string?, IAnswerParser{T}, CancellationToken)"/>.
    /// </summary>
    public ValueTask<T> RouteValueAsync<T>(RoutePlan plan, IReadOnlyList<ChatMessage> messages, IAnswerParser<T> parser, Func<T, double>? validator, CancellationToken cancellationToken)
    {
        if (plan is null) throw new ArgumentNullException(nameof(plan));
        if (messages is null) throw new ArgumentNullException(nameof(messages));
        if (parser is null) throw new ArgumentNullException(nameof(parser));
        if (_askForConfidence) messages = WithConfidenceInstruction(messages);
        return Route(StateFor(plan), messages, -1, new ParserReader<T>(parser), validator, cancellationToken);
    }

    /// <summary>The client registered for <paramref name="tier"/>, or null.</summary>
    public IChatClient? GetTierClient(string tier)
    {
        if (tier is null) throw new ArgumentNullException(nameof(tier));
        var client = _clients.GetOrAdd(tier, name => _clientForTier(name) ?? NoClient);
        return ReferenceEquals(client, NoClient) ? null : client;
    }

    /// <summary>Routes an arbitrary chat request over a plan's tiers (<see cref="TieredRoutingChatClient"/>).</summary>
    internal Task<ChatResponse> RouteChatAsync(RoutePlan plan, IReadOnlyList<ChatMessage> messages, ChatOptions? options, IChatClient? lastTierClient, CancellationToken cancellationToken)
    {
        var route = new RouteCall(StateFor(plan), messages, -1, options, lastTierClient);
        return RouteSlowAsync<ChatResponse, ResponseReader>(route, default, null, fresh: true, position: 0, pending: null, started: 0, failures: null, cancellationToken);
    }

    /// <summary>
    /// Before a classifier calls <paramref name="tier"/>: reserves the call's expected cost (the request's input tokens,
    /// four characters a token, and at most <paramref name="maxOutputTokens"/>) in every budget of the plan, as a tier
    /// call does. False, with nothing reserved, when a budget cannot pay for it: the classifier is an optimisation, so the
    /// call then starts on the plan's start tier, and that tier's own reservation decides whether it may run.
    /// </summary>
    internal bool TryReserveClassification(RoutePlan plan, TierSpec tier, IReadOnlyList<ChatMessage> request, int maxOutputTokens,
        out (BudgetTracker Tracker, long Window, decimal Amount)[]? reservations)
    {
        reservations = null;
        var budgets = StateFor(plan).Budgets;
        if (budgets.Length == 0) return true;
        var needed = tier.Cost(TokenProfile.EstimateTokens(CountCharacters(request)), maxOutputTokens);
        if (ReserveAll(budgets, needed, out var reserved, out _, out _) is not null) return false;
        reservations = reserved;
        return true;
    }

    /// <summary>
    /// Books a call a classifier made to choose the start tier, and settles its reservations (from
    /// <see cref="TryReserveClassification"/>) against the actual cost. With <paramref name="response"/> null the call
    /// failed: it costs nothing and its reservations are released.
    /// </summary>
    internal void BookClassification(RoutePlan plan, TierSpec tier, ChatResponse? response, IReadOnlyList<ChatMessage> request, string answer,
        (BudgetTracker Tracker, long Window, decimal Amount)[]? reservations)
    {
        var cost = 0m;
        if (response is not null)
        {
            var (input, output, reasoning, estimated) = Tokens(response.Usage, CountCharacters(request), answer.Length);
            var record = new CostRecord(plan.TaskName, tier, plan.Reference, input, output, reasoning, CallOutcome.Classification, estimated);
            Ledger.Record(record);
            if (RoutingTelemetry.MetricsEnabled) RoutingTelemetry.RecordCall(record, null, null, null);
            cost = record.Usd;
        }

        Settle(reservations, cost);
    }

    private ValueTask<T> Route<T, TReader>(PlanState state, IReadOnlyList<ChatMessage> messages, int inputCharacters, TReader reader, Func<T, double>? validator, CancellationToken cancellationToken)
        where TReader : struct, IAnswerReader<T>
    {
        // Fast path, kept small: the start tier's client answers synchronously with usage, the answer is accepted, nobody
        // listens — no state machine, no task, no per-call object. Anything else continues on the general path.
        IChatClient? client;
        if (!state.FastPath || state.Entries[0] is not { } entry || RoutingTelemetry.Source.HasListeners() || RoutingTelemetry.DurationHistogram.Enabled
            || (client = state.Client(0)) is null)
        {
            return Start(state, messages, inputCharacters, reader, validator, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var pending = Invoke(client, messages, state.Options[0], cancellationToken);
        if (pending.Status != TaskStatus.RanToCompletion)
            return Continue(state, messages, inputCharacters, reader, validator, pending, cancellationToken);

        var response = pending.Result;
        var text = AnswerText(response);
        var parsed = reader.TryRead(response, text, out var value);
        // With the default scorers and no validator, a response without AdditionalProperties has no opinion: score 1, no call.
        var score = !parsed ? 0.0
            : validator is null && (_scorers.Length == 0 || (_onlyReportedConfidence && response.AdditionalProperties is null)) ? 1.0
            : TryScore(state, response, text, validator, value);
        if (score >= state.FastThreshold && parsed && !RoutingTelemetry.MetricsEnabled
            && response.Usage is { InputTokenCount: { } input, OutputTokenCount: { } output, ReasoningTokenCount: null })
        {
            entry.Add(input, output, 0, CallOutcome.Accepted, estimated: false);
            return new ValueTask<T>(value);
        }

        return Conclude(state, messages, inputCharacters, reader, validator, response, text, parsed, score, value, cancellationToken);
    }

    /// <summary>The general path after the fast path evaluated the start tier's answer (once): book it, then go on if it was rejected.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ValueTask<T> Conclude<T, TReader>(PlanState state, IReadOnlyList<ChatMessage> messages, int inputCharacters, TReader reader, Func<T, double>? validator,
        ChatResponse response, string text, bool parsed, double score, T value, CancellationToken cancellationToken)
        where TReader : struct, IAnswerReader<T>
    {
        // Plans with acceptors never take the fast path, so no answer here can skip to the last tier (the call goes on at position 1).
        Debug.Assert(state.Acceptors is null, "a plan with acceptors took the fast path");
        var route = new RouteCall(state, messages, inputCharacters, null, null);
        List<TierFailure>? failures = null;
        var last = state.Tiers.Length == 1 || state.Plan.Escalation == Escalation.None;
        if (Conclude(ref route, 0, state.Tiers[0], last, response, text, parsed && !double.IsNaN(score), score, value, 0, null, ref failures, out _))
            return new ValueTask<T>(value);
        return new ValueTask<T>(RouteSlowAsync(route, reader, validator, fresh: false, position: 1, pending: null, started: 0, failures: failures, cancellationToken));
    }

    /// <summary>The start tier's score on the fast path; NaN (never accepted) when a scorer or the validator throws.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private double TryScore<T>(PlanState state, ChatResponse response, string text, Func<T, double>? validator, T value)
    {
        try
        {
            return Score(state.Plan, state.Tiers[0], 0, response, text, null, validator, value);
        }
        catch (Exception)
        {
            return double.NaN;
        }
    }

    /// <summary>The general path from the start.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ValueTask<T> Start<T, TReader>(PlanState state, IReadOnlyList<ChatMessage> messages, int inputCharacters, TReader reader, Func<T, double>? validator, CancellationToken cancellationToken)
        where TReader : struct, IAnswerReader<T>
        => new(RouteSlowAsync(new RouteCall(state, messages, inputCharacters, null, null), reader, validator, fresh: true, position: 0, pending: null, started: 0, failures: null, cancellationToken));

    /// <summary>The general path after the fast path called the start tier and it has not answered yet.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ValueTask<T> Continue<T, TReader>(PlanState state, IReadOnlyList<ChatMessage> messages, int inputCharacters, TReader reader, Func<T, double>? validator,
        Task<ChatResponse> pending, CancellationToken cancellationToken)
        where TReader : struct, IAnswerReader<T>
        => new(RouteSlowAsync(new RouteCall(state, messages, inputCharacters, null, null), reader, validator, fresh: false, position: 0, pending: pending, started: 0, failures: null, cancellationToken));

    /// <summary>
    /// The general path: the cascade from <paramref name="position"/> on. For a streamed chat request <paramref name="stream"/>
    /// is given: the call that ends the chain is handed to it instead of being made here, and booked here when its stream ends.
    /// </summary>
    private async Task<T> RouteSlowAsync<T, TReader>(RouteCall route, TReader reader, Func<T, double>? validator, bool fresh, int position,
        Task<ChatResponse>? pending, long started, List<TierFailure>? failures, CancellationToken cancellationToken, StreamedTier? stream = null)
        where TReader : struct, IAnswerReader<T>
    {
        var state = route.State;
        var plan = state.Plan;
        var first = position;
        var end = plan.Escalation == Escalation.None ? 1 : state.Tiers.Length;
        TierSpec? substitute = null;
        using var activity = fresh ? StartRouteActivity(plan) : null;
        try
        {
            if (fresh)
            {
                if (plan.Escalation == Escalation.Classifier) first = await ClassifyAsync(route, cancellationToken).ConfigureAwait(false);
                if (state.Budgets.Length > 0) ApplyDowngrade(state, ref first, ref end, out substitute);
                activity?.SetTag("routingsdk.start_tier", substitute?.Name ?? state.Tiers[Math.Min(first, state.Tiers.Length - 1)].Name);
            }

            route.End = end;
            var count = substitute is null ? end - first : 1;
            for (var n = 0; n < count; n++)
            {
                var i = substitute is null ? first + n : -1;
                var tier = substitute ?? state.Tiers[i];
                var last = n == count - 1;
                cancellationToken.ThrowIfCancellationRequested();

                var reservations = Reserve(route, tier);
                IChatClient? client = i == state.Tiers.Length - 1 && route.LastTierClient is not null ? route.LastTierClient
                    : i >= 0 ? state.Client(i) : GetTierClient(tier.Name);
                if (client is null && pending is null)
                {
                    Settle(reservations, 0m);
                    (failures ??= new List<TierFailure>(state.Tiers.Length)).Add(new TierFailure(tier.Name,
                        $"no IChatClient is registered for tier '{tier.Name}' (services.AddKeyedChatClient(\"{tier.Name}\", client))"));
                    RoutingTelemetry.RecordFallback(plan.TaskName, tier.Name);
                    continue;
                }

                if (stream is not null && !last && state.HasDowngradeBudgets && substitute is null && BudgetEndsChain(route, i, i + 1))
                {
                    // Streaming: the budget's verdict is taken before the call, so that the tier ending the chain is the one streamed.
                    // It is about the next tier: whether the answer would skip to the last is not known before the call.
                    last = true;
                    count = n + 1;
                }

                using var tierActivity = StartTierActivity(route, tier);
                ChatResponse response;
                try
                {
                    if (pending is null)
                    {
                        started = RoutingTelemetry.DurationHistogram.Enabled ? Stopwatch.GetTimestamp() : 0;
                        pending = stream is not null && last
                            ? stream.Begin(client!, route.Messages, route.OptionsFor(i, tier), tier.Name)
                            : Invoke(client!, route.Messages, route.OptionsFor(i, tier), cancellationToken);
                    }

                    response = await pending.ConfigureAwait(false);
                }
                catch (Exception ex) when (stream?.Interrupted is { } received)
                {
                    // The streamed tier stopped after the caller had seen part of its answer: booked once with what it sent, never retried.
                    Settle(reservations, Book(ref route, i, tier, AnswerText(received).Length, received, stream.InterruptedOutcome, started, tierActivity));
                    tierActivity?.SetStatus(ActivityStatusCode.Error);
                    tierActivity?.SetTag("error.type", ex.GetType().FullName);
                    throw;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    Settle(reservations, 0m);
                    throw;
                }
                catch (Exception ex)
                {
                    Settle(reservations, 0m);
                    (failures ??= new List<TierFailure>(state.Tiers.Length)).Add(new TierFailure(tier.Name, $"{ex.GetType().Name}: {ex.Message}", ex));
                    RoutingTelemetry.RecordFallback(plan.TaskName, tier.Name);
                    tierActivity?.SetStatus(ActivityStatusCode.Error);
                    tierActivity?.SetTag("error.type", ex.GetType().FullName);
                    continue;
                }
                finally
                {
                    pending = null;
                }

                if (!last && state.HasDowngradeBudgets && substitute is null && BudgetEndsChain(route, i, i + 1))
                {
                    // A downgrade budget cannot pay for the next tier: this tier ends the chain and its parsable answer is accepted.
                    // (Asked before the answer is judged, as the streaming check above must be; an answer that would skip goes
                    // nowhere then either. When the next tier can be paid, Conclude asks again for the last tier before a skip.)
                    last = true;
                }

                var accepted = Process(ref route, i, tier, last, response, reader, validator, started, tierActivity, ref failures, out var value, out var cost);
                Settle(reservations, cost);
                if (!accepted)
                {
                    if (route.SkipToLast)
                    {
                        // The acceptor trusts the answer too little for a middle tier's opinion: the tiers between are neither
                        // called nor booked, and the chain's last tier is next. Should it fail, the call fails as after any
                        // last tier's failure, naming this answer's rejection too (never an answer below its acceptance level).
                        route.SkipToLast = false;
                        activity?.SetTag("routingsdk.skipped_to_last", tier.Name);
                        n = count - 2;
                    }

                    continue;
                }
                if (route.CallerOptions is not null && value is ChatResponse routed)
                {
                    // Chat requests: say which tier answered, on a copy of the properties (the response may be shared).
                    routed.AdditionalProperties = routed.AdditionalProperties is null ? new AdditionalPropertiesDictionary() : new AdditionalPropertiesDictionary(routed.AdditionalProperties);
                    routed.AdditionalProperties[TierProperty] = tier.Name;
                }

                activity?.SetTag("routingsdk.final_tier", tier.Name);
                activity?.SetTag("routingsdk.cost_usd", (double)route.Spent);
                return value;
            }

            throw new RoutingFailedException(plan.TaskName, failures ?? new List<TierFailure>());
        }
        catch (Exception ex) when (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error);
            activity.SetTag("error.type", ex.GetType().FullName);
            throw;
        }
    }

    /// <summary>Evaluates and books one answered tier call; true when the answer is accepted.</summary>
    private bool Process<T, TReader>(ref RouteCall route, int position, TierSpec tier, bool last, ChatResponse response, TReader reader, Func<T, double>? validator,
        long started, Activity? tierActivity, ref List<TierFailure>? failures, out T value, out decimal cost)
        where TReader : struct, IAnswerReader<T>
    {
        var text = Evaluate(ref route, position, tier, response, reader, validator, out var parsed, out var score, out value);
        return Conclude(ref route, position, tier, last, response, text, parsed, score, value, started, tierActivity, ref failures, out cost);
    }

    /// <summary>Reads the answer (without a self-reported confidence line), parses and scores it; returns the text.</summary>
    private string Evaluate<T, TReader>(ref RouteCall route, int position, TierSpec tier, ChatResponse response, TReader reader, Func<T, double>? validator,
        out bool parsed, out double score, out T value)
        where TReader : struct, IAnswerReader<T>
    {
        var text = AnswerText(response);
        double? selfReported = null;
        if (_askForConfidence && route.CallerOptions is null) text = SelfReportedConfidence.Split(text, out selfReported);
        parsed = reader.TryRead(response, text, out value);
        score = 0.0;
        if (!parsed) return text;
        try
        {
            score = Score(route.State.Plan, tier, position, response, text, selfReported, validator, value);
        }
        catch (Exception)
        {
            // A validator or scorer that throws cannot vouch for the answer: it is rejected, even on the last tier.
            parsed = false;
            score = double.NaN;
        }

        return text;
    }

    /// <summary>Accepts or rejects an evaluated answer and books the call; true when the answer is accepted.</summary>
    private bool Conclude<T>(ref RouteCall route, int position, TierSpec tier, bool last, ChatResponse response, string text, bool parsed, double score, T value,
        long started, Activity? tierActivity, ref List<TierFailure>? failures, out decimal cost)
    {
        var state = route.State;
        var threshold = position >= 0 ? state.Thresholds[position] : 0.0;
        Acceptor? acceptor = null;
        var probability = double.NaN;
        bool accepted;
        if (!last && position >= 0 && state.Acceptors is { } acceptors && position < acceptors.Length)
        {
            // A calibrated acceptance model: the tier's score with its answer's length and the answers and scores of the
            // tiers already tried, as the outcome files it was fitted on recorded them.
            acceptor = acceptors[position];
            var history = route.History ??= new AcceptanceHistory(state.Tiers.Length);
            history.Confidences[position] = parsed ? Math.Log(score) : double.NaN;
            history.Answers[position] = parsed ? AnswerKey.Of(text) : null;
            if (parsed && Acceptor.Features(history.Confidences, history.Answers, OutputTokens(response.Usage, text.Length), position) is { } features)
                probability = acceptor.Probability(features);
            // No features (no confidence, no answer) has no probability: it escalates to the next tier, never skips.
            var decision = double.IsNaN(probability) ? AcceptanceDecision.Escalate : acceptor.Decide(probability);
            accepted = decision == AcceptanceDecision.Accept;
            if (decision == AcceptanceDecision.SkipToLast && route.End - 1 > position + 1)
            {
                // The tiers between are skipped: the tier called next is the last one, so that is the one a downgrade
                // budget must be able to pay for. When it cannot, the rule for a next tier the budget cannot pay applies
                // (as BudgetEndsChain in the loop, with the last tier as the next): this tier ends the chain, a downgrade,
                // and its answer is judged as the last tier's. The query is not sent to a middle tier the budget could pay
                // instead: the acceptor found the answer not worth one. Should the answer fail even as the last tier's,
                // the loop goes on to the tier it would call next, the last (as it goes on to the next tier today).
                route.SkipToLast = true;
                if (state.HasDowngradeBudgets && BudgetEndsChain(route, position, route.End - 1))
                {
                    last = true;
                    acceptor = null;
                    accepted = score >= _lastTierMinimumScore;
                }
            }
        }
        else
        {
            accepted = parsed && (last ? score >= _lastTierMinimumScore : score >= threshold);
        }

        var outcome = accepted ? CallOutcome.Accepted : last ? CallOutcome.Rejected : CallOutcome.Escalated;
        cost = Book(ref route, position, tier, text.Length, response, outcome, started, tierActivity);
        if (accepted)
        {
            if (RoutingTelemetry.SavedCounter.Enabled) RoutingTelemetry.RecordSaved(state.Plan.TaskName, tier.Name, route.AcceptedReferenceUsd - route.Spent);
            return true;
        }

        // Kept so that, if no later tier delivers, the exception names this tier's rejected answer too.
        (failures ??= new List<TierFailure>(state.Tiers.Length)).Add(new TierFailure(tier.Name, double.IsNaN(score)
            ? "the answer's validator or a scorer threw an exception"
            : route.SkipToLast && acceptor is not null
            ? string.Format(CultureInfo.InvariantCulture, "the acceptance model puts the answer's chance of being right at {0:0.###} (score {1:0.###}), below its skip level {2:0.###}: the query went straight to the last tier '{3}'",
                probability, score, acceptor.SkipBelow, state.Tiers[route.End - 1].Name)
            : parsed && acceptor is not null
            ? string.Format(CultureInfo.InvariantCulture, "the acceptance model puts the answer's chance of being right at {0:0.###} (score {1:0.###}), below its {2:0.###}", probability, score, acceptor.MinProbability)
            : parsed
            ? string.Format(CultureInfo.InvariantCulture, "the answer's confidence {0:0.###} is below the acceptance threshold {1}", score, last ? _lastTierMinimumScore : threshold)
            : text.Trim().Length == 0 ? "the answer was empty"
            : _recordContent ? $"the answer could not be read as {typeof(T).Name}: \"{Shorten(text)}\""
            : $"the answer could not be read as {typeof(T).Name} ({text.Length} characters; RoutingOptions.RecordContent shows it)"));
        return false;
    }

    /// <summary>The response's text: <see cref="ChatResponse.Text"/>, read directly in the common one-message, one-text case.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static string AnswerText(ChatResponse response)
    {
        if (response.Messages is List<ChatMessage> { Count: 1 } messages && messages[0].Contents is List<AIContent> { Count: 1 } contents && contents[0] is TextContent text)
            return text.Text ?? string.Empty;
        return response.Text ?? string.Empty;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text.Substring(0, 77) + "...";

    private double Score<T>(RoutePlan plan, TierSpec tier, int position, ChatResponse response, string text, double? selfReported, Func<T, double>? validator, T value)
    {
        var score = 1.0;
        var scorers = _scorers;
        if (scorers.Length > 0)
        {
            var context = new AnswerScoringContext(plan, tier, position, response, text, selfReported);
            for (var i = 0; i < scorers.Length; i++)
            {
                if (scorers[i].Score(in context) is { } opinion) score = Math.Min(score, Clamp(opinion));
            }
        }

        if (validator is not null) score = Math.Min(score, Clamp(validator(value)));
        return score;
    }

    private static double Clamp(double value) => double.IsNaN(value) ? 0 : value < 0 ? 0 : value > 1 ? 1 : value;

    private decimal Book(ref RouteCall route, int position, TierSpec tier, int answerCharacters, ChatResponse response, CallOutcome outcome, long started, Activity? tierActivity)
    {
        var state = route.State;
        var plan = state.Plan;
        var usage = response.Usage;
        long input, output, reasoning;
        bool estimated;
        if (usage is { InputTokenCount: { } i, OutputTokenCount: { } o })
        {
            input = i;
            output = o;
            reasoning = 0;
            estimated = false;
            if (usage.ReasoningTokenCount is { } r)
            {
                // Providers count thinking tokens inside the output tokens; book them at the reasoning price instead.
                reasoning = r;
                output = Math.Max(0, output - r);
            }
        }
        else
        {
            (input, output, reasoning, estimated) = Tokens(usage, route.InputCharacters, answerCharacters);
        }

        if (position >= 0 && _costLedger is not null)
        {
            (state.Entries[position] ??= _costLedger.EntryFor(plan.TaskName, tier, plan.Reference)).Add(input, output, reasoning, outcome, estimated);
        }
        else
        {
            Ledger.Record(new CostRecord(plan.TaskName, tier, plan.Reference, input, output, reasoning, outcome, estimated));
        }

        var metrics = RoutingTelemetry.MetricsEnabled;
        if (!metrics && tierActivity is null && state.Budgets.Length == 0) return 0m;

        var record = new CostRecord(plan.TaskName, tier, plan.Reference, input, output, reasoning, outcome, estimated);
        var cost = record.Usd;
        route.Spent += cost;
        if (outcome == CallOutcome.Accepted) route.AcceptedReferenceUsd = plan.Reference.Cost(input, output);
        if (metrics)
        {
            double? seconds = started != 0 ? (Stopwatch.GetTimestamp() - started) / (double)Stopwatch.Frequency : null;
            RoutingTelemetry.RecordCall(record, state.Provider(position, tier, this), response.ModelId, seconds);
        }

        if (tierActivity is not null)
        {
            tierActivity.SetTag("gen_ai.response.model", response.ModelId);
            tierActivity.SetTag("gen_ai.usage.input_tokens", input);
            tierActivity.SetTag("gen_ai.usage.output_tokens", output);
            tierActivity.SetTag(RoutingTelemetry.OutcomeTag, RoutingTelemetry.OutcomeName(outcome));
            tierActivity.SetTag("routingsdk.cost_usd", (double)cost);
            if (_recordContent) tierActivity.SetTag("gen_ai.output.messages", response.Text);
        }

        return cost;
    }

    /// <summary>
    /// The tokens to book for a response: its usage, or where the tier reported none, an estimate at four characters a
    /// token (flagged). Output excludes reasoning tokens when those are reported.
    /// </summary>
    internal static (long Input, long Output, long Reasoning, bool Estimated) Tokens(UsageDetails? usage, int inputCharacters, int answerCharacters)
    {
        // The tier reported no (or partial) usage: book an estimate (four characters a token) rather than nothing, and mark it.
        var input = usage?.InputTokenCount ?? TokenProfile.EstimateTokens(inputCharacters);
        var output = usage?.OutputTokenCount ?? TokenProfile.EstimateTokens(answerCharacters);
        var estimated = usage?.InputTokenCount is null || usage.OutputTokenCount is null;
        long reasoning = 0;
        if (usage?.ReasoningTokenCount is { } r)
        {
            reasoning = r;
            output = Math.Max(0, output - r);
        }

        return (input, output, reasoning, estimated);
    }

    /// <summary>
    /// A response's output tokens as outcome files record them (TierTrial in RoutingSdk.Calibration) and acceptors read
    /// them: the reported count, thinking included, or an estimate at four characters a token when the tier reported none.
    /// </summary>
    internal static long OutputTokens(UsageDetails? usage, int answerCharacters) => usage?.OutputTokenCount ?? TokenProfile.EstimateTokens(answerCharacters);

    private async ValueTask<int> ClassifyAsync(RouteCall route, CancellationToken cancellationToken)
    {
        var plan = route.State.Plan;
        var chosen = await _classifier.ChooseStartTierAsync(new TierClassificationContext(plan, route.Messages, route.InputCharacters, this), cancellationToken).ConfigureAwait(false);
        var tier = chosen is null ? null : plan.Catalog.Find(chosen);
        if (tier is null) return 0;
        var tiers = route.State.Tiers;
        for (var i = 0; i < tiers.Length; i++)
        {
            if (tiers[i].Rank >= tier.Rank) return i;
        }

        return tiers.Length - 1;
    }

    /// <summary>Caps the call at a cheaper tier when a downgrade budget is used past its mark.</summary>
    private static void ApplyDowngrade(PlanState state, ref int first, ref int end, out TierSpec? substitute)
    {
        substitute = null;
        TierSpec? cap = null;
        RoutingBudget? capping = null;
        foreach (var tracker in state.Budgets)
        {
            var budget = tracker.Budget;
            if (budget.Action != BudgetAction.Downgrade || tracker.UsedShare() < budget.DowngradeAt) continue;
            var tier = (budget.DowngradeTier is null ? null : state.Plan.Catalog.Find(budget.DowngradeTier)) ?? state.Tiers[0];
            if (cap is null || tier.Rank < cap.Rank)
            {
                cap = tier;
                capping = budget;
            }
        }

        if (cap is null) return;
        var within = 0;   // chain tiers at or below the cap (the chain is ordered by rank)
        while (within < state.Tiers.Length && state.Tiers[within].Rank <= cap.Rank) within++;
        if (within > first)
        {
            end = Math.Min(end, within);
        }
        else if (within > 0)
        {
            first = within - 1;
            end = within;
        }
        else
        {
            substitute = cap;
        }

        RoutingTelemetry.RecordDowngrade(state.Plan.TaskName, substitute?.Name ?? state.Tiers[end - 1].Name, capping!.Name);
    }

    /// <summary>
    /// The expected cost of a call on <paramref name="tier"/>: the request's input tokens (four characters a token) and the
    /// kind's expected output (and thinking) tokens (<see cref="TokenProfile.For"/>) at the tier's prices.
    /// </summary>
    private static decimal Needed(RouteCall route, TierSpec tier)
    {
        var profile = TokenProfile.For(route.State.Plan.Kind);
        return tier.Cost(TokenProfile.EstimateTokens(route.InputCharacters), profile.OutputTokens, tier.ExtendedThinking ? profile.ReasoningTokens : 0);
    }

    /// <summary>Whether every downgrade budget can still pay for a call on <paramref name="tier"/>.</summary>
    private static bool Affordable(RouteCall route, TierSpec tier, out string? capping)
    {
        var needed = Needed(route, tier);
        foreach (var tracker in route.State.Budgets)
        {
            if (tracker.Budget.Action != BudgetAction.Downgrade) continue;
            var (spent, reserved) = tracker.Read();
            if (spent + reserved + needed > tracker.Budget.LimitUsd)
            {
                capping = tracker.Budget.Name;
                return false;
            }
        }

        capping = null;
        return true;
    }

    /// <summary>
    /// Whether a downgrade budget cannot pay for the chain tier called after <paramref name="position"/> (the one at
    /// <paramref name="next"/>: the next, or the last after a skip), so that <paramref name="position"/> ends the chain (a downgrade, counted).
    /// </summary>
    private static bool BudgetEndsChain(RouteCall route, int position, int next)
    {
        var state = route.State;
        if (Affordable(route, state.Tiers[next], out var capping)) return false;
        RoutingTelemetry.RecordDowngrade(state.Plan.TaskName, state.Tiers[position].Name, capping!);
        return true;
    }

    private (BudgetTracker Tracker, long Window, decimal Amount)[]? Reserve(RouteCall route, TierSpec tier)
    {
        var budgets = route.State.Budgets;
        if (budgets.Length == 0) return null;
        var needed = Needed(route, tier);
        if (ReserveAll(budgets, needed, out var reservations, out var spent, out var reserved) is not { } refused) return reservations;
        throw new BudgetExceededException(refused.Name, route.State.Plan.TaskName, tier.Name, refused.LimitUsd, spent, reserved, needed);
    }

    /// <summary>
    /// Reserves <paramref name="needed"/> in every budget; null when all could pay, else the first that could not (with
    /// what it had spent and reserved), the reservations already made released.
    /// </summary>
    private static RoutingBudget? ReserveAll(BudgetTracker[] budgets, decimal needed, out (BudgetTracker Tracker, long Window, decimal Amount)[] reservations,
        out decimal spent, out decimal reserved)
    {
        reservations = new (BudgetTracker, long, decimal)[budgets.Length];
        spent = reserved = 0m;
        for (var b = 0; b < budgets.Length; b++)
        {
            if (budgets[b].TryReserve(needed, out spent, out reserved) is { } window)
            {
                reservations[b] = (budgets[b], window, needed);
                continue;
            }

            for (var undo = 0; undo < b; undo++) reservations[undo].Tracker.Settle(reservations[undo].Window, needed, 0m);
            return budgets[b].Budget;
        }

        return null;
    }

    private static void Settle((BudgetTracker Tracker, long Window, decimal Amount)[]? reservations, decimal cost)
    {
        if (reservations is null) return;
        foreach (var (tracker, window, amount) in reservations) tracker.Settle(window, amount, cost);
    }

    private static Task<ChatResponse> Invoke(IChatClient client, IReadOnlyList<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return client.GetResponseAsync(messages, options, cancellationToken) ?? Task.FromException<ChatResponse>(new InvalidOperationException("The tier client returned no task."));
        }
        catch (Exception ex)
        {
            return Task.FromException<ChatResponse>(ex);
        }
    }

    private Activity? StartRouteActivity(RoutePlan plan)
    {
        if (!RoutingTelemetry.Source.HasListeners()) return null;
        var activity = RoutingTelemetry.Source.StartActivity("route " + plan.TaskName, ActivityKind.Internal);
        activity?.SetTag(RoutingTelemetry.TaskTag, plan.TaskName);
        activity?.SetTag("routingsdk.escalation", plan.Escalation.ToString());
        return activity;
    }

    private Activity? StartTierActivity(RouteCall route, TierSpec tier)
    {
        if (!RoutingTelemetry.Source.HasListeners()) return null;
        var model = tier.ModelId ?? tier.Name;
        var activity = RoutingTelemetry.Source.StartActivity("chat " + model, ActivityKind.Client);
        if (activity is null) return null;
        activity.SetTag("gen_ai.operation.name", "chat");
        activity.SetTag("gen_ai.request.model", model);
        if (route.State.Provider(-1, tier, this) is { } provider) activity.SetTag("gen_ai.provider.name", provider);
        activity.SetTag(RoutingTelemetry.TaskTag, route.State.Plan.TaskName);
        activity.SetTag(RoutingTelemetry.TierTag, tier.Name);
        if (_recordContent) activity.SetTag("gen_ai.input.messages", string.Join("\n", route.Messages.Select(m => m.Role.Value + ": " + m.Text)));
        return activity;
    }

    private static IReadOnlyList<ChatMessage> WithConfidenceInstruction(IReadOnlyList<ChatMessage> messages)
    {
        var copy = new List<ChatMessage>(messages.Count + 1) { new(ChatRole.System, SelfReportedConfidence.Instruction) };
        copy.AddRange(messages);
        return copy;
    }

    internal static int CountCharacters(IReadOnlyList<ChatMessage> messages)
    {
        var total = 0;
        for (var i = 0; i < messages.Count; i++) total += messages[i].Text?.Length ?? 0;
        return total;
    }

    private PlanState StateFor(RoutePlan plan)
    {
        if (plan.RouterState is PlanState state && ReferenceEquals(state.Router, this)) return state;
        state = _states.GetValue(plan, _newState);
        plan.RouterState = state;
        return state;
    }

    /// <summary>One routed call's inputs and running totals.</summary>
    private struct RouteCall
    {
        public readonly PlanState State;
        public readonly IReadOnlyList<ChatMessage> Messages;
        public readonly ChatOptions? CallerOptions;
        public readonly IChatClient? LastTierClient;
        private int _inputCharacters;
        public decimal Spent;
        public decimal AcceptedReferenceUsd;

        /// <summary>What the tiers called so far answered, for a plan with acceptors (null until its first decision).</summary>
        public AcceptanceHistory? History;

        /// <summary>
        /// The end (exclusive) of the chain positions this call may reach: the plan's, or fewer under a downgrade budget's
        /// cap. Position <c>End - 1</c> is the tier an answer that skips goes to.
        /// </summary>
        public int End;

        /// <summary>
        /// Set when the answer just concluded was rejected to go straight to the last tier (<see cref="AcceptanceDecision.SkipToLast"/>);
        /// the loop clears it when it jumps there.
        /// </summary>
        public bool SkipToLast;

        public RouteCall(PlanState state, IReadOnlyList<ChatMessage> messages, int inputCharacters, ChatOptions? callerOptions, IChatClient? lastTierClient)
        {
            State = state;
            Messages = messages;
            _inputCharacters = inputCharacters;
            CallerOptions = callerOptions;
            LastTierClient = lastTierClient;
            Spent = 0m;
            AcceptedReferenceUsd = 0m;
            History = null;
            End = state.Plan.Escalation == Escalation.None ? 1 : state.Tiers.Length;
            SkipToLast = false;
        }

        public int InputCharacters => _inputCharacters >= 0 ? _inputCharacters : _inputCharacters = CountCharacters(Messages);

        public ChatOptions OptionsFor(int position, TierSpec tier)
        {
            if (CallerOptions is null && position >= 0) return State.Options[position];
            var options = CallerOptions?.Clone() ?? new ChatOptions();
            options.ModelId = tier.ModelId;
            (options.AdditionalProperties ??= new AdditionalPropertiesDictionary())[TaskNameProperty] = State.Plan.TaskName;
            options.AdditionalProperties[KindProperty] = State.Plan.Kind.ToString();
            options.AdditionalProperties[ComplexityProperty] = State.Plan.Complexity.ToString();
            return options;
        }
    }

    /// <summary>Per chain position: each called tier's score as a log-probability (NaN when not called or unread) and its answer key.</summary>
    private sealed class AcceptanceHistory
    {
        public AcceptanceHistory(int tiers)
        {
            Confidences = new double[tiers];
            for (var i = 0; i < tiers; i++) Confidences[i] = double.NaN;
            Answers = new string?[tiers];
        }

        public double[] Confidences { get; }

        public string?[] Answers { get; }
    }

    /// <summary>What the router keeps per plan: resolved clients, options, ledger entries, applicable budgets.</summary>
    private sealed class PlanState
    {
        private readonly IChatClient?[] _clients;
        private readonly string?[] _providers;
        private CachedSystemMessage? _system;

        public PlanState(TaskRouter router, RoutePlan plan)
        {
            Router = router;
            Plan = plan;
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
                        [TaskNameProperty] = plan.TaskName,
                        [KindProperty] = plan.Kind.ToString(),
                        [ComplexityProperty] = plan.Complexity.ToString(),
                    },
                };
            }

            Budgets = router._budgets.Where(b => b.Budget.AppliesTo(plan.TaskName)).ToArray();
            HasDowngradeBudgets = Budgets.Any(b => b.Budget.Action == BudgetAction.Downgrade);
            FastThreshold = Tiers.Length == 1 || plan.Escalation == Escalation.None ? router._lastTierMinimumScore : Thresholds[0];
            FastPath = Budgets.Length == 0 && plan.Escalation != Escalation.Classifier && !router._askForConfidence && Acceptors is null;
        }

        public TaskRouter Router { get; }

        public RoutePlan Plan { get; }

        public TierSpec[] Tiers { get; }

        public double[] Thresholds { get; }

        /// <summary>The plan's acceptance models per chain position but the last, or null.</summary>
        public Acceptor[]? Acceptors { get; }

        public ChatOptions[] Options { get; }

        public CostLedger.Entry?[] Entries { get; }

        public BudgetTracker[] Budgets { get; }

        public bool FastPath { get; }

        public bool HasDowngradeBudgets { get; }

        /// <summary>The score the start tier's answer needs (its threshold, or the last-tier minimum when it is the only tier).</summary>
        public double FastThreshold { get; }

        public IChatClient? Client(int position)
        {
            var client = _clients[position];
            if (client is null) _clients[position] = client = Router._clients.GetOrAdd(Tiers[position].Name, name => Router._clientForTier(name) ?? NoClient);
            return ReferenceEquals(client, NoClient) ? null : client;
        }

        /// <summary>The provider name a tier client reports in its <see cref="ChatClientMetadata"/>, for telemetry.</summary>
        public string? Provider(int position, TierSpec tier, TaskRouter router)
        {
            if (position >= 0 && _providers[position] is { } known) return known.Length == 0 ? null : known;
            var client = position >= 0 ? Client(position) : router.GetTierClient(tier.Name);
            var name = (client?.GetService(typeof(ChatClientMetadata)) as ChatClientMetadata)?.ProviderName ?? string.Empty;
            if (position >= 0) _providers[position] = name;
            return name.Length == 0 ? null : name;
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
    }

    private sealed class CachedSystemMessage(string instructions, ChatMessage message)
    {
        public string Instructions { get; } = instructions;

        public ChatMessage Message { get; } = message;
    }

    private sealed class MissingClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => throw new InvalidOperationException("No client.");

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => throw new InvalidOperationException("No client.");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}

/// <summary>Reads a tier's response into the call's result.</summary>
internal interface IAnswerReader<T>
{
    bool TryRead(ChatResponse response, string text, out T value);
}

/// <summary>Task methods: the answer text through the task's parser.</summary>
internal readonly struct ParserReader<T> : IAnswerReader<T>
{
    private readonly IAnswerParser<T> _parser;

    public ParserReader(IAnswerParser<T> parser) => _parser = parser;

    public bool TryRead(ChatResponse response, string text, out T value) => _parser.TryParse(text, out value);
}

/// <summary>Chat requests: the response itself, when it has any content.</summary>
internal readonly struct ResponseReader : IAnswerReader<ChatResponse>
{
    public bool TryRead(ChatResponse response, string text, out ChatResponse value)
    {
        value = response;
        if (text.Trim().Length > 0) return true;
        foreach (var message in response.Messages)
        {
            foreach (var content in message.Contents)
            {
                if (content is not TextContent) return true;   // a tool call or other non-text content is an answer
            }
        }

        return false;
    }
}
