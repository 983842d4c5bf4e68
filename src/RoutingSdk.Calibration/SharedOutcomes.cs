using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using RoutingSdk.Planning;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration;

/// <summary>
/// The outcomes of the tasks calibrated together, as extra rows for a task's acceptance models: for chain position k,
/// every query of every other task that ran the same models (by name) at positions 0..k, with its features and whether
/// the model at k was right. Computed once per (task, chain prefix) and reused by every fold of the calibration. At most
/// <c>maxRows</c> rows are kept (evenly spaced), so that a file of many tasks does not make every fit grow with all of them.
/// </summary>
internal sealed class SharedOutcomes
{
    private readonly IReadOnlyList<TaskOutcomes> _tasks;
    private readonly int _maxRows;
    private readonly ConcurrentDictionary<string, (List<double[]> X, List<double> Y)> _rows = new(StringComparer.Ordinal);

    public SharedOutcomes(IReadOnlyList<TaskOutcomes> tasks, int maxRows)
    {
        _tasks = tasks;
        _maxRows = maxRows;
    }

    /// <summary>The other tasks' rows for position <paramref name="k"/> of <paramref name="chain"/> (model indexes of <paramref name="data"/>).</summary>
    public (List<double[]> X, List<double> Y) Rows(TaskOutcomes data, int[] chain, int k)
    {
        var names = new string[k + 1];
        for (var j = 0; j <= k; j++) names[j] = data.Models[chain[j]];
        var key = data.Task + "\u0001" + string.Join("\u0001", names);
        return _rows.GetOrAdd(key, _ => Collect(data.Task, names, k));
    }

    private (List<double[]> X, List<double> Y) Collect(string task, string[] names, int k)
    {
        var x = new List<double[]>();
        var y = new List<double>();
        foreach (var other in _tasks)
        {
            if (string.Equals(other.Task, task, StringComparison.Ordinal)) continue;
            var chain = new int[names.Length];
            var complete = true;
            for (var j = 0; j < names.Length && complete; j++)
            {
                chain[j] = Evaluator.IndexOf(other.Models, names[j]);
                complete = chain[j] >= 0;
            }

            if (!complete) continue;
            for (var q = 0; q < other.Queries.Count; q++)
            {
                if (other.AcceptorFeatures(q, chain, k) is not { } features) continue;
                x.Add(features);
                y.Add(other.Correct[q][chain[k]]);
            }
        }

        if (x.Count <= _maxRows) return (x, y);
        var keptX = new List<double[]>(_maxRows);
        var keptY = new List<double>(_maxRows);
        for (var i = 0; i < _maxRows; i++)
        {
            var row = (int)((long)i * x.Count / _maxRows);
            keptX.Add(x[row]);
            keptY.Add(y[row]);
        }

        return (keptX, keptY);
    }
}
