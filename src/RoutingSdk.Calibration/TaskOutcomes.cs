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

    /// <summary>
    /// Groups outcome rows into one table per task, tasks in order of first appearance. The rows are consumed as they
    /// come (<see cref="OutcomeCsv.ReadRows(string)"/> streams a file): per task only the numbers of each (query, model)
    /// are kept, with the normalised answer (interned per task), never the rows themselves, so memory follows the
    /// number of queries and models, not the size of the file.
    /// </summary>
    /// <exception cref="OutcomeFormatException">A (task, query, model) appears twice; the message names both lines.</exception>
    public static IReadOnlyList<TaskOutcomes> Group(IEnumerable<Outcome> outcomes)
    {
        if (outcomes is null) throw new ArgumentNullException(nameof(outcomes));
        var byTask = new Dictionary<string, Builder>(StringComparer.Ordinal);
        var tasks = new List<Builder>();
        foreach (var o in outcomes)
        {
            if (!byTask.TryGetValue(o.Task, out var builder))
            {
                byTask[o.Task] = builder = new Builder(o.Task);
                tasks.Add(builder);
            }

            builder.Add(o);
        }

        byTask.Clear();
        var result = new List<TaskOutcomes>(tasks.Count);
        for (var i = 0; i < tasks.Count; i++)
        {
            result.Add(tasks[i].Build());
            tasks[i] = null!;   // each task's raw cells go as soon as its table is built
        }

        return result;
    }

    /// <summary>
    /// One task's cells as rows arrive, one column per model (in order of first appearance) indexed by query (in order of
    /// first appearance): flat arrays of numbers, no object per query or row.
    /// </summary>
    private sealed class Builder
    {
        private readonly string _task;
        private readonly Dictionary<string, int> _modelIndex = new(StringComparer.Ordinal);
        private readonly List<Column> _models = new();
        private readonly Dictionary<string, int> _queryIndex = new(StringComparer.Ordinal);
        private readonly List<string> _queries = new();
        private readonly Dictionary<string, string> _answers = new(StringComparer.Ordinal);

        public Builder(string task) => _task = task;

        public void Add(Outcome o)
        {
            if (!_modelIndex.TryGetValue(o.Model, out var m))
            {
                _modelIndex[o.Model] = m = _models.Count;
                _models.Add(new Column(o.Model));
            }

            if (!_queryIndex.TryGetValue(o.Query, out var q))
            {
                _queryIndex[o.Query] = q = _queries.Count;
                _queries.Add(o.Query);
            }

            var column = _models[m];
            column.Ensure(q + 1);
            if (column.LinePlusOne[q] != 0)
                throw new OutcomeFormatException(o.Line, OutcomeCsv.DuplicateMessage(o.Task, o.Query, o.Model, column.LinePlusOne[q] - 1));
            column.LinePlusOne[q] = o.Line + 1;
            column.Correct[q] = o.Correct;
            column.Cost[q] = o.CostUsd;
            column.Confidence[q] = o.Confidence ?? double.NaN;
            column.TokensOut[q] = o.TokensOut is { } t ? t : double.NaN;
            column.Answers[q] = Intern(AnswerKey.Normalize(o.Answer));
            column.CostSum += o.CostUsd;
            column.Count++;
            column.MinTier = Math.Min(column.MinTier, o.Tier ?? int.MaxValue);
        }

        private string? Intern(string? answer)
        {
            if (answer is null) return null;
            if (_answers.TryGetValue(answer, out var interned)) return interned;
            _answers[answer] = answer;
            return answer;
        }

        public TaskOutcomes Build()
        {
            // Models in cost order: mean USD per call over every row of the model, then recorded tier, then name.
            var sorted = _models
                .OrderBy(c => c.CostSum / c.Count).ThenBy(c => c.MinTier).ThenBy(c => c.Name, StringComparer.Ordinal)
                .ToArray();
            var complete = Enumerable.Range(0, _queries.Count).Where(q => sorted.All(c => c.Has(q))).ToArray();
            // The calibrator's features and thresholds are log-probabilities; 0–1 scores (the router's) are converted.
            var scale = ConfidenceScales.Detect(_models.SelectMany(c => Enumerable.Range(0, _queries.Count).Where(c.Has).Select(q => c.Confidence[q])));
            T[][] Table<T>(Func<Column, T[]> values, Func<T, T>? convert = null)
                => complete.Select(q => sorted.Select(c => convert is null ? values(c)[q] : convert(values(c)[q])).ToArray()).ToArray();
            return new TaskOutcomes(_task, sorted.Select(c => c.Name).ToArray(), complete.Select(q => _queries[q]).ToArray(),
                Table(c => c.Correct), Table(c => c.Cost), Table(c => c.Confidence, x => ConfidenceScales.ToLog(x, scale)),
                Table(c => c.Answers), Table(c => c.TokensOut), _queries.Count - complete.Length, scale);
        }
    }

    /// <summary>One model's cells of a task, indexed by query; grown (doubling) as queries appear.</summary>
    private sealed class Column
    {
        public Column(string name) => Name = name;

        public string Name { get; }
        public double CostSum { get; set; }
        public int Count { get; set; }
        public int MinTier { get; set; } = int.MaxValue;
        public double[] Correct { get; private set; } = Array.Empty<double>();
        public double[] Cost { get; private set; } = Array.Empty<double>();
        public double[] Confidence { get; private set; } = Array.Empty<double>();
        public double[] TokensOut { get; private set; } = Array.Empty<double>();
        public string?[] Answers { get; private set; } = Array.Empty<string?>();

        /// <summary>The line each query's row came from, plus one; 0 where the model has no row for the query.</summary>
        public int[] LinePlusOne { get; private set; } = Array.Empty<int>();

        public bool Has(int query) => query < LinePlusOne.Length && LinePlusOne[query] != 0;

        public void Ensure(int queries)
        {
            if (queries <= LinePlusOne.Length) return;
            var length = Math.Max(queries, Math.Max(16, LinePlusOne.Length * 2));
            Correct = Grow(Correct, length);
            Cost = Grow(Cost, length);
            Confidence = Grow(Confidence, length);
            TokensOut = Grow(TokensOut, length);
            Answers = Grow(Answers, length);
            LinePlusOne = Grow(LinePlusOne, length);
        }

        private static T[] Grow<T>(T[] array, int length)
        {
            var grown = new T[length];
            Array.Copy(array, grown, array.Length);
            return grown;
        }
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
