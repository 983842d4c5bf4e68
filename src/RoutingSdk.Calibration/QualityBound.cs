using System;
using System.Collections.Generic;

namespace RoutingSdk.Calibration;

/// <summary>
/// Finite-sample lower confidence bounds on a plan's quality relative to single models, from paired per-query
/// correctness. With a = the plan's correctness on a query and b = a model's, d = a − target·b lies in [−target, 1];
/// "the plan keeps the target against that model" is E[d] ≥ 0. The bound on E[d] is the predictable plug-in
/// empirical-Bernstein bound for a fixed sample size (Waudby-Smith and Ramdas, "Estimating means of bounded random
/// variables by betting", 2023): valid at every sample size for independent draws of one distribution, with no normal
/// approximation, and close to the normal one when the variance is small (a plan that changes few of the best model's
/// answers); or, with <see cref="QualityBoundMethod.Betting"/>, the betting bound of the same paper
/// (QualityBound.Betting.cs). See docs/calibration.md for what they guarantee.
/// </summary>
internal static partial class QualityBound
{
    /// <summary>Largest bet per query (the method's truncation; its authors use 1/2 or 3/4: 3/4 costs less at the small variances of plans that change few answers); the betting bound's largest bet is this over the mean tested.</summary>
    private const double MaxBet = 0.75;

    /// <summary>
    /// A lower bound on the mean of <paramref name="values"/>, each in [0, 1], that is below the true mean with
    /// probability at least 1 − <paramref name="alpha"/> when the values are independent draws of one distribution (or
    /// exchangeable, taken in an order that does not depend on them). Order matters for the bound's value, not its validity.
    /// </summary>
    public static double MeanLowerBound(IReadOnlyList<double> values, double alpha, QualityBoundMethod method = QualityBoundMethod.EmpiricalBernstein)
    {
        if (values is null) throw new ArgumentNullException(nameof(values));
        if (!(alpha > 0 && alpha < 1)) throw new ArgumentOutOfRangeException(nameof(alpha), $"alpha {alpha} is outside (0, 1)");
        foreach (var x in values)
        {
            if (!(x >= -1e-12 && x <= 1 + 1e-12)) throw new ArgumentOutOfRangeException(nameof(values), $"value {x} is outside [0, 1]");
        }

        if (values.Count == 0) return 0;
        return method == QualityBoundMethod.Betting ? BettingLowerBound(values, alpha) : EmpiricalBernsteinLowerBound(values, alpha);
    }

    /// <summary>The predictable plug-in empirical-Bernstein bound on the mean of <paramref name="values"/> (checked, not empty).</summary>
    private static double EmpiricalBernsteinLowerBound(IReadOnlyList<double> values, double alpha)
    {
        var log = Math.Log(1 / alpha);
        var (plugIn, means) = PlugInBets(values, log);
        double weighted = 0, bets = 0, penalty = 0;
        for (var i = 0; i < values.Count; i++)
        {
            var x = values[i];
            var bet = Math.Min(plugIn[i], MaxBet);
            weighted += bet * x;
            bets += bet;
            penalty += 4 * (x - means[i]) * (x - means[i]) * Psi(bet);
        }

        return Math.Max(0, (weighted - log - penalty) / bets);
    }

    /// <summary>
    /// The predictable plug-in bets before truncation, √(2 ln(1/α) / (n σ̂²)), and the means they are centred on: per value,
    /// from the values before it only, with the method's prior of one value 1/2 (variance 1/4).
    /// </summary>
    private static (double[] Bets, double[] Means) PlugInBets(IReadOnlyList<double> values, double log)
    {
        var n = values.Count;
        var bets = new double[n];
        var means = new double[n];
        double sum = 0.5, squares = 0.25;
        for (var i = 0; i < n; i++)
        {
            means[i] = sum / (i + 1);
            bets[i] = Math.Sqrt(2 * log / (n * (squares / (i + 1))));
            sum += values[i];
            var newMean = sum / (i + 2);
            squares += (values[i] - newMean) * (values[i] - newMean);
        }

        return (bets, means);
    }

    /// <summary>ψ_E(λ) = (−ln(1 − λ) − λ) / 4.</summary>
    private static double Psi(double bet) => (-Math.Log(1 - bet) - bet) / 4;

    /// <summary>
    /// Whether, at confidence 1 − <paramref name="alpha"/>, the plan (per-query correctness <paramref name="plan"/>)
    /// keeps at least <paramref name="target"/> of every single model's quality (<paramref name="correct"/>[query][model]):
    /// the lower bound on the mean of a − target·b is ≥ 0 against each model. Whichever model is truly the best, its own
    /// bound holds at that confidence, so requiring all of them costs no correction.
    /// </summary>
    public static bool Holds(IReadOnlyList<double> plan, IReadOnlyList<double[]> correct, double target, double alpha,
        QualityBoundMethod method = QualityBoundMethod.EmpiricalBernstein)
    {
        if (plan.Count == 0) return false;
        var models = correct[0].Length;
        var x = new double[plan.Count];
        for (var m = 0; m < models; m++)
        {
            for (var q = 0; q < plan.Count; q++) x[q] = (plan[q] - target * correct[q][m] + target) / (1 + target);
            var bound = (1 + target) * MeanLowerBound(x, alpha, method) - target;
            if (bound < 0) return false;
        }

        return true;
    }

    /// <summary>
    /// The largest relative quality r (to 1e-4, at most 1) that <see cref="Holds"/> at confidence 1 − <paramref name="alpha"/>:
    /// a lower bound on the plan's quality relative to every single model. 0 when none holds.
    /// </summary>
    public static double RelativeLowerBound(IReadOnlyList<double> plan, IReadOnlyList<double[]> correct, double alpha,
        QualityBoundMethod method = QualityBoundMethod.EmpiricalBernstein)
    {
        if (!Holds(plan, correct, 1e-4, alpha, method)) return 0;
        if (Holds(plan, correct, 1, alpha, method)) return 1;
        double low = 1e-4, high = 1;
        while (high - low > 1e-5)
        {
            var mid = (low + high) / 2;
            if (Holds(plan, correct, mid, alpha, method)) low = mid;
            else high = mid;
        }

        return Math.Floor(low * 1e4) / 1e4;
    }

    /// <summary>A fixed order of <paramref name="count"/> queries from <paramref name="seed"/> (the bound takes its values in an order chosen before seeing them).</summary>
    public static int[] Order(int count, int seed)
    {
        var order = new int[count];
        for (var i = 0; i < count; i++) order[i] = i;
        var random = new Random(seed);
        for (var i = count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }
}
