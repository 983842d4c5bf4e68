using System;
using System.Collections.Generic;
using System.Linq;

namespace RoutingSdk.Planning.Calibration;

/// <summary>
/// How one chain position decides to accept its answer from more than its own confidence: a logistic model of the
/// probability that the answer is right, and the probability the answer needs. Accept when
/// <see cref="Probability"/> ≥ <see cref="MinProbability"/>; below <see cref="SkipBelow"/> go straight to the chain's
/// last tier; otherwise escalate to the next tier. A missing confidence always escalates to the next tier.
/// </summary>
/// <remarks>
/// The features at chain position k (see <see cref="Features(IReadOnlyList{double}, IReadOnlyList{string}, double, int)"/>) are, in order: the tier's confidence c (a
/// log-probability, floored at <see cref="ConfidenceFloor"/>); its doubt ln(1 − e^c) (floored at <see cref="DoubtFloor"/>,
/// it spreads the confidences near 0); ln(1 + its output tokens) (0 when not recorded); then, for each earlier position
/// j &lt; k, three values: 1 when tier j gave the same answer (else 0), e^(c_j) when it agreed (else 0), and e^(c_j)
/// when it disagreed (else 0). So position k has 3 + 3k weights.
/// </remarks>
public sealed class Acceptor : IEquatable<Acceptor>
{
    // The weights as an array, for the router's allocation-free probability (Weights is the caller's list).
    private readonly double[] _weights;

    /// <summary>Confidences are floored at this value before use (log-probabilities can be very negative).</summary>
    public const double ConfidenceFloor = -10;

    /// <summary>The doubt of a confidence of 0 (certainty): ln(1e-6).</summary>
    public const double DoubtFloor = -13.815510557964274;

    /// <summary>Creates an acceptor.</summary>
    /// <param name="bias">The intercept.</param>
    /// <param name="weights">One weight per feature (3 + 3 × the chain position).</param>
    /// <param name="minProbability">The probability of being right an answer needs to be accepted.</param>
    public Acceptor(double bias, IReadOnlyList<double> weights, double minProbability)
        : this(bias, weights, minProbability, 0)
    {
    }

    /// <summary>Creates an acceptor that may also send an answer it trusts very little straight to the chain's last tier.</summary>
    /// <param name="bias">The intercept.</param>
    /// <param name="weights">One weight per feature (3 + 3 × the chain position).</param>
    /// <param name="minProbability">The probability of being right an answer needs to be accepted.</param>
    /// <param name="skipBelow">
    /// Below this probability the query skips the positions between this one and the chain's last tier (0: never skips).
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="skipBelow"/> is not between 0 and 1.</exception>
    public Acceptor(double bias, IReadOnlyList<double> weights, double minProbability, double skipBelow)
    {
        Bias = bias;
        Weights = weights ?? throw new ArgumentNullException(nameof(weights));
        _weights = weights.ToArray();
        MinProbability = minProbability;
        if (!(skipBelow >= 0 && skipBelow <= 1)) throw new ArgumentOutOfRangeException(nameof(skipBelow), skipBelow, "the skip level is a probability between 0 and 1");
        SkipBelow = skipBelow;
    }

    /// <summary>The intercept.</summary>
    public double Bias { get; }

    /// <summary>One weight per feature, in the order of <see cref="Features(IReadOnlyList{double}, IReadOnlyList{string}, double, int)"/>.</summary>
    public IReadOnlyList<double> Weights { get; }

    /// <summary>The probability of being right the answer needs to be accepted.</summary>
    public double MinProbability { get; }

    /// <summary>
    /// Below this probability of being right the answer is not worth a middle tier's second opinion: the query goes
    /// straight to the chain's last tier (when this position is not already the one before it). 0 never skips; an answer
    /// that is accepted (<see cref="MinProbability"/>) is never skipped, whatever this level.
    /// </summary>
    public double SkipBelow { get; }

    /// <summary>The chain position this acceptor serves, from its number of weights; -1 when the count fits none.</summary>
    public int Position => Weights.Count >= 3 && (Weights.Count - 3) % 3 == 0 ? (Weights.Count - 3) / 3 : -1;

    /// <summary>Number of features at a chain position.</summary>
    public static int FeatureCount(int position) => 3 + 3 * position;

    /// <summary>ln(1 − e^c), floored at <see cref="DoubtFloor"/>.</summary>
    public static double Doubt(double confidence) => Math.Max(Math.Log(Math.Max(1 - Math.Exp(confidence), 0)), DoubtFloor);

    /// <summary>The probability that the answer is right, from the features of its position.</summary>
    public double Probability(IReadOnlyList<double> features)
    {
        if (features is null) throw new ArgumentNullException(nameof(features));
        var z = Bias;
        var count = Math.Min(features.Count, Weights.Count);
        for (var i = 0; i < count; i++) z += Weights[i] * features[i];
        return 1 / (1 + Math.Exp(-z));
    }

    /// <summary>
    /// The probability that the answer at <paramref name="position"/> is right, from what the tiers called so far answered,
    /// without building the feature vector (the router's hot path): the same value as <see cref="Probability"/> of
    /// <see cref="Features(IReadOnlyList{double}, IReadOnlyList{string}, double, int)"/>, or NaN where those features are null.
    /// </summary>
    /// <param name="confidences">Per chain position up to <paramref name="position"/>: the confidence as a log-probability; NaN when unknown or not called.</param>
    /// <param name="answers">Per chain position up to <paramref name="position"/>: the answer key; null when none.</param>
    /// <param name="outputTokens">The output tokens of the tier at <paramref name="position"/>; NaN when not reported.</param>
    /// <param name="position">The chain position deciding.</param>
    internal double ProbabilityAt(double[] confidences, string?[] answers, double outputTokens, int position)
    {
        if (confidences is null) throw new ArgumentNullException(nameof(confidences));
        if (answers is null) throw new ArgumentNullException(nameof(answers));
        if (position < 0 || position >= confidences.Length || position >= answers.Length) throw new ArgumentOutOfRangeException(nameof(position));
        var c = confidences[position];
        if (double.IsNaN(c)) return double.NaN;
        var w = _weights;
        var count = Math.Min(FeatureCount(position), w.Length);
        // Summed in the order of Probability(features), so that both give the same bits.
        var z = Start(c, outputTokens, count);
        var answer = answers[position];
        for (var j = 0; j < position && 3 + 3 * j < count; j++)
        {
            var oc = confidences[j];
            var op = double.IsNaN(oc) ? 0 : Math.Exp(Math.Max(oc, ConfidenceFloor));
            var agrees = answer is not null && string.Equals(answer, answers[j], StringComparison.Ordinal);
            z += w[3 + 3 * j] * (agrees ? 1 : 0);
            if (4 + 3 * j < count) z += w[4 + 3 * j] * (agrees ? op : 0);
            if (5 + 3 * j < count) z += w[5 + 3 * j] * (agrees ? 0 : op);
        }

        return 1 / (1 + Math.Exp(-z));
    }

    /// <summary>
    /// The probability that the answer at chain position 0 (no earlier tier) is right, from its confidence (a
    /// log-probability; NaN gives NaN) and output tokens (NaN when not reported). Allocates nothing.
    /// </summary>
    internal double FirstPositionProbability(double confidence, double outputTokens)
    {
        if (double.IsNaN(confidence)) return double.NaN;
        return 1 / (1 + Math.Exp(-Start(confidence, outputTokens, Math.Min(3, _weights.Length))));
    }

    /// <summary>The bias plus the weighted first three features (the position's own confidence, doubt and length).</summary>
    private double Start(double confidence, double outputTokens, int count)
    {
        var w = _weights;
        var c = Math.Max(confidence, ConfidenceFloor);
        var z = Bias;
        if (count > 0) z += w[0] * c;
        // Exact shortcuts for the common cases, so that the router's hot path pays for few logarithms: the doubt of
        // certainty (c = 0) is the floor, and ln(1 + n) of a short answer's token count comes from a table made with the
        // same Math.Log.
        if (count > 1) z += w[1] * (c >= 0 ? DoubtFloor : Doubt(c));
        if (count > 2) z += w[2] * LengthFeature(outputTokens);
        return z;
    }

    private static readonly double[] ShortLengths = Enumerable.Range(0, 256).Select(n => Math.Log(1 + (double)n)).ToArray();

    /// <summary>ln(1 + output tokens), 0 when not reported.</summary>
    private static double LengthFeature(double outputTokens)
    {
        if (double.IsNaN(outputTokens)) return 0;
        if (outputTokens >= 0 && outputTokens < ShortLengths.Length && outputTokens == Math.Floor(outputTokens)) return ShortLengths[(int)outputTokens];
        return Math.Log(1 + Math.Max(0, outputTokens));
    }

    /// <summary>Whether the answer is accepted.</summary>
    internal bool Accepts(IReadOnlyList<double> features) => Probability(features) >= MinProbability;

    /// <summary>
    /// What to do with an answer of the given probability of being right (see <see cref="Probability"/>): accept at
    /// <see cref="MinProbability"/> or above, skip to the last tier below <see cref="SkipBelow"/>, else (NaN too) escalate.
    /// </summary>
    public AcceptanceDecision Decide(double probability)
        => probability >= MinProbability ? AcceptanceDecision.Accept : probability < SkipBelow ? AcceptanceDecision.SkipToLast : AcceptanceDecision.Escalate;

    /// <summary>
    /// The lowest raw confidence at which this acceptor accepts with no help from earlier tiers (none of them agreeing,
    /// none reporting a confidence), scanned in steps of 0.001 down from 0; 1 (never) when it does not accept even at 0.
    /// A rough one-confidence reading of the acceptor, not a plan of the same quality: the calibrator writes the router's
    /// thresholds from a search on the confidence alone instead (docs/calibration.md). The output-length feature is held at
    /// <paramref name="typicalLengthFeature"/> (the position's mean ln(1 + output tokens)), so that an acceptor that
    /// leans on answer length does not read as accepting everything.
    /// </summary>
    internal double RawThreshold(double typicalLengthFeature = 0)
    {
        var threshold = 1.0;
        var features = new double[Weights.Count];
        if (features.Length > 2) features[2] = typicalLengthFeature;
        for (var c = 0.0; c >= ConfidenceFloor - 1e-9; c -= 0.001)
        {
            features[0] = c;
            if (features.Length > 1) features[1] = Doubt(c);
            if (!Accepts(features)) break;
            threshold = Math.Round(c, 3);
        }

        return threshold;
    }

    /// <summary>
    /// The features at chain position <paramref name="position"/> from what the tiers called so far answered, or null
    /// when that position's tier has no confidence (which escalates). This is what the router computes at run time.
    /// </summary>
    /// <param name="confidences">Per chain position up to <paramref name="position"/>: the tier's confidence as a log-probability (a 0–1 score s as ln s); NaN when unknown or not called.</param>
    /// <param name="answers">Per chain position up to <paramref name="position"/>: the answer in the form of <see cref="AnswerKey.Normalize"/>; null when none.</param>
    /// <param name="outputTokens">The output tokens of the tier at <paramref name="position"/>; NaN when not reported.</param>
    /// <param name="position">The chain position deciding.</param>
    public static double[]? Features(IReadOnlyList<double> confidences, IReadOnlyList<string?> answers, double outputTokens, int position)
    {
        if (confidences is null) throw new ArgumentNullException(nameof(confidences));
        if (answers is null) throw new ArgumentNullException(nameof(answers));
        if (position < 0 || position >= confidences.Count || position >= answers.Count) throw new ArgumentOutOfRangeException(nameof(position));
        var c = confidences[position];
        if (double.IsNaN(c)) return null;
        c = Math.Max(c, ConfidenceFloor);
        var x = new double[FeatureCount(position)];
        x[0] = c;
        x[1] = Doubt(c);
        x[2] = double.IsNaN(outputTokens) ? 0 : Math.Log(1 + Math.Max(0, outputTokens));
        var answer = answers[position];
        for (var j = 0; j < position; j++)
        {
            var oc = confidences[j];
            var op = double.IsNaN(oc) ? 0 : Math.Exp(Math.Max(oc, ConfidenceFloor));
            var agrees = answer is not null && string.Equals(answer, answers[j], StringComparison.Ordinal);
            x[3 + 3 * j] = agrees ? 1 : 0;
            x[4 + 3 * j] = agrees ? op : 0;
            x[5 + 3 * j] = agrees ? 0 : op;
        }

        return x;
    }

    /// <summary>The same acceptor with another <see cref="MinProbability"/>.</summary>
    internal Acceptor WithMinProbability(double minProbability) => new(Bias, Weights, minProbability, SkipBelow);

    /// <summary>The same acceptor with another <see cref="SkipBelow"/>.</summary>
    internal Acceptor WithSkipBelow(double skipBelow) => new(Bias, Weights, MinProbability, skipBelow);

    /// <inheritdoc />
    public bool Equals(Acceptor? other) => other is not null && Bias.Equals(other.Bias) && Weights.SequenceEqual(other.Weights)
        && MinProbability.Equals(other.MinProbability) && SkipBelow.Equals(other.SkipBelow);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Acceptor);

    /// <inheritdoc />
    public override int GetHashCode() => unchecked(Bias.GetHashCode() * 31 + MinProbability.GetHashCode());
}

/// <summary>What an <see cref="Acceptor"/> decides about one answer.</summary>
public enum AcceptanceDecision
{
    /// <summary>Reject the answer and ask the chain's next tier.</summary>
    Escalate,

    /// <summary>Accept the answer.</summary>
    Accept,

    /// <summary>Reject the answer and go straight to the chain's last tier, skipping the ones between.</summary>
    SkipToLast,
}
