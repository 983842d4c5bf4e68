using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
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
/// <para>
/// This file holds the public entry points and the zero-allocation fast path; the general path, the cascade loop, is in
/// TaskRouter.Cascade.cs, and every job the loop hands off (acceptance, scoring, budgets, call recording, plan state,
/// activities) lives in its own file under Routing/ and Budgets/.
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

    /// <summary>
    /// Key of the routed chat response's <c>AdditionalProperties</c> entry that holds what the whole routed call cost in
    /// USD (a <see cref="decimal"/>: every tier it called, escalations and rejected answers included).
    /// </summary>
    public const string CostProperty = "routingsdk.cost_usd";

    private readonly TierClients _tierClients;
    private readonly PlanStates _states;
    private readonly AnswerScoring _scoring;
    private readonly Acceptance _acceptance;
    private readonly BudgetGate _budgets;
    private readonly CallRecorder _recorder;
    private readonly ITierCooldowns _cooldowns;
    private readonly TimeProvider _time;
    private readonly ITierClassifier _classifier;
    private readonly EscalationSignalsLog _signals;
    private readonly bool _askForConfidence;
    private readonly bool _recordContent;
    private readonly double _lastTierMinimumScore;
    private readonly ShadowGuard? _shadow;
    private readonly CalibrationSampler? _sampler;
    private readonly ILogger _logger;

    /// <summary>Creates a router that resolves each tier's client as a keyed <see cref="IChatClient"/> service.</summary>
    public TaskRouter(IServiceProvider services, ICostLedger ledger)
        : this(services, ledger, null)
    {
    }

    /// <summary>
    /// Creates a router that resolves each tier's client as a keyed <see cref="IChatClient"/> service, with options (null: the
    /// registered <see cref="RoutingOptions"/>, else the defaults). It logs through the registered <see cref="ILoggerFactory"/>, if any.
    /// </summary>
    public TaskRouter(IServiceProvider services, ICostLedger ledger, RoutingOptions? options)
        : this(services is null ? throw new ArgumentNullException(nameof(services)) : tier => services.GetKeyedService<IChatClient>(tier), ledger,
            options ?? services.GetService<RoutingOptions>(), services.GetService<ILoggerFactory>()?.CreateLogger(typeof(TaskRouter).FullName!))
    {
        if (_shadow is { Logger: null } shadow) shadow.Logger = services.GetService<Microsoft.Extensions.Logging.ILoggerFactory>()?.CreateLogger("RoutingSdk.Quality");
    }

    /// <summary>Creates a router over an explicit tier-name-to-client function (null: no client for that tier).</summary>
    public TaskRouter(Func<string, IChatClient?> clientForTier, ICostLedger ledger)
        : this(clientForTier, ledger, null)
    {
    }

    /// <summary>Creates a router over an explicit tier-name-to-client function (null: no client for that tier), with options (null: the defaults).</summary>
    public TaskRouter(Func<string, IChatClient?> clientForTier, ICostLedger ledger, RoutingOptions? options)
        : this(clientForTier, ledger, options, null)
    {
    }

    /// <summary>
    /// Creates a router over an explicit tier-name-to-client function (null: no client for that tier), with options (null:
    /// the defaults) and a logger (null: none) for what each cascade escalates on.
    /// </summary>
    /// <exception cref="ArgumentException"><see cref="ShadowOptions.CalibrationRate"/> is above 0 without <see cref="ShadowOptions.Outcomes"/>.</exception>
    public TaskRouter(Func<string, IChatClient?> clientForTier, ICostLedger ledger, RoutingOptions? options, ILogger? logger)
    {
        _tierClients = new TierClients(clientForTier ?? throw new ArgumentNullException(nameof(clientForTier)));
        Ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        Options = options ?? new RoutingOptions();
        _scoring = new AnswerScoring(Options);
        _acceptance = new Acceptance(Options);
        _time = Options.TimeProvider ?? TimeProvider.System;
        _budgets = new BudgetGate(Options.Budgets, Options.BudgetStore ?? new InProcessBudgetStore(_time));
        _cooldowns = Options.TierCooldowns ?? new InProcessTierCooldowns(_time);
        _recorder = new CallRecorder(ledger, Options.RecordContent);
        if (Options.Shadow is { } shadowOptions)
        {
            if (shadowOptions.CalibrationRate > 0 && shadowOptions.Outcomes is null)
                throw new ArgumentException("ShadowOptions.CalibrationRate writes its samples to ShadowOptions.Outcomes, which is not set.", nameof(options));
            var outcomes = shadowOptions.Outcomes is { } writer ? new OutcomeWriter(writer, Options.RecordContent) : null;
            // With a calibration sample the file holds the samples only: the shadowed calls' rows would bias it towards
            // the queries a cheap tier answered.
            _shadow = new ShadowGuard(shadowOptions, ledger, _recorder, _scoring, shadowOptions.CalibrationRate > 0 ? null : outcomes, _background);
            _sampler = shadowOptions.CalibrationRate > 0 ? new CalibrationSampler(shadowOptions, ledger, _recorder, _scoring, outcomes!, _background) : null;
        }

        _acceptance.Guard = _shadow;
        _recorder.Guardrail = _shadow?.Statistics;
        _classifier = Options.Classifier ?? HeuristicTierClassifier.Default;
        _askForConfidence = Options.AskForConfidence;
        _recordContent = Options.RecordContent;
        _lastTierMinimumScore = Options.LastTierMinimumScore;
        _logger = logger ?? NullLogger.Instance;
        _signals = new EscalationSignalsLog(_logger);
        _states = new PlanStates(plan => new PlanState(plan, _tierClients, _budgets, _lastTierMinimumScore, _askForConfidence));
    }

    /// <summary>The ledger every call is booked in.</summary>
    public ICostLedger Ledger { get; }

    /// <summary>The options the router was created with.</summary>
    public RoutingOptions Options { get; }

    /// <summary>The tiers skipped after a rate limit.</summary>
    internal ITierCooldowns Cooldowns => _cooldowns;

    /// <summary>The router's budgets (for tests that check what stays reserved).</summary>
    internal BudgetGate Budgets => _budgets;

    /// <summary>The shadow guardrail, when <see cref="RoutingOptions.Shadow"/> is set.</summary>
    internal ShadowGuard? Shadow => _shadow;

    /// <summary>The calibration sample, when <see cref="ShadowOptions.CalibrationRate"/> is above 0.</summary>
    internal CalibrationSampler? Sampler => _sampler;

    /// <summary>
    /// The level by which the shadow guardrail has tightened <paramref name="position"/> of the chain of
    /// <paramref name="taskName"/> (0: as planned, or no guardrail); each level halves the error share its acceptance allows.
    /// </summary>
    public int GetGuardrailLevel(string taskName, int position)
        => _shadow?.Statistics.GetLevel(taskName ?? throw new ArgumentNullException(nameof(taskName)), position) ?? 0;

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
        var state = _states.For(plan);
        if (state.WantsResponseFormat && parser is IStructuredAnswerParser structured) state.UseResponseFormat(structured.ResponseFormat);
        var messages = state.Messages(prompt, instructions, _askForConfidence);
        return Route(plan, state, messages, prompt.Length + (instructions?.Length ?? 0), new ParserReader<T>(parser), validator, cancellationToken);
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
        if (_askForConfidence) messages = PlanState.WithConfidenceInstruction(messages);
        var state = _states.For(plan);
        if (state.WantsResponseFormat && parser is IStructuredAnswerParser structured) state.UseResponseFormat(structured.ResponseFormat);
        return Route(plan, state, messages, -1, new ParserReader<T>(parser), validator, cancellationToken);
    }

    /// <summary>
    /// What the task's cascade escalates on (validator, reported confidence, log-probabilities, self-reported confidence,
    /// your scorers, parse failure), as seen on the first parsed answer of a tier below the chain's last; null until the
    /// task has had such an answer, and for a plan that cannot escalate. The router logs the same once per task, as a
    /// warning when the cascade has no signal but parse failure.
    /// </summary>
    public EscalationSignals? GetEscalationSignals(RoutePlan plan)
    {
        if (plan is null) throw new ArgumentNullException(nameof(plan));
        return _states.For(plan).Signals;
    }

    /// <summary>The client registered for <paramref name="tier"/>, or null.</summary>
    public IChatClient? GetTierClient(string tier)
    {
        if (tier is null) throw new ArgumentNullException(nameof(tier));
        return _tierClients.Find(tier);
    }

    private ValueTask<T> Route<T, TReader>(RoutePlan plan, PlanState state, IReadOnlyList<ChatMessage> messages, int inputCharacters, TReader reader, Func<T, double>? validator,
        CancellationToken cancellationToken)
        where TReader : struct, IAnswerReader<T>
    {
        // Fast path, kept small: the start tier's client answers synchronously with usage, the answer is accepted (by its
        // threshold or its acceptor), nobody listens — no state machine, no task, no per-call object. Anything else
        // continues on the general path.
        IChatClient? client;
        if (!state.FastPath || state.SignalsPending || _shadow is not null || state.Entries[0] is not { } entry || RoutingTelemetry.Source.HasListeners() || RoutingTelemetry.DurationHistogram.Enabled || CostScope.AnyOpen
            || (state.StartHasContextWindow && (inputCharacters < 0 || !TierClients.Fits(state.Tiers[0], inputCharacters, out _)))
            || (client = state.Client(0)) is null || _cooldowns.IsCoolingDown(state.Tiers[0].Name, out _))
        {
            return Start(plan, state, messages, inputCharacters, reader, validator, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var pending = TierClients.Invoke(client, messages, state.Options[0], cancellationToken);
        // Not answered yet, no response, or the caller cancelled during the call: the general path decides.
        var response = pending.Status == TaskStatus.RanToCompletion ? pending.Result : null;
        if (response is null || cancellationToken.IsCancellationRequested)
            return Continue(plan, state, messages, inputCharacters, reader, validator, pending, cancellationToken);

        var text = AnswerText.Of(response);
        var parsed = reader.TryRead(response, text, out var value);
        var score = parsed ? _scoring.FastScore(plan, state.Tiers[0], response, text, validator, value) : 0.0;
        if (parsed && !RoutingTelemetry.MetricsEnabled && Acceptance.AcceptsAtStart(state, score, response, text) && CallRecorder.TryBookFast(entry, response.Usage))
            return new ValueTask<T>(value);

        return Conclude(plan, state, messages, inputCharacters, reader, validator, response, text, parsed && !double.IsNaN(score), score, value, cancellationToken);
    }

    /// <summary>The general path after the fast path evaluated the start tier's answer (once): decide and book it, then go on if it was rejected.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ValueTask<T> Conclude<T, TReader>(RoutePlan plan, PlanState state, IReadOnlyList<ChatMessage> messages, int inputCharacters, TReader reader, Func<T, double>? validator,
        ChatResponse response, string text, bool parsed, double score, T value, CancellationToken cancellationToken)
        where TReader : struct, IAnswerReader<T>
    {
        var route = new RouteCall(plan, state, messages, inputCharacters, null, null);
        List<TierFailure>? failures = null;
        if (Decide<T>(ref route, 0, state.Tiers[0], state.StartIsLast, response, text, parsed, score, 0, null, ref failures, out _, out var verdict))
            return new ValueTask<T>(value);
        return new ValueTask<T>(RouteSlowAsync(route, reader, validator, fresh: false, position: verdict.Step.Next, pending: null, started: 0, failures: failures, cancellationToken));
    }

    /// <summary>The general path from the start.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ValueTask<T> Start<T, TReader>(RoutePlan plan, PlanState state, IReadOnlyList<ChatMessage> messages, int inputCharacters, TReader reader, Func<T, double>? validator,
        CancellationToken cancellationToken)
        where TReader : struct, IAnswerReader<T>
        => new(RouteSlowAsync(new RouteCall(plan, state, messages, inputCharacters, null, null), reader, validator, fresh: true, position: 0, pending: null, started: 0, failures: null,
            cancellationToken));

    /// <summary>The general path after the fast path called the start tier and it has not answered yet.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ValueTask<T> Continue<T, TReader>(RoutePlan plan, PlanState state, IReadOnlyList<ChatMessage> messages, int inputCharacters, TReader reader, Func<T, double>? validator,
        Task<ChatResponse> pending, CancellationToken cancellationToken)
        where TReader : struct, IAnswerReader<T>
        => new(RouteSlowAsync(new RouteCall(plan, state, messages, inputCharacters, null, null), reader, validator, fresh: false, position: 0, pending: pending, started: 0, failures: null,
            cancellationToken));
}
