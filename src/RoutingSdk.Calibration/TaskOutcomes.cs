using System;
using System.Collections.Generic;
using System.Linq;
using RoutingSdk.Planning;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration;

/// <summary>
/// One task's outcomes as a query × model table, models in cost order (cheapest first). Only queries that every
/// model of the task answered are kept, so that every model and every plan is judged on the same queries.
/// </summary>
internal sealed class TaskOutcomes
{
    private TaskOutcomes(string task, IReadOnlyList<string> models, IReadOnlyList<string> queries, double[][] correct, double[][] cost,
        double[][] confidence, string?[][] answers, double[][] tokensOut, int droppedQueries, ConfidenceScale scale)
    {
        Scale = scale;
        TokensOut = tokensOut;
        Task = task;
        Models = models;
        Queries = queries;
        Correct = correct;
        Cost = cost;
        Confidence = confidence;
        Answers = answers;
        DroppedQueries = droppedQueries;
        HasConfidence = confidence.Any(row => row.Any(c => !double.IsNaN(c)));
    }

    /// <summary>The task's name.</summary>
    public string Task { get; }

    /// <summary>Models in cost order (mean cost per call, then recorded tier, then name).</summary>
    public IReadOnlyList<string> Models { get; }

    /// <summary>Query ids, in file order.</summary>
    public IReadOnlyList<string> Queries { get; }

    /// <summary>Correctness per query and model (0–1), indexed [query][model].</summary>
    public double[][] Correct { get; }

    /// <summary>USD per query and model.</summary>
    public double[][] Cost { get; }

    /// <summary>The scale the outcome file recorded confidences on; <see cref="Confidence"/> holds them as log-probabilities either way.</summary>
    public ConfidenceScale Scale { get; }

    /// <summary>Confidence per query and model as a log-probability (converted from a 0–1 score where the file recorded those); NaN where none was recorded.</summary>
    public double[][] Confidence { get; }

    /// <summary>Normalised answers per query and model (trimmed, lower case), or null.</summary>
    public string?[][] Answers { get; }

    /// <summary>Output tokens per query and model; NaN where none were recorded.</summary>
    public double[][] TokensOut { get; }

    /// <summary>Whether any confidence was recorded.</summary>
    public bool HasConfidence { get; }

    /// <summary>Queries left out because some model had no row for them.</summary>
    public int DroppedQueries { get; }

    /// <summary>Mean correctness of one model over all queries.</summary>
    public double Quality(int model) => Queries.Count == 0 ? 0 : Correct.Average(row => row[model]);

    /// <summary>Mean USD per call of one model.</summary>
    public double MeanCost(int model) => Queries.Count == 0 ? 0 : Cost.Average(row => row[model]);

    /// <summary>
    /// The reference model: the most accurate; a tie (within 1e-12) goes to the dearer one.
    /// </summary>
    public int BestModel()
    {
        var best = 0;
        for (var m = 1; m < Models.Count; m++)
        {
            var q = Quality(m);
            var bq = Quality(best);
            if (q > bq + 1e-12 || (Math.Abs(q - bq) <= 1e-12 && MeanCost(m) >= MeanCost(best))) best = m;
        }

        return best;
    }

    /// <summary>
    /// Per query, which models got it right (bit m set when model m scored at least 0.5; models past the 31st are not
    /// counted): the strata of stratified folds. Computed once per table.
    /// </summary>
    internal int[] RightPatterns => _rightPatterns ??= Correct.Select(row =>
    {
        var pattern = 0;
        for (var m = 0; m < row.Length && m < 31; m++)
        {
            if (row[m] >= 0.5) pattern |= 1 << m;
        }

        return pattern;
    }).ToArray();

    private int[]? _rightPatterns;

    /// <summary>The same task restricted to some queries (by index), keeping the model order.</summary>
    public TaskOutcomes Subset(IReadOnlyList<int> queryIndexes)
    {
        T[] Pick<T>(T[] all) => queryIndexes.Select(i => all[i]).ToArray();
        return new TaskOutcomes(Task, Models, queryIndexes.Select(i => Queries[i]).ToArray(), Pick(Correct), Pick(Cost), Pick(Confidence), Pick(Answers), Pick(TokensOut), 0, Scale);
    }

    /// <summary>Groups outcome rows into one table per task, tasks in order of first appearance.</summary>
    public static IReadOnlyList<TaskOutcomes> Group(IEnumerable<Outcome> outcomes)
    {
        if (outcomes is null) throw new ArgumentNullException(nameof(outcomes));
        var result = new List<TaskOutcomes>();
        foreach (var task in outcomes.GroupBy(o => o.Task, StringComparer.Ordinal))
        {
            var rows = task.ToList();
            var models = rows.GroupBy(o => o.Model, StringComparer.Ordinal)
                .Select(g => (Name: g.Key, Cost: g.Average(o => o.CostUsd), Tier: g.Min(o => o.Tier ?? int.MaxValue)))
                .OrderBy(m => m.Cost).ThenBy(m => m.Tier).ThenBy(m => m.Name, StringComparer.Ordinal)
                .Select(m => m.Name).ToArray();
            var modelIndex = models.Select((m, i) => (m, i)).ToDictionary(p => p.m, p => p.i, StringComparer.Ordinal);
            var byQuery = new Dictionary<string, Outcome?[]>(StringComparer.Ordinal);
            var order = new List<string>();
            foreach (var o in rows)
            {
                if (!byQuery.TryGetValue(o.Query, out var line))
                {
                    byQuery[o.Query] = line = new Outcome?[models.Length];
                    order.Add(o.Query);
                }

                line[modelIndex[o.Model]] = o;
            }

            var complete = order.Where(q => byQuery[q].All(o => o is not null)).ToArray();
            var table = complete.Select(q => byQuery[q]).ToArray();
            // The calibrator's features and thresholds are log-probabilities; 0–1 scores (the router's) are converted.
            var scale = ConfidenceScales.Detect(rows.Select(o => o.Confidence ?? double.NaN));
            result.Add(new TaskOutcomes(task.Key, models, complete,
                table.Select(r => r.Select(o => o!.Correct).ToArray()).ToArray(),
                table.Select(r => r.Select(o => o!.CostUsd).ToArray()).ToArray(),
                table.Select(r => r.Select(o => ConfidenceScales.ToLog(o!.Confidence ?? double.NaN, scale)).ToArray()).ToArray(),
                table.Select(r => r.Select(o => AnswerKey.Normalize(o!.Answer)).ToArray()).ToArray(),
                table.Select(r => r.Select(o => o!.TokensOut is { } t ? (double)t : double.NaN).ToArray()).ToArray(),
                order.Count - complete.Length, scale));
        }

        return result;
    }

    /// <summary>
    /// The acceptor's features (<see cref="Acceptor.Features(IReadOnlyList{double}, IReadOnlyList{string}, double, int)"/>)
    /// at position <paramref name="position"/> of <paramref name="chain"/> (model indexes) for one query, or null when the
    /// tier recorded no confidence (which escalates).
    /// </summary>
    public double[]? AcceptorFeatures(int query, IReadOnlyList<int> chain, int position)
    {
        if (chain is null) throw new ArgumentNullException(nameof(chain));
        var confidences = new double[position + 1];
        var answers = new string?[position + 1];
        for (var j = 0; j <= position; j++)
        {
            confidences[j] = Confidence[query][chain[j]];
            answers[j] = Answers[query][chain[j]];
        }

        return Acceptor.Features(confidences, answers, TokensOut[query][chain[position]], position);
    }
}
