using System;
using System.Collections.Generic;
using System.Linq;

namespace RoutingSdk.Planning.Calibration;

/// <summary>What was measured for one model (tier) of a task.</summary>
internal sealed record ModelFigures(string Model, double Quality, double CostUsd);

/// <summary>
/// A lower bound on a plan's quality relative to the best single model: at least <paramref name="RelativeQuality"/>
/// with probability <paramref name="Confidence"/> on queries drawn like the <paramref name="Queries"/> it was computed
/// from (docs/calibration.md says what it guarantees and what it cannot).
/// </summary>
internal sealed record QualityBoundFigures(double RelativeQuality, double Confidence, int Queries);

/// <summary>
/// The calibrated plan of one task: the cascade (models in cost order), the raw-confidence acceptance threshold of
/// every position but the last (accept at position i when confidence ≥ <see cref="Thresholds"/>[i]; a missing
/// confidence escalates), optionally richer <see cref="Acceptors"/> that replace the raw thresholds where a replay
/// can see every tier's answer, and the measured figures the planner uses.
/// </summary>
internal sealed class TaskCalibration : IEquatable<TaskCalibration>
{
    /// <summary>Creates a task calibration.</summary>
    public TaskCalibration(string task, IReadOnlyList<string> chain, IReadOnlyList<double> thresholds, IReadOnlyList<ModelFigures> models,
        IReadOnlyList<Acceptor>? acceptors = null, IReadOnlyList<double>? reach = null, double? expectedQuality = null,
        double? expectedCostUsd = null, string? bestModel = null, double? margin = null, ConfidenceScale? scale = null,
        QualityBoundFigures? bound = null, IReadOnlyList<double>? agreement = null)
    {
        Agreement = agreement;
        Bound = bound;
        Scale = scale;
        Task = task ?? throw new ArgumentNullException(nameof(task));
        Chain = chain ?? throw new ArgumentNullException(nameof(chain));
        Thresholds = thresholds ?? throw new ArgumentNullException(nameof(thresholds));
        Models = models ?? throw new ArgumentNullException(nameof(models));
        Acceptors = acceptors;
        Reach = reach;
        ExpectedQuality = expectedQuality;
        ExpectedCostUsd = expectedCostUsd;
        BestModel = bestModel;
        Margin = margin;
    }

    /// <summary>
    /// The scale of <see cref="Thresholds"/> as written in the file (<c>"confidenceScale"</c>), or null when the file
    /// does not say; then thresholds below 0 mean log-probabilities and others 0–1 scores (<see cref="EffectiveScale"/>).
    /// </summary>
    public ConfidenceScale? Scale { get; }

    /// <summary>The scale the thresholds are on: <see cref="Scale"/>, else log-probabilities when any threshold is below 0, else 0–1 scores.</summary>
    public ConfidenceScale EffectiveScale => Scale ?? (Thresholds.Any(t => t < 0) ? ConfidenceScale.LogProbability : ConfidenceScale.Probability);

    /// <summary>The threshold of a chain position as a log-probability, the scale the evaluator compares on.</summary>
    public double LogThreshold(int position) => ConfidenceScales.ToLogThreshold(Thresholds[position], EffectiveScale);

    /// <summary>The task's name (as in <c>RoutePlan.TaskName</c> when a plan is to use it).</summary>
    public string Task { get; }

    /// <summary>Models (tiers) in call order, cheapest first.</summary>
    public IReadOnlyList<string> Chain { get; }

    /// <summary>Raw-confidence acceptance thresholds, one per chain position but the last.</summary>
    public IReadOnlyList<double> Thresholds { get; }

    /// <summary>Measured quality and mean USD per call of every model measured (not only those in the chain).</summary>
    public IReadOnlyList<ModelFigures> Models { get; }

    /// <summary>Acceptors per chain position but the last, or null to use <see cref="Thresholds"/>.</summary>
    public IReadOnlyList<Acceptor>? Acceptors { get; }

    /// <summary>Share of queries that reach each chain position (1 for the first), or null when unknown.</summary>
    public IReadOnlyList<double>? Reach { get; }

    /// <summary>Measured quality of the cascade on the data it was fitted on, or null.</summary>
    public double? ExpectedQuality { get; }

    /// <summary>Measured mean USD per query of the cascade, or null.</summary>
    public double? ExpectedCostUsd { get; }

    /// <summary>The reference model the target was relative to, or null.</summary>
    public string? BestModel { get; }

    /// <summary>The safety margin added to the target when fitting, or null.</summary>
    public double? Margin { get; }

    /// <summary>The finite-sample lower bound on the plan's relative quality the calibration kept, or null (none recorded).</summary>
    public QualityBoundFigures? Bound { get; }

    /// <summary>
    /// Per chain position but the last, the share of the answers the plan accepted there that agreed with the last tier's
    /// answer on the calibration data (NaN: the position accepted none), or null (not recorded). The shadow guardrail's
    /// baseline: with it a position is guarded from its first comparisons instead of learning its baseline online.
    /// </summary>
    public IReadOnlyList<double>? Agreement { get; }

    /// <summary>The measured figures of a model, or null.</summary>
    public ModelFigures? FindModel(string model) => Models.FirstOrDefault(m => string.Equals(m.Model, model, StringComparison.Ordinal));

    /// <summary>Value equality over every member (lists element by element), so that a calibration can flow through an incremental pipeline.</summary>
    public bool Equals(TaskCalibration? other) => other is not null
        && Task == other.Task
        && Chain.SequenceEqual(other.Chain)
        && Thresholds.SequenceEqual(other.Thresholds)
        && Models.SequenceEqual(other.Models)
        && SameList(Acceptors, other.Acceptors)
        && SameList(Reach, other.Reach)
        && Nullable.Equals(ExpectedQuality, other.ExpectedQuality)
        && Nullable.Equals(ExpectedCostUsd, other.ExpectedCostUsd)
        && BestModel == other.BestModel
        && Nullable.Equals(Margin, other.Margin)
        && Nullable.Equals(Scale, other.Scale)
        && Equals(Bound, other.Bound)
        && SameList(Agreement, other.Agreement);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TaskCalibration);

    /// <inheritdoc />
    public override int GetHashCode() => unchecked((Task.GetHashCode() * 31 + Chain.Count) * 31 + Thresholds.Count);

    internal static bool SameList<T>(IReadOnlyList<T>? a, IReadOnlyList<T>? b) => a is null ? b is null : b is not null && a.SequenceEqual(b);
}

/// <summary>A calibration file's content: one <see cref="TaskCalibration"/> per task, and the target it was fitted for.</summary>
internal sealed class RoutingCalibration : IEquatable<RoutingCalibration>
{
    /// <summary>Creates a calibration.</summary>
    public RoutingCalibration(IReadOnlyList<TaskCalibration> tasks, double? target = null)
    {
        Tasks = tasks ?? throw new ArgumentNullException(nameof(tasks));
        Target = target;
    }

    /// <summary>The tasks, in file order.</summary>
    public IReadOnlyList<TaskCalibration> Tasks { get; }

    /// <summary>The relative quality target the file was fitted for, or null.</summary>
    public double? Target { get; }

    /// <summary>The calibration of a task (ordinal name match; the first entry of a name), or null.</summary>
    public TaskCalibration? Find(string task)
    {
        if (task is null) return null;
        return (_byName ??= Index(Tasks)).TryGetValue(task, out var found) ? found : null;
    }

    /// <summary>The tasks by name, built on the first <see cref="Find"/>: a lookup per task of a compilation, not a scan of the file.</summary>
    private Dictionary<string, TaskCalibration>? _byName;

    private static Dictionary<string, TaskCalibration> Index(IReadOnlyList<TaskCalibration> tasks)
    {
        var byName = new Dictionary<string, TaskCalibration>(tasks.Count, StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            if (!byName.ContainsKey(task.Task)) byName.Add(task.Task, task);
        }

        return byName;
    }

    /// <summary>Value equality: the same target and the same tasks in the same order.</summary>
    public bool Equals(RoutingCalibration? other) => other is not null && Nullable.Equals(Target, other.Target) && Tasks.SequenceEqual(other.Tasks);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as RoutingCalibration);

    /// <inheritdoc />
    public override int GetHashCode() => unchecked(Tasks.Count * 397 ^ (Target?.GetHashCode() ?? 0));
}
