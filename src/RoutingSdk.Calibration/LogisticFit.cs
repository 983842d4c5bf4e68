using System;
using System.Collections.Generic;
using RoutingSdk.Planning;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration;

/// <summary>
/// L2-regularised logistic regression by Newton's method on standardised features; the weights come back on the
/// raw feature scale. Targets may be fractional (a 0–1 score).
/// </summary>
/// <remarks>
/// Each Newton step is shortened (halved until the penalised negative log-likelihood falls enough, Armijo's rule)
/// so that the fit converges from any start. A full step can overshoot: on a feature with far outliers (a confidence
/// of −9.6 among values near 0) the linear predictor saturates, the curvature vanishes and the next full step sends
/// the intercept to ±1e8, after which every probability is 0 or 1.
/// </remarks>
internal static class LogisticFit
{
    /// <summary>Fits <c>y ≈ σ(w0 + Σ wj xj)</c>; returns [w0, w1, …]. Features not in <paramref name="use"/> get weight 0.</summary>
    public static double[] Fit(IReadOnlyList<double[]> x, IReadOnlyList<double> y, bool[] use, double l2 = 1.0, int iterations = 50)
    {
        var d = use.Length;
        var active = new List<int>();
        for (var j = 0; j < d; j++)
        {
            if (use[j]) active.Add(j);
        }

        var n = x.Count;
        var mean = new double[d];
        var scale = new double[d];
        foreach (var j in active)
        {
            double s = 0, ss = 0;
            for (var i = 0; i < n; i++)
            {
                s += x[i][j];
                ss += x[i][j] * x[i][j];
            }

            mean[j] = n == 0 ? 0 : s / n;
            var variance = n == 0 ? 0 : ss / n - mean[j] * mean[j];
            scale[j] = variance > 1e-12 ? Math.Sqrt(variance) : 0; // a constant feature is left out
        }

        active.RemoveAll(j => scale[j] == 0);
        var k = active.Count + 1;
        var w = new double[k];
        if (n > 0)
        {
            double ybar = 0;
            for (var i = 0; i < n; i++) ybar += y[i];
            ybar = Math.Min(Math.Max(ybar / n, 1e-3), 1 - 1e-3);
            w[0] = Math.Log(ybar / (1 - ybar));
        }

        // The standardised design, with a leading 1 for the intercept.
        var z = new double[n][];
        for (var i = 0; i < n; i++)
        {
            var row = z[i] = new double[k];
            row[0] = 1;
            for (var a = 0; a < active.Count; a++) row[a + 1] = (x[i][active[a]] - mean[active[a]]) / scale[active[a]];
        }

        var objective = Objective(z, y, w, l2);
        for (var it = 0; it < iterations && n > 0; it++)
        {
            var grad = new double[k];
            var hess = new double[k, k];
            for (var i = 0; i < n; i++)
            {
                var row = z[i];
                var p = Sigmoid(Dot(w, row));
                var r = y[i] - p;
                var v = Math.Max(p * (1 - p), 1e-9);
                for (var a = 0; a < k; a++)
                {
                    grad[a] += r * row[a];
                    for (var b = 0; b <= a; b++) hess[a, b] += v * row[a] * row[b];
                }
            }

            for (var a = 1; a < k; a++)
            {
                grad[a] -= l2 * w[a];
                hess[a, a] += l2;
            }

            for (var a = 0; a < k; a++)
            {
                for (var b = a + 1; b < k; b++) hess[a, b] = hess[b, a];
            }

            var step = Solve(hess, grad);
            if (step is null) break;
            // The step ascends the penalised log-likelihood: Armijo's rule on its negative, halving the step up to 40 times.
            double slope = 0;
            for (var a = 0; a < k; a++) slope += grad[a] * step[a];
            if (!(slope > 0)) break;
            var trial = new double[k];
            var t = 1.0;
            var accepted = false;
            for (var halving = 0; halving < 40; halving++, t /= 2)
            {
                for (var a = 0; a < k; a++) trial[a] = w[a] + t * step[a];
                var value = Objective(z, y, trial, l2);
                if (value <= objective - 1e-4 * t * slope)
                {
                    objective = value;
                    accepted = true;
                    break;
                }
            }

            if (!accepted) break;
            double change = 0;
            for (var a = 0; a < k; a++) change = Math.Max(change, Math.Abs(trial[a] - w[a]));
            Array.Copy(trial, w, k);
            if (change < 1e-8) break;
        }

        // Back to the raw scale: w0 - Σ wj·mean/scale, wj/scale.
        var raw = new double[d + 1];
        raw[0] = w[0];
        for (var a = 0; a < active.Count; a++)
        {
            var j = active[a];
            raw[j + 1] = w[a + 1] / scale[j];
            raw[0] -= w[a + 1] * mean[j] / scale[j];
        }

        return raw;
    }

    /// <summary>The penalised negative log-likelihood: Σ ln(1 + e^η) − y·η over rows, plus l2/2 · Σ w² (intercept not penalised).</summary>
    private static double Objective(double[][] z, IReadOnlyList<double> y, double[] w, double l2)
    {
        double total = 0;
        for (var i = 0; i < z.Length; i++)
        {
            var eta = Dot(w, z[i]);
            // ln(1 + e^η), computed without overflow for large |η|.
            total += Math.Max(eta, 0) + Math.Log(1 + Math.Exp(-Math.Abs(eta))) - y[i] * eta;
        }

        for (var a = 1; a < w.Length; a++) total += 0.5 * l2 * w[a] * w[a];
        return total;
    }

    private static double Dot(double[] w, double[] row)
    {
        double eta = 0;
        for (var a = 0; a < w.Length; a++) eta += w[a] * row[a];
        return eta;
    }

    private static double Sigmoid(double eta) => 1 / (1 + Math.Exp(-eta));

    /// <summary>Solves A·s = b by Gaussian elimination with partial pivoting; null when singular.</summary>
    private static double[]? Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = (double[,])a.Clone();
        var r = (double[])b.Clone();
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var row = col + 1; row < n; row++)
            {
                if (Math.Abs(m[row, col]) > Math.Abs(m[pivot, col])) pivot = row;
            }

            if (Math.Abs(m[pivot, col]) < 1e-12) return null;
            if (pivot != col)
            {
                for (var c = 0; c < n; c++) (m[col, c], m[pivot, c]) = (m[pivot, c], m[col, c]);
                (r[col], r[pivot]) = (r[pivot], r[col]);
            }

            for (var row = col + 1; row < n; row++)
            {
                var f = m[row, col] / m[col, col];
                if (f == 0) continue;
                for (var c = col; c < n; c++) m[row, c] -= f * m[col, c];
                r[row] -= f * r[col];
            }
        }

        var s = new double[n];
        for (var row = n - 1; row >= 0; row--)
        {
            var sum = r[row];
            for (var c = row + 1; c < n; c++) sum -= m[row, c] * s[c];
            s[row] = sum / m[row, row];
        }

        return s;
    }
}
