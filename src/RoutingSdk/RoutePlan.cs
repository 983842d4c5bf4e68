using System;
using System.Collections.Generic;
using RoutingSdk.Planning;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk;

/// <summary>
/// The compile-time plan of one task, as emitted into <c>RoutingSdk.Generated.RoutingTable</c>: where it
/// starts, where it may escalate, what it is projected to deliver and cost.
/// </summary>
public sealed class RoutePlan
{
    private readonly TierSpec[] _tiers;
    private readonly double[] _thresholds;

    /// <summary>Creates a plan; every tier of <paramref name="chain"/> must be in <paramref name="catalog"/>.</summary>
    /// <exception cref="ArgumentException">The chain is empty or names a tier the catalog lacks.</exception>
    public RoutePlan(string taskName, TaskKind kind, Complexity complexity, TierCatalog catalog, IReadOnlyList<string> chain,
        double qualityThreshold, double projectedQuality, decimal projectedUsdPerThousandCalls, decimal allFrontierUsdPerThousandCalls,
        IReadOnlyList<double>? acceptanceThresholds = null, Escalation escalation = Escalation.Cascade, IReadOnlyList<Acceptor>? acceptors = null,
        IReadOnlyList<double>? agreementBaselines = null)
    {
        TaskName = taskName ?? throw new ArgumentNullException(nameof(taskName));
        Catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        if (chain is null || chain.Count == 0) throw new ArgumentException($"The plan of '{taskName}' has no tier.", nameof(chain));

        _tiers = new TierSpec[chain.Count];
        for (var i = 0; i < chain.Count; i++)
        {
            _tiers[i] = catalog.Find(chain[i])
                ?? throw new ArgumentException($"The plan of '{taskName}' names tier '{chain[i]}', which is not in the catalog.", nameof(chain));
        }

        if (acceptanceThresholds is not null && acceptanceThresholds.Count != chain.Count)
            throw new ArgumentException($"The plan of '{taskName}' has {chain.Count} tiers but {acceptanceThresholds.Count} acceptance thresholds.", nameof(acceptanceThresholds));
        var thresholds = new double[chain.Count];
        for (var i = 0; i < thresholds.Length; i++) thresholds[i] = acceptanceThresholds?[i] ?? qualityThreshold;
        _thresholds = thresholds;

        if (acceptors is { Count: > 0 })
        {
            if (acceptors.Count != chain.Count - 1)
                throw new ArgumentException($"The plan of '{taskName}' has {chain.Count} tiers but {acceptors.Count} acceptors (one per tier but the last).", nameof(acceptors));
            for (var k = 0; k < acceptors.Count; k++)
            {
                if (acceptors[k] is null || acceptors[k].Position != k)
                    throw new ArgumentException($"The acceptor of '{taskName}' at chain position {k} needs {Acceptor.FeatureCount(k)} weights.", nameof(acceptors));
            }

            Acceptors = acceptors;
        }

        if (agreementBaselines is { Count: > 0 })
        {
            if (agreementBaselines.Count != chain.Count - 1)
                throw new ArgumentException($"The plan of '{taskName}' has {chain.Count} tiers but {agreementBaselines.Count} agreement baselines (one per tier but the last).", nameof(agreementBaselines));
            AgreementBaselines = agreementBaselines;
        }

        Kind = kind;
        Complexity = complexity;
        Escalation = escalation;
        Chain = chain;
        QualityThreshold = qualityThreshold;
        ProjectedQuality = projectedQuality;
        ProjectedUsdPerThousandCalls = projectedUsdPerThousandCalls;
        AllFrontierUsdPerThousandCalls = allFrontierUsdPerThousandCalls;
        Reference = catalog.Reference ?? _tiers[_tiers.Length - 1];
    }

    /// <summary>The task's name, <c>ContainingType.Method</c> (for example <c>SupportDesk.ClassifyAsync</c>).</summary>
    public string TaskName { get; }

    /// <summary>What the task does.</summary>
    public TaskKind Kind { get; }

    /// <summary>How hard one instance is.</summary>
    public Complexity Complexity { get; }

    /// <summary>
    /// How the task moves along its chain: <see cref="RoutingSdk.Escalation.Cascade"/> (start tier first, escalate and fall
    /// back up the chain), <see cref="RoutingSdk.Escalation.Classifier"/> (an <see cref="ITierClassifier"/> picks the start
    /// tier, then a cascade) or <see cref="RoutingSdk.Escalation.None"/> (the start tier only: no escalation and no fallback).
    /// </summary>
    public Escalation Escalation { get; }

    /// <summary>The first tier called.</summary>
    public string StartTier => Chain[0];

    /// <summary>Tier names in call order, the start tier first.</summary>
    public IReadOnlyList<string> Chain { get; }

    /// <summary>The score an answer needs to be accepted without escalating.</summary>
    public double QualityThreshold { get; }

    /// <summary>
    /// Per chain position, the score an answer from that tier needs to be accepted without escalating. Every entry is
    /// <see cref="QualityThreshold"/> unless the plan was given its own (for example from a calibration file). The last
    /// tier's entry is not used for escalation: it has nowhere to escalate to.
    /// </summary>
    public IReadOnlyList<double> AcceptanceThresholds => _thresholds;

    /// <summary>
    /// Per chain position but the last, the calibrated acceptance model that decides instead of
    /// <see cref="AcceptanceThresholds"/>: it weighs the tier's score with its answer's length and with the answers and
    /// scores of the tiers already tried (see docs/calibration.md), and may send an answer it trusts less than its
    /// <see cref="Acceptor.SkipBelow"/> straight to the chain's last tier; null when the plan accepts on thresholds alone.
    /// </summary>
    public IReadOnlyList<Acceptor>? Acceptors { get; }

    /// <summary>
    /// Per chain position but the last, the share of the answers the plan accepted there that agreed with the last tier's
    /// on the calibration data (NaN: unknown), from the calibration file's <c>"agreement"</c>: the shadow guardrail's
    /// baseline for the position, so that it guards the position from its first comparisons; null when the calibration
    /// recorded none (each position then learns its baseline from its first full window).
    /// </summary>
    public IReadOnlyList<double>? AgreementBaselines { get; }

    /// <summary>Projected share of good answers (the Planner's figure).</summary>
    public double ProjectedQuality { get; }

    /// <summary>Projected USD per 1,000 calls, escalations included.</summary>
    public decimal ProjectedUsdPerThousandCalls { get; }

    /// <summary>USD per 1,000 calls if every call went to the frontier (reference) tier.</summary>
    public decimal AllFrontierUsdPerThousandCalls { get; }

    /// <summary>The tier catalog the plan was made on.</summary>
    public TierCatalog Catalog { get; }

    /// <summary>The tier savings are measured against (the catalog's reference tier).</summary>
    public TierSpec Reference { get; }

    /// <summary>The chain's tiers, resolved.</summary>
    public IReadOnlyList<TierSpec> Tiers => _tiers;

    /// <inheritdoc />
    public override string ToString() => $"{TaskName}: {string.Join(" -> ", Chain)}";
}
