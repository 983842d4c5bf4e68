using System;
using System.Collections.Generic;

namespace RoutingSdk.Calibration;

/// <summary>The betting lower bound (<see cref="QualityBoundMethod.Betting"/>).</summary>
internal static partial class QualityBound
{
    /// <summary>Precision of the bisection on the mean.</summary>
    private const double BettingTolerance = 1e-7;

    /// <summary>
    /// The betting lower bound on the mean of <paramref name="values"/> (checked, in [0, 1], not empty): the largest m that
    /// is refuted, where m is refuted when a gambler who stakes the share λ_i of their capital on "value i is above m"
    /// reaches 1/α at some point of the sequence, K_t(m) = Π_{i ≤ t} (1 + λ_i (x_i − m)) ≥ 1/α. If the true mean is at most m,
    /// K(m) is a non-negative supermartingale starting at 1, so by Ville's inequality it ever reaches 1/α with probability at
    /// most α: the bound is below the true mean with probability at least 1 − α. The bets λ_i are the plug-in ones
    /// (predictable: from the values before i), truncated at <see cref="MaxBet"/>/m so that the capital stays positive;
    /// K is non-increasing in m, so the refuted means are an interval from 0 and the bound is found by bisection.
    /// (Waudby-Smith and Ramdas 2023, the one-sided form of their hedged-capital interval.)
    /// </summary>
    private static double BettingLowerBound(IReadOnlyList<double> values, double alpha)
    {
        var log = Math.Log(1 / alpha);
        var (bets, _) = PlugInBets(values, log);
        if (!Refuted(values, bets, 0, log)) return 0;
        double low = 0, high = 1;
        while (high - low > BettingTolerance)
        {
            var mid = (low + high) / 2;
            if (Refuted(values, bets, mid, log)) low = mid;
            else high = mid;
        }

        return low;
    }

    /// <summary>Whether the capital of the bets against mean <paramref name="mean"/> reaches e^<paramref name="log"/> (= 1/α) at some point.</summary>
    private static bool Refuted(IReadOnlyList<double> values, double[] bets, double mean, double log)
    {
        var cap = mean > 0 ? MaxBet / mean : double.PositiveInfinity;
        double capital = 0;
        for (var i = 0; i < values.Count; i++)
        {
            capital += Math.Log(1 + Math.Min(bets[i], cap) * (values[i] - mean));
            if (capital >= log) return true;
        }

        return false;
    }
}
