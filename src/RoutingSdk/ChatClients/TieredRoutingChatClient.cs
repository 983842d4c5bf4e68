using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using RoutingSdk.Planning;

namespace RoutingSdk;

/// <summary>
/// A <see cref="DelegatingChatClient"/> that routes arbitrary chat requests over model tiers, for code that is not
/// written as task methods. Its inner client is the chain's last (most capable) tier; the cheaper tiers of the plan are
/// the router's tier clients (keyed <see cref="IChatClient"/> services). Each request goes to the plan's start tier
/// first and moves up the chain — scored, escalated, budgeted, booked and traced exactly as a task method's call —
/// and reaches the inner client only when the cheaper tiers fail or their answers are not accepted.
/// </summary>
/// <remarks>
/// <para>
/// A response is an answer when it has text or any non-text content (a tool call). The accepted response is returned
/// as the tier sent it, with <see cref="TaskRouter.TierProperty"/> in its <c>AdditionalProperties</c>. The caller's
/// <see cref="ChatOptions"/> are cloned per tier: the tier's <c>ModelId</c> replaces the caller's. Self-reported
/// confidence (<see cref="RoutingOptions.AskForConfidence"/>) applies to task methods only.
/// </para>
/// <para>
/// Streaming requests are routed the same way, and stream where an answer can no longer be rejected. A tier whose answer
/// may still be rejected (every chain position but the one that ends the chain) is called with
/// <see cref="IChatClient.GetResponseAsync"/>, since its answer must be complete to be scored; when it is accepted it is
/// replayed as updates. The call that ends the chain — the last tier (this client's inner client), the only tier of a
/// one-tier or <see cref="Escalation.None"/> plan, or the tier at which a downgrade budget ends the chain — is made with
/// <see cref="IChatClient.GetStreamingResponseAsync"/> and its updates reach the caller as they arrive; the first carries
/// <see cref="TaskRouter.TierProperty"/>. It is booked once, when its stream ends, from the usage the updates report
/// (else estimated), also when the stream fails or the caller stops enumerating. If it fails before its first update the
/// request fails with a <see cref="RoutingFailedException"/>, as a failing last tier does; after that, its exception reaches
/// the caller as it is. With <see cref="RoutingOptions.LastTierMinimumScore"/> above 0 the last tier's answer can be
/// rejected too, and every tier is buffered.
/// </para>
/// </remarks>
public sealed class TieredRoutingChatClient : DelegatingChatClient
{
    private readonly TaskRouter _router;

    /// <summary>Creates the routing step over <paramref name="innerClient"/> (the chain's last tier).</summary>
    public TieredRoutingChatClient(IChatClient innerClient, TaskRouter router, RoutePlan plan)
        : base(innerClient)
    {
        _router = router ?? throw new ArgumentNullException(nameof(router));
        Plan = plan ?? throw new ArgumentNullException(nameof(plan));
    }

    /// <summary>The plan requests are routed on.</summary>
    public RoutePlan Plan { get; }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (messages is null) throw new ArgumentNullException(nameof(messages));
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        return await _router.RouteChatAsync(Plan, list, options ?? new ChatOptions(), InnerClient, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        if (messages is null) throw new ArgumentNullException(nameof(messages));
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        return _router.RouteChatStreamingAsync(Plan, list, options ?? new ChatOptions(), InnerClient, cancellationToken);
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
        => serviceKey is null && serviceType == typeof(RoutePlan) ? Plan : base.GetService(serviceType, serviceKey);
}

/// <summary>How <c>UseTieredRouting</c> plans the requests it routes.</summary>
public sealed class TieredRoutingOptions
{
    /// <summary>The name requests are booked and traced under. Default <c>"chat"</c>.</summary>
    public string TaskName { get; set; } = "chat";

    /// <summary>What the requests do, for planning. Default <see cref="TaskKind.General"/>.</summary>
    public TaskKind Kind { get; set; } = TaskKind.General;

    /// <summary>How hard they are, for planning. Default <see cref="Complexity.Medium"/>.</summary>
    public Complexity Complexity { get; set; } = Complexity.Medium;

    /// <summary>The quality the plan must reach (0–1). Default 0.8.</summary>
    public double QualityThreshold { get; set; } = TaskSpec.DefaultQualityThreshold;

    /// <summary>Caps the chain at this tier.</summary>
    public string? MaxTier { get; set; }

    /// <summary>Cascade (default), Classifier or None.</summary>
    public Escalation Escalation { get; set; } = Escalation.Cascade;

    /// <summary>The tier catalog; null for the built-in one.</summary>
    public TierCatalog? Catalog { get; set; }

    /// <summary>A plan to use as it is, instead of planning from the settings above.</summary>
    public RoutePlan? Plan { get; set; }

    /// <summary>The plan: <see cref="Plan"/>, or the Planner's plan for the settings.</summary>
    /// <exception cref="InvalidOperationException">The settings cannot be planned (unknown tier, threshold out of range).</exception>
    public RoutePlan ToPlan()
    {
        if (Plan is not null) return Plan;
        var catalog = Catalog ?? TierCatalog.BuiltIn;
        var spec = new TaskSpec(TaskName, TaskName, Kind, Complexity) { QualityThreshold = QualityThreshold, MaxTier = MaxTier, Escalation = Escalation };
        var plan = Planner.Plan(spec, catalog);
        if (plan.HasErrors || plan.Chain.Count == 0)
            throw new InvalidOperationException($"Tiered routing for '{TaskName}' cannot be planned: {string.Join("; ", plan.Findings.Select(f => f.Message))}");
        return new RoutePlan(TaskName, Kind, Complexity, catalog, plan.Chain, plan.QualityThreshold, plan.ProjectedQuality,
            plan.ProjectedUsdPerThousandCalls, plan.AllFrontierUsdPerThousandCalls, plan.AcceptanceThresholds, Escalation);
    }
}
