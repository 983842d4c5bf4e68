using System;

namespace RoutingSdk.Planning.Calibration;

/// <summary>
/// How one chain position decides to accept its answer from more than its own confidence: a logistic model of the
/// probability that the answer is right, from the tier's confidence and the answers and confidences of the tiers
/// already tried, and the probability the answer needs. Accept when <see cref="Probability"/> ≥ <see cref="MinProbability"/>.
/// A missing confidence always escalates.
/// </summary>
public sealed class Acceptor : IEquatable<Acceptor>
{
    /// <summary>The doubt of a confidence of 0 (certainty): ln(1e-6).</summary>
    public const double DoubtFloor = -13.815510557964274;

    /// <summary>ln(1 − exp(c)), floored at <see cref="DoubtFloor"/>.</summary>
    public static double Doubt(double confidence) => Math.Max(Math.Log(Math.Max(-Math.Exp(confidence) + 1, 0)), DoubtFloor);

    /// <summary>Confidences are clipped to this floor before use (log-probabilities can be very negative).</summary>
    public const double ConfidenceFloor = -10;

    /// <summary>Creates an acceptor.</summary>
    public Acceptor(double bias, double confidence, double doubt, double agreement, double agreeingProbability,
        double disagreeingProbability, double minProbability)
    {
        Bias = bias;
        ConfidenceWeight = confidence;
        DoubtWeight = doubt;
        AgreementWeight = agreement;
        AgreeingProbabilityWeight = agreeingProbability;
        DisagreeingProbabilityWeight = disagreeingProbability;
        MinProbability = minProbability;
    }

    /// <summary>The intercept.</summary>
    public double Bias { get; }

    /// <summary>Weight of the tier's confidence (log-probability, clipped at <see cref="ConfidenceFloor"/>).</summary>
    public double ConfidenceWeight { get; }

    /// <summary>Weight of the doubt, ln(1 − exp(confidence)) floored at <see cref="DoubtFloor"/>: it spreads the confidences near 0.</summary>
    public double DoubtWeight { get; }

    /// <summary>Weight of the number of tiers already tried whose answer equals this tier's.</summary>
    public double AgreementWeight { get; }

    /// <summary>Weight of the summed exp(confidence) of the earlier tiers that agree.</summary>
    public double AgreeingProbabilityWeight { get; }

    /// <summary>Weight of the summed exp(confidence) of the earlier tiers that disagree.</summary>
    public double DisagreeingProbabilityWeight { get; }

    /// <summary>The probability of being right the answer needs to be accepted.</summary>
    public double MinProbability { get; }

    /// <summary>Number of features (without the intercept).</summary>
    internal const int FeatureCount = 5;

    /// <summary>The probability that the answer is right.</summary>
    public double Probability(in AcceptanceSignals signals)
    {
        var z = Bias + ConfidenceWeight * signals.Confidence + DoubtWeight * signals.Doubt + AgreementWeight * signals.Agreement
            + AgreeingProbabilityWeight * signals.AgreeingProbability + DisagreeingProbabilityWeight * signals.DisagreeingProbability;
        return 1 / (1 + Math.Exp(-z));
    }

    /// <summary>Whether the answer is accepted.</summary>
    public bool Accepts(in AcceptanceSignals signals) => Probability(signals) >= MinProbability;

    /// <summary>The same acceptor with another <see cref="MinProbability"/>.</summary>
    public Acceptor WithMinProbability(double minProbability) => new(Bias, ConfidenceWeight, DoubtWeight, AgreementWeight,
        AgreeingProbabilityWeight, DisagreeingProbabilityWeight, minProbability);

    /// <summary>
    /// The lowest raw confidence at which this acceptor accepts with no help from earlier tiers (no agreement), scanned
    /// in steps of 0.001 over [<see cref="ConfidenceFloor"/>, 0]; above 0 (never) when it accepts nowhere. This is the
    /// threshold a runtime that sees one confidence applies: never looser than the acceptor itself on a first answer.
    /// </summary>
    public double RawThreshold()
    {
        var threshold = 1.0;
        for (var c = 0.0; c >= ConfidenceFloor - 1e-9; c -= 0.001)
        {
            if (!Accepts(new AcceptanceSignals(c, Doubt(c), 0, 0, 0))) break;
            threshold = Math.Round(c, 3);
        }

        return threshold;
    }

    /// <inheritdoc />
    public bool Equals(Acceptor? other) => other is not null && Bias.Equals(other.Bias) && ConfidenceWeight.Equals(other.ConfidenceWeight)
        && DoubtWeight.Equals(other.DoubtWeight) && AgreementWeight.Equals(other.AgreementWeight)
        && AgreeingProbabilityWeight.Equals(other.AgreeingProbabilityWeight)
        && DisagreeingProbabilityWeight.Equals(other.DisagreeingProbabilityWeight) && MinProbability.Equals(other.MinProbability);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Acceptor);

    /// <inheritdoc />
    public override int GetHashCode() => unchecked(Bias.GetHashCode() * 31 + MinProbability.GetHashCode());
}

/// <summary>What a chain position knows when it decides: its own confidence and what the earlier tiers said.</summary>
public readonly struct AcceptanceSignals
{
    /// <summary>Creates the signals.</summary>
    public AcceptanceSignals(double confidence, double doubt, double agreement, double agreeingProbability, double disagreeingProbability)
    {
        Confidence = confidence;
        Doubt = doubt;
        Agreement = agreement;
        AgreeingProbability = agreeingProbability;
        DisagreeingProbability = disagreeingProbability;
    }

    /// <summary>The tier's confidence, clipped at <see cref="Acceptor.ConfidenceFloor"/>.</summary>
    public double Confidence { get; }

    /// <summary>ln(1 − exp(confidence)), floored at <see cref="Acceptor.DoubtFloor"/>.</summary>
    public double Doubt { get; }

    /// <summary>Earlier tiers with the same answer.</summary>
    public double Agreement { get; }

    /// <summary>Summed exp(confidence) of the earlier tiers that agree.</summary>
    public double AgreeingProbability { get; }

    /// <summary>Summed exp(confidence) of the earlier tiers that disagree.</summary>
    public double DisagreeingProbability { get; }

    /// <summary>The signals as a feature vector (without intercept).</summary>
    internal void CopyTo(double[] x)
    {
        x[0] = Confidence;
        x[1] = Doubt;
        x[2] = Agreement;
        x[3] = AgreeingProbability;
        x[4] = DisagreeingProbability;
    }

    /// <summary>
    /// The signals at position <paramref name="position"/> of <paramref name="chain"/> (model indexes) for one query, or
    /// false when the tier recorded no confidence (which escalates).
    /// </summary>
    public static bool TryGet(TaskOutcomes data, int query, int[] chain, int position, out AcceptanceSignals signals)
    {
        var model = chain[position];
        var c = data.Confidence[query][model];
        if (double.IsNaN(c))
        {
            signals = default;
            return false;
        }

        c = Math.Max(c, Acceptor.ConfidenceFloor);
        var answer = data.Answers[query][model];
        double agree = 0, agreeP = 0, disagreeP = 0;
        for (var j = 0; j < position; j++)
        {
            var other = chain[j];
            var oc = data.Confidence[query][other];
            var op = double.IsNaN(oc) ? 0 : Math.Exp(Math.Max(oc, Acceptor.ConfidenceFloor));
            if (answer is not null && string.Equals(answer, data.Answers[query][other], StringComparison.Ordinal))
            {
                agree++;
                agreeP += op;
            }
            else
            {
                disagreeP += op;
            }
        }

        signals = new AcceptanceSignals(c, Acceptor.Doubt(c), agree, agreeP, disagreeP);
        return true;
    }
}
