using System;
using System.Collections.Generic;

namespace RoutingSdk.Planning.Calibration;

/// <summary>
/// L2-regularised logistic regression by Newton's method on standardised features; the weights come back on the
/// raw feature scale. Targets may be fractional (a 0–1 score).
/// </summary>
internal static class LogisticFit
{
    /// <summary>Fits <c>y ≈ σ(w0 + Σ wj xj)</c>; returns [w0, w1, …]. Features not in <paramref name="use"/> get weight 0.</summary>
    public static double[] Fit(IReadOnlyList<double[]> x, IReadOnlyList<double> y, bool[] use, double l2 = 1.0, int iterations = 30)
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

        var z = new double[k];
        for (var it = 0; it < iterations && n > 0; it++)
        {
            var grad = new double[k];
            var hess = new double[k, k];
            for (var i = 0; i < n; i++)
            {
                z[0] = 1;
                for (var a = 0; a < active.Count; a++) z[a + 1] = (x[i][active[a]] - mean[active[a]]) / scale[active[a]];
                double eta = 0;
                for (var a = 0; a < k; a++) eta += w[a] * z[a];
                var p = 1 / (1 + Math.Exp(-eta));
                var r = y[i] - p;
                var v = Math.Max(p * (1 - p), 1e-9);
                for (var a = 0; a < k; a++)
                {
                    grad[a] += r * z[a];
                    for (var b = 0; b <= a; b++) hess[a, b] += v * z[a] * z[b];
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
            double change = 0;
            for (var a = 0; a < k; a++)
            {
                w[a] += step[a];
                change = Math.Max(change, Math.Abs(step[a]));
            }

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
