using System;
using System.Collections.Generic;
using System.Threading;

namespace RoutingSdk.Planning.Guardrail;

/// <summary>
/// The guardrail's state of one task: per chain position below the last, its baseline agreement (recorded by the
/// calibration, else its first full window of comparisons), its level (0: as calibrated) and the window of its shadow
/// comparisons since its last change; the count of eligible calls that drives the sampling, and how often the task tightened. Thread-safe: levels are read without a lock,
/// comparisons are recorded under one.
/// </summary>
internal sealed class TaskGuard
{
    private readonly GuardSettings _settings;
    private readonly AgreementWindow[] _windows;
    private readonly int[] _levels;
    private readonly double[] _lowerBounds;
    private readonly double[] _baselines;
    private long _eligible;
    private long _tightenings;

    /// <summary>
    /// Creates the state of a task whose chain has <paramref name="positions"/> positions (the last is never guarded).
    /// <paramref name="baselines"/>: per position, the agreement its accepted answers had with the last tier on the
    /// calibration data (<c>"agreement"</c> in the calibration file); a position without one (null, short, or NaN) learns
    /// it from its first full window.
    /// </summary>
    public TaskGuard(int positions, GuardSettings settings, IReadOnlyList<double>? baselines = null)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        var guarded = Math.Max(0, positions - 1);
        _windows = new AgreementWindow[guarded];
        for (var i = 0; i < guarded; i++) _windows[i] = new AgreementWindow(settings.Window);
        _levels = new int[guarded];
        _lowerBounds = new double[guarded];
        _baselines = new double[guarded];
        for (var i = 0; i < guarded; i++)
        {
            _lowerBounds[i] = double.NaN;
            _baselines[i] = baselines is not null && i < baselines.Count ? baselines[i] : double.NaN;
        }
    }

    /// <summary>The settings the task is guarded with.</summary>
    public GuardSettings Settings => _settings;

    /// <summary>The positions guarded: every chain position but the last.</summary>
    public int Positions => _levels.Length;

    /// <summary>How many times a position of the task tightened.</summary>
    public long Tightenings => Interlocked.Read(ref _tightenings);

    /// <summary>Whether any position is tightened now.</summary>
    public bool Tightened
    {
        get
        {
            for (var i = 0; i < _levels.Length; i++)
            {
                if (Volatile.Read(ref _levels[i]) > 0) return true;
            }

            return false;
        }
    }

    /// <summary>The level of <paramref name="position"/> (0 for the last position or one outside the chain).</summary>
    public int Level(int position) => position >= 0 && position < _levels.Length ? Volatile.Read(ref _levels[position]) : 0;

    /// <summary>The acceptance minimum <paramref name="position"/> applies now: <paramref name="minimum"/> tightened by its level.</summary>
    public double Minimum(int position, double minimum, bool logScale) => GuardRule.Minimum(minimum, Level(position), _settings.MaxLevel, logScale);

    /// <summary>Whether an answer of <paramref name="value"/> rejected at <paramref name="position"/> is a probe (<see cref="GuardRule.Probes"/>).</summary>
    public bool Probes(int position, double value, double minimum, bool logScale) => GuardRule.Probes(value, minimum, Level(position), _settings.MaxLevel, logScale);

    /// <summary>
    /// Counts a call accepted below the last tier and says whether it is shadowed at <paramref name="rate"/>
    /// (<see cref="GuardRule.Sampled"/>: evenly spaced over the task's eligible calls).
    /// </summary>
    public bool NextIsShadowed(double rate) => GuardRule.Sampled(Interlocked.Increment(ref _eligible) - 1, rate);

    /// <summary>
    /// Records whether the answer accepted at <paramref name="position"/> agreed with the last tier's, and applies
    /// <see cref="GuardRule.Step"/>: on a change of level the window starts over. Returns the change (none when the level stayed).
    /// </summary>
    public GuardChange Record(int position, bool agreed)
    {
        if (position < 0 || position >= _levels.Length) return default;
        lock (_windows)
        {
            var window = _windows[position];
            window.Add(agreed);
            var step = GuardRule.Step(_levels[position], _baselines[position], window.Count, window.Agreements, _settings);
            _baselines[position] = step.Baseline;
            var change = step.Change.At(position);
            if (!double.IsNaN(change.LowerBound)) _lowerBounds[position] = change.LowerBound;
            if (!step.Restart) return change;
            Volatile.Write(ref _levels[position], change.To);
            if (change.Tightened) Interlocked.Increment(ref _tightenings);
            window.Clear();
            return change;
        }
    }

    /// <summary>
    /// The agreement of <paramref name="position"/>'s window, its latest lower bound (NaN before it had enough comparisons)
    /// and its baseline (the recorded one, else NaN before its first full window).
    /// </summary>
    public (int Samples, double Agreement, double LowerBound, double Baseline) Estimate(int position)
    {
        if (position < 0 || position >= _levels.Length) return (0, double.NaN, double.NaN, double.NaN);
        lock (_windows)
        {
            var window = _windows[position];
            return (window.Count, window.Agreement, _lowerBounds[position], _baselines[position]);
        }
    }
}

/// <summary>What recording one shadow comparison did to a position's level.</summary>
internal readonly struct GuardChange
{
    /// <summary>Creates a change.</summary>
    public GuardChange(int position, int from, int to, int samples, double agreement, double lowerBound, double required = double.NaN, double upperBound = double.NaN)
    {
        UpperBound = upperBound;
        Required = required;
        Position = position;
        From = from;
        To = to;
        Samples = samples;
        Agreement = agreement;
        LowerBound = lowerBound;
    }

    /// <summary>The chain position.</summary>
    public int Position { get; }

    /// <summary>Its level before.</summary>
    public int From { get; }

    /// <summary>Its level after.</summary>
    public int To { get; }

    /// <summary>The comparisons the decision was taken on.</summary>
    public int Samples { get; }

    /// <summary>Their share of agreements.</summary>
    public double Agreement { get; }

    /// <summary>The lower bound of the agreement, which relaxes when it reaches the need (NaN: too few comparisons to decide).</summary>
    public double LowerBound { get; }

    /// <summary>The upper bound of the agreement, which tightens when it is below the need (NaN: too few comparisons to decide).</summary>
    public double UpperBound { get; }

    /// <summary>The agreement the position needed (NaN before its baseline).</summary>
    public double Required { get; }

    /// <summary>Whether the position tightened.</summary>
    public bool Tightened => To > From;

    /// <summary>Whether the position relaxed.</summary>
    public bool Relaxed => To < From;

    /// <summary>The same change, of chain position <paramref name="position"/>.</summary>
    public GuardChange At(int position) => new(position, From, To, Samples, Agreement, LowerBound, Required, UpperBound);
}

/// <summary>What <see cref="GuardRule.Step"/> decided for a position: its change of level and its baseline after the step.</summary>
internal readonly struct GuardStep
{
    /// <summary>Creates a step.</summary>
    public GuardStep(GuardChange change, double baseline)
    {
        Change = change;
        Baseline = baseline;
    }

    /// <summary>The change of level (none when it stayed); its position is 0 until <see cref="GuardChange.At"/> sets it.</summary>
    public GuardChange Change { get; }

    /// <summary>The position's baseline after the step (NaN while it has none).</summary>
    public double Baseline { get; }

    /// <summary>Whether the level changed, so that the position's window starts over.</summary>
    public bool Restart => Change.To != Change.From;
}
