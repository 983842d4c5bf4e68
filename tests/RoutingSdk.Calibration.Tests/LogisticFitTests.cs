using System.Collections.Generic;
using RoutingSdk.Calibration;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration.Tests;

/// <summary>
/// The acceptance models' logistic fit: it must reach the penalised optimum, also on data where a full Newton step
/// overshoots (a few confidences far below the rest).
/// </summary>
public sealed class LogisticFitTests
{
    private const double L2 = 3.0;

    /// <summary>
    /// 66 answers of one tier (confidence as a log-probability, output tokens, right or not), taken from the cascades
    /// outcomes: nearly all confident and right, two far-out confidences (−4.5 right, −7.0 wrong). Undamped Newton steps
    /// sent the intercept to about 2,000 here (to 7e8 on the 120 answers these were cut down from), which made every
    /// acceptance probability exactly 1.
    /// </summary>
    private static readonly (double Confidence, int Tokens, int Right)[] Answers =
    {
        (-0.300581, 4, 0), (-4.50378, 2, 1), (-1.03963, 4, 0), (-0.921008, 1, 0), (-0.89848, 1, 0), (-0.00749679, 1, 1),
        (-0.00037952, 1, 1), (-8.214e-05, 1, 1), (-0.00121065, 1, 1), (-0.00042907, 1, 1), (-0.032578, 2, 1), (-0.000918265, 2, 1),
        (-0.000372085, 2, 1), (-0.0126054, 2, 1), (-0.00045288, 2, 1), (-0.000714635, 2, 1), (-0.00816946, 2, 1), (-0.0159865, 2, 1),
        (-0.00201381, 2, 1), (-0.011163, 2, 1), (-0.00092972, 2, 1), (-0.0003617, 2, 1), (-0.000876605, 2, 1), (-6.128e-05, 2, 1),
        (-0.0181739, 2, 1), (-0.0028668, 5, 1), (-0.00074217, 4, 1), (-0.0002955, 4, 1), (-0.00045799, 3, 1), (-1.502e-05, 4, 1),
        (-2.444e-05, 6, 1), (-0.00133007, 5, 1), (-2.909e-05, 3, 1), (-0.00012554, 4, 1), (-0.730865, 3, 1), (-0.00187698, 3, 1),
        (-6.402e-05, 5, 1), (-4.196e-05, 3, 1), (-7.03362, 5, 0), (-0.00194715, 3, 1), (-2.325e-05, 5, 1), (-0.00579453, 2, 1),
        (-0.00114375, 2, 1), (-0.0091519, 6, 1), (-0.00392048, 5, 1), (-0.00037761, 4, 1), (-0.00054511, 3, 1), (-1.204e-05, 4, 1),
        (-0.00703773, 5, 1), (-0.00011457, 176, 1), (-0.0007105, 205, 1), (-0.0003212, 174, 1), (-0.00127761, 164, 1), (-0.00096004, 245, 1),
        (-0.00155743, 150, 1), (-0.00099369, 297, 1), (-0.00019713, 175, 1), (-0.00134809, 207, 1), (-0.00044421, 170, 1), (-0.0001796, 222, 1),
        (-0.00032001, 174, 1), (-0.00209694, 211, 1), (-0.00025985, 168, 1), (-0.00032001, 148, 1), (-0.00056885, 173, 1), (-0.00072261, 134, 1),
    };

    /// <summary>The acceptor's first three features of each answer (confidence, doubt, ln(1 + tokens)).</summary>
    private static (List<double[]> X, List<double> Y) Rows()
    {
        var x = Answers.Select(a => Acceptor.Features(new[] { a.Confidence }, new string?[] { "a" }, a.Tokens, 0)!).ToList();
        return (x, Answers.Select(a => (double)a.Right).ToList());
    }

    [Fact]
    public void The_fit_reaches_the_penalised_optimum_where_full_newton_steps_overshoot()
    {
        var (x, y) = Rows();
        var w = LogisticFit.Fit(x, y, new[] { true, true, true }, L2);

        Assert.All(w, v => Assert.True(Math.Abs(v) < 100, $"weight {v} is far from any optimum of this data"));
        AssertStationary(x, y, w, new[] { true, true, true });
        // 61 of the 66 answers are right: the probabilities sum to that, and none is saturated.
        var probabilities = x.Select(row => Probability(w, row)).ToArray();
        Assert.All(probabilities, p => Assert.InRange(p, 1e-6, 1 - 1e-6));
        Assert.Equal(y.Sum(), probabilities.Sum(), 6);
    }

    [Fact]
    public void A_feature_left_out_gets_no_weight_and_the_rest_is_still_optimal()
    {
        var (x, y) = Rows();
        var use = new[] { true, false, true };
        var w = LogisticFit.Fit(x, y, use, L2);

        Assert.Equal(0, w[2]);
        AssertStationary(x, y, w, use);
    }

    [Fact]
    public void A_constant_feature_gets_no_weight()
    {
        var x = Enumerable.Range(0, 40).Select(i => new[] { i % 5 - 2.0, 7.0 }).ToList();
        var y = Enumerable.Range(0, 40).Select(i => i % 5 >= 2 ? 1.0 : 0.0).ToList();
        var w = LogisticFit.Fit(x, y, new[] { true, true }, L2);

        Assert.Equal(0, w[2]);
        Assert.True(w[1] > 0, "the probability should rise with the informative feature");
        AssertStationary(x, y, w, new[] { true, false });
    }

    /// <summary>
    /// The optimality conditions of the fit, on the raw scale. The penalty is on standardised weights
    /// (w_std = w·sd), so at the optimum Σ(y − p) = 0 and, per used feature, Σ(y − p)·x = l2·w·variance.
    /// </summary>
    private static void AssertStationary(List<double[]> x, List<double> y, double[] w, bool[] use)
    {
        var n = x.Count;
        var residual = x.Select((row, i) => y[i] - Probability(w, row)).ToArray();
        Assert.True(Math.Abs(residual.Sum()) < 1e-6, $"Σ(y − p) = {residual.Sum()}");
        for (var j = 0; j < use.Length; j++)
        {
            if (!use[j]) continue;
            var mean = x.Average(row => row[j]);
            var variance = x.Average(row => row[j] * row[j]) - mean * mean;
            var gradient = x.Select((row, i) => residual[i] * row[j]).Sum() - L2 * w[j + 1] * variance;
            Assert.True(Math.Abs(gradient) < 1e-6 * n, $"feature {j}: the penalised gradient is {gradient}");
        }
    }

    private static double Probability(double[] w, double[] row)
    {
        var z = w[0];
        for (var j = 0; j < row.Length; j++) z += w[j + 1] * row[j];
        return 1 / (1 + Math.Exp(-z));
    }
}
