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

    /// <summary>One task's cells as rows arrive: per query, per model (in order of first appearance) the numbers.</summary>
    private sealed class Builder
    {
        private readonly string _task;
        private readonly Dictionary<string, int> _modelIndex = new(StringComparer.Ordinal);
        private readonly List<(string Name, double CostSum, int Count, int MinTier)> _models = new();
        private readonly Dictionary<string, Cells> _byQuery = new(StringComparer.Ordinal);
        private readonly List<Cells> _queries = new();
        private readonly Dictionary<string, string> _answers = new(StringComparer.Ordinal);

        public Builder(string task) => _task = task;

        public void Add(Outcome o)
        {
            if (!_modelIndex.TryGetValue(o.Model, out var m))
            {
                _modelIndex[o.Model] = m = _models.Count;
                _models.Add((o.Model, 0, 0, int.MaxValue));
            }

            var model = _models[m];
            _models[m] = (model.Name, model.CostSum + o.CostUsd, model.Count + 1, Math.Min(model.MinTier, o.Tier ?? int.MaxValue));

            if (!_byQuery.TryGetValue(o.Query, out var cells))
            {
                _byQuery[o.Query] = cells = new Cells(o.Query, _models.Count);
                _queries.Add(cells);
            }

            cells.Ensure(m + 1);
            if (cells.LinePlusOne[m] != 0)
                throw new OutcomeFormatException(o.Line, OutcomeCsv.DuplicateMessage(o.Task, o.Query, o.Model, cells.LinePlusOne[m] - 1));
            cells.LinePlusOne[m] = o.Line + 1;
            cells.Correct[m] = o.Correct;
            cells.Cost[m] = o.CostUsd;
            cells.Confidence[m] = o.Confidence ?? double.NaN;
            cells.TokensOut[m] = o.TokensOut is { } t ? t : double.NaN;
            cells.Answers[m] = Intern(AnswerKey.Normalize(o.Answer));
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
            var sorted = Enumerable.Range(0, _models.Count)
                .OrderBy(i => _models[i].CostSum / _models[i].Count).ThenBy(i => _models[i].MinTier).ThenBy(i => _models[i].Name, StringComparer.Ordinal)
                .ToArray();
            var complete = _queries.Where(c => c.Count == sorted.Length && c.LinePlusOne.All(l => l != 0)).ToArray();
            T[] Row<T>(T[] byAppearance) => sorted.Select(i => byAppearance[i]).ToArray();
            // The calibrator's features and thresholds are log-probabilities; 0–1 scores (the router's) are converted.
            var scale = ConfidenceScales.Detect(_queries.SelectMany(c => Enumerable.Range(0, c.Count).Where(i => c.LinePlusOne[i] != 0).Select(i => c.Confidence[i])));
            return new TaskOutcomes(_task, sorted.Select(i => _models[i].Name).ToArray(), complete.Select(c => c.Query).ToArray(),
                complete.Select(c => Row(c.Correct)).ToArray(),
                complete.Select(c => Row(c.Cost)).ToArray(),
                complete.Select(c => Row(c.Confidence).Select(x => ConfidenceScales.ToLog(x, scale)).ToArray()).ToArray(),
                complete.Select(c => Row(c.Answers)).ToArray(),
                complete.Select(c => Row(c.TokensOut)).ToArray(),
                _queries.Count - complete.Length, scale);
        }
    }

    /// <summary>One query's cells, indexed by model in order of first appearance; grown as models appear.</summary>
    private sealed class Cells
    {
        public Cells(string query, int models)
        {
            Query = query;
            Correct = new double[models];
            Cost = new double[models];
            Confidence = new double[models];
            TokensOut = new double[models];
            Answers = new string?[models];
            LinePlusOne = new int[models];
        }

        public string Query { get; }
        public double[] Correct { get; private set; }
        public double[] Cost { get; private set; }
        public double[] Confidence { get; private set; }
        public double[] TokensOut { get; private set; }
        public string?[] Answers { get; private set; }

        /// <summary>The line each model's row came from, plus one; 0 where the model has no row for the query.</summary>
        public int[] LinePlusOne { get; private set; }

        public int Count => LinePlusOne.Length;

        public void Ensure(int models)
        {
            if (models <= LinePlusOne.Length) return;
            Correct = Grow(Correct, models);
            Cost = Grow(Cost, models);
            Confidence = Grow(Confidence, models);
            TokensOut = Grow(TokensOut, models);
            Answers = Grow(Answers, models);
            LinePlusOne = Grow(LinePlusOne, models);
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
