using System;
using System.Threading;
using System.Threading.Tasks;

namespace RoutingSdk;

/// <summary>
/// Where the shadow guardrail keeps, per task and chain position, the window of its latest shadow comparisons, the
/// position's baseline agreement and its level. The default, <see cref="InProcessAgreementStatistics"/>, is this process's;
/// RoutingSdk.Redis shares them across replicas, so that every replica's comparisons feed one estimate and a position that
/// tightens is tightened on all. Set <see cref="ShadowOptions.Statistics"/>, or register an <see cref="IAgreementStatistics"/> service.
/// </summary>
/// <remarks>
/// The store keeps numbers; the router applies the guardrail's rule to them. After each comparison it calls
/// <see cref="AddAsync"/>, decides on the state that returns, and when the decision changes the position it calls
/// <see cref="TryApplyAsync"/>, which applies only if no other decision changed the position since (its
/// <see cref="AgreementState.Generation"/>): two replicas that decide on the same evidence tighten once.
/// <see cref="GetLevel"/> is asked on the routing path: it must answer from memory, without allocating or blocking, and never
/// throw. The asynchronous methods are called off the caller's path, after a shadow call; an exception from them counts the
/// shadow call as failed.
/// </remarks>
public interface IAgreementStatistics
{
    /// <summary>The level <paramref name="position"/> of <paramref name="taskName"/> is tightened by (0: as calibrated, or unknown).</summary>
    int GetLevel(string taskName, int position);

    /// <summary>
    /// Adds one comparison (<paramref name="agreed"/>: the accepted answer agreed with the last tier's) to the window of
    /// <paramref name="position"/> of <paramref name="taskName"/>, which keeps the latest <paramref name="window"/>
    /// comparisons, and returns the position's state with it, atomically.
    /// </summary>
    ValueTask<AgreementState> AddAsync(string taskName, int position, bool agreed, int window, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies a decision taken on <paramref name="observed"/>, when the position's generation is still
    /// <paramref name="observed"/>'s: records <paramref name="baseline"/> when the position has none yet, and when
    /// <paramref name="level"/> differs from the observed level sets it and starts a new, empty window (the next generation).
    /// Returns whether it applied.
    /// </summary>
    ValueTask<bool> TryApplyAsync(string taskName, int position, AgreementState observed, int level, double baseline, CancellationToken cancellationToken = default);
}

/// <summary>The state of one task's chain position in the guardrail's statistics (<see cref="IAgreementStatistics"/>).</summary>
public readonly struct AgreementState : IEquatable<AgreementState>
{
    /// <summary>Creates a state.</summary>
    public AgreementState(long generation, int level, double baseline, int samples, int agreements)
    {
        Generation = generation;
        Level = level;
        Baseline = baseline;
        Samples = samples;
        Agreements = agreements;
    }

    /// <summary>How many times the position's level has changed: each change starts a new window.</summary>
    public long Generation { get; }

    /// <summary>The level the position is tightened by (0: as calibrated).</summary>
    public int Level { get; }

    /// <summary>The agreement of the position's first full window (NaN while it has none).</summary>
    public double Baseline { get; }

    /// <summary>The comparisons in the window.</summary>
    public int Samples { get; }

    /// <summary>How many of them agreed.</summary>
    public int Agreements { get; }

    /// <inheritdoc />
    public bool Equals(AgreementState other)
        => Generation == other.Generation && Level == other.Level && Baseline.Equals(other.Baseline) && Samples == other.Samples && Agreements == other.Agreements;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is AgreementState other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => ((int)Generation * 397) ^ (Level * 31) ^ Baseline.GetHashCode() ^ (Samples << 8) ^ Agreements;

    /// <summary>Whether two states are equal.</summary>
    public static bool operator ==(AgreementState left, AgreementState right) => left.Equals(right);

    /// <summary>Whether two states differ.</summary>
    public static bool operator !=(AgreementState left, AgreementState right) => !left.Equals(right);
}
