using System;
using System.Collections.Generic;
using System.Linq;

namespace RoutingSdk.Planning;

/// <summary>
/// The Planner's answer for one task: where it starts, where it may escalate, what it is projected to
/// deliver and cost, and what is wrong with it. Value-equatable.
/// </summary>
internal sealed class TaskPlan : IEquatable<TaskPlan>
{
    /// <summary>Creates a plan.</summary>
    public TaskPlan(string taskName, IReadOnlyList<string> chain, double qualityThreshold, double projectedQuality,
        decimal projectedUsdPerThousandCalls, decimal allFrontierUsdPerThousandCalls, IReadOnlyList<Finding> findings,
        IReadOnlyList<double>? acceptanceThresholds = null, IReadOnlyList<Calibration.Acceptor>? acceptors = null, IReadOnlyList<double>? agreementBaselines = null)
    {
        if (agreementBaselines is not null && agreementBaselines.Count != Math.Max(0, chain.Count - 1))
            throw new ArgumentException($"The plan of '{taskName}' has {chain.Count} tiers but {agreementBaselines.Count} agreement baselines (one per tier but the last).", nameof(agreementBaselines));
        AgreementBaselines = agreementBaselines is { Count: > 0 } ? agreementBaselines : null;
        if (acceptanceThresholds is not null && acceptanceThresholds.Count != chain.Count)
            throw new ArgumentException($"The plan of '{taskName}' has {chain.Count} tiers but {acceptanceThresholds.Count} acceptance thresholds.", nameof(acceptanceThresholds));
        if (acceptors is not null && acceptors.Count != Math.Max(0, chain.Count - 1))
            throw new ArgumentException($"The plan of '{taskName}' has {chain.Count} tiers but {acceptors.Count} acceptors (one per tier but the last).", nameof(acceptors));
        Acceptors = acceptors is { Count: > 0 } ? acceptors : null;
        TaskName = taskName;
        Chain = chain;
        QualityThreshold = qualityThreshold;
        ProjectedQuality = projectedQuality;
        ProjectedUsdPerThousandCalls = projectedUsdPerThousandCalls;
        AllFrontierUsdPerThousandCalls = allFrontierUsdPerThousandCalls;
        Findings = findings;
        HasCustomThresholds = acceptanceThresholds is not null;
        AcceptanceThresholds = acceptanceThresholds ?? chain.Select(_ => qualityThreshold).ToArray();
    }

    /// <summary>The task's name.</summary>
    public string TaskName { get; }

    /// <summary>The first tier called, or null when the plan has no tier (the spec had errors).</summary>
    public string? StartTier => Chain.Count == 0 ? null : Chain[0];

    /// <summary>Tier names in call order, the start tier first.</summary>
    public IReadOnlyList<string> Chain { get; }

    /// <summary>The threshold an answer's score must reach to be accepted.</summary>
    public double QualityThreshold { get; }

    /// <summary>
    /// Per chain position, the score an answer from that tier needs to be accepted without escalating (one per tier
    /// of <see cref="Chain"/>; the last tier's entry is not used for escalation, as it has nowhere to go). Every entry
    /// is <see cref="QualityThreshold"/> unless a calibration set them.
    /// </summary>
    public IReadOnlyList<double> AcceptanceThresholds { get; }

    /// <summary>Whether <see cref="AcceptanceThresholds"/> were set explicitly (for example by a calibration) rather than defaulted.</summary>
    public bool HasCustomThresholds { get; }

    /// <summary>
    /// Per chain position but the last, the calibrated acceptance model the router applies instead of the position's
    /// threshold (it weighs the tier's confidence with the answers of the tiers already tried); null when the plan
    /// accepts on thresholds alone.
    /// </summary>
    public IReadOnlyList<Calibration.Acceptor>? Acceptors { get; }

    /// <summary>
    /// Per chain position but the last, the agreement of its accepted answers with the last tier on the calibration data
    /// (NaN: unknown), the shadow guardrail's baseline; null when the calibration recorded none.
    /// </summary>
    public IReadOnlyList<double>? AgreementBaselines { get; }

    /// <summary>Projected share of good answers, rounded to 4 digits.</summary>
    public double ProjectedQuality { get; }

    /// <summary>Projected USD per 1,000 calls, escalations included, rounded to 6 decimals.</summary>
    public decimal ProjectedUsdPerThousandCalls { get; }

    /// <summary>USD per 1,000 calls if every call went to the catalog's reference (frontier) tier.</summary>
    public decimal AllFrontierUsdPerThousandCalls { get; }

    /// <summary>What is wrong or risky, for the diagnostics.</summary>
    public IReadOnlyList<Finding> Findings { get; }

    /// <summary>Whether any finding is an error that prevents code generation.</summary>
    public bool HasErrors => Findings.Any(f => f.Kind is FindingKind.UnknownTier or FindingKind.InvalidValue);

    /// <inheritdoc />
    public bool Equals(TaskPlan? other) => other is not null
        && TaskName == other.TaskName
        && Chain.SequenceEqual(other.Chain)
        && QualityThreshold.Equals(other.QualityThreshold)
        && ProjectedQuality.Equals(other.ProjectedQuality)
        && ProjectedUsdPerThousandCalls == other.ProjectedUsdPerThousandCalls
        && AllFrontierUsdPerThousandCalls == other.AllFrontierUsdPerThousandCalls
        && AcceptanceThresholds.SequenceEqual(other.AcceptanceThresholds)
        && HasCustomThresholds == other.HasCustomThresholds
        && (Acceptors is null ? other.Acceptors is null : other.Acceptors is not null && Acceptors.SequenceEqual(other.Acceptors))
        && (AgreementBaselines is null ? other.AgreementBaselines is null : other.AgreementBaselines is not null && AgreementBaselines.SequenceEqual(other.AgreementBaselines))
        && Findings.SequenceEqual(other.Findings);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TaskPlan);

    /// <inheritdoc />
    public override int GetHashCode() => unchecked(TaskName.GetHashCode() * 31 + Chain.Count);
}
