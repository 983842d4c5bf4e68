using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace RoutingSdk.Planning.Calibration;

/// <summary>A problem in a calibration file, with its 1-based line and column.</summary>
internal sealed record CalibrationError(int Line, int Column, string Message)
{
    /// <inheritdoc />
    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "({0},{1}): {2}", Line, Column, Message);
}

/// <summary>The result of <see cref="CalibrationFile.Parse"/>: the calibration (the tasks that were valid) and the errors.</summary>
internal sealed record CalibrationParseResult(RoutingCalibration Calibration, IReadOnlyList<CalibrationError> Errors)
{
    /// <summary>Whether the file had no error.</summary>
    public bool Success => Errors.Count == 0;

    /// <summary>Value equality (the calibration and the errors, element by element), for incremental pipelines.</summary>
    public bool Equals(CalibrationParseResult? other) => other is not null && Calibration.Equals(other.Calibration) && Errors.SequenceEqual(other.Errors);

    /// <inheritdoc />
    public override int GetHashCode() => unchecked(Calibration.GetHashCode() * 31 + Errors.Count);
}

/// <summary>
/// Reads <c>routing.calibration.json</c> (the calibration assembly writes it). The reader is hand-written (no JSON
/// library) because the compiler runs it inside the generator, which carries no dependency. It never throws: every problem comes back with its line and column, and a task with a
/// problem is left out of the calibration. Format: docs/calibration.md.
/// </summary>
/// <remarks>
/// An acceptor's <c>"skipBelow"</c> (<see cref="Acceptor.SkipBelow"/>) is optional: absent reads as 0 (never skips), and
/// 0 is not written, so a file without skipping reads and writes as it did before the member existed. Any other value
/// must be a number from 0 to 1. It is not checked against <c>"minProbability"</c>: a skip level above the acceptance
/// level is allowed and means that every answer not accepted skips the middle tiers (<see cref="Acceptor.Decide"/>:
/// accepting wins), and on the position just before the chain's last tier it changes nothing.
/// </remarks>
internal static partial class CalibrationFile
{
    /// <summary>The format version written and understood.</summary>
    public const int Version = 1;

    /// <summary>
    /// The threshold that accepts every answer that has a confidence, written as a string in <c>"thresholds"</c>: on the
    /// log-probability scale no number says it (confidences have no floor), and the reader, the evaluator and the router
    /// read it alike.
    /// </summary>
    public const string AcceptAny = "any";

    /// <summary>Parses a calibration file's text. Never throws.</summary>
    public static CalibrationParseResult Parse(string text)
    {
        var errors = new List<CalibrationError>();
        var tasks = new List<TaskCalibration>();
        // Task names read so far (a set: a file of many tasks is read in linear time).
        var taskNames = new HashSet<string>(StringComparer.Ordinal);
        double? target = null;
        try
        {
            var root = new JsonReader(text ?? string.Empty, errors).ReadDocument();
            if (root is null) return new CalibrationParseResult(new RoutingCalibration(tasks), errors);
            if (root.Kind != JsonKind.Object)
            {
                errors.Add(root.Error("the file must hold one JSON object with a \"tasks\" object"));
                return new CalibrationParseResult(new RoutingCalibration(tasks), errors);
            }

            foreach (var (name, value, key) in root.Members!)
            {
                switch (name)
                {
                    case "version":
                        if (value.Kind != JsonKind.Number || value.Number != Version)
                            errors.Add(value.Error($"\"version\" must be {Version}"));
                        break;
                    case "target":
                        target = ReadFraction(value, "\"target\"", errors);
                        break;
                    case "tasks":
                        if (value.Kind != JsonKind.Object)
                        {
                            errors.Add(value.Error("\"tasks\" must be an object whose members are task names"));
                            break;
                        }

                        foreach (var (taskName, taskValue, taskKey) in value.Members!)
                        {
                            var before = errors.Count;
                            if (taskName.Trim().Length == 0) errors.Add(taskKey.Error("a task name is empty"));
                            else if (!taskNames.Add(taskName)) errors.Add(taskKey.Error($"task '{taskName}' appears twice"));
                            var task = ReadTask(taskName, taskValue, errors);
                            if (task is not null && errors.Count == before) tasks.Add(task);
                        }

                        break;
                    default:
                        errors.Add(key.Error($"unknown member \"{name}\" (expected \"version\", \"target\" or \"tasks\")"));
                        break;
                }
            }

            if (!root.Members!.Any(m => m.Name == "tasks")) errors.Add(root.Error("the file has no \"tasks\" object"));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            errors.Add(new CalibrationError(1, 1, "the file could not be read: " + ex.Message));
        }

        return new CalibrationParseResult(new RoutingCalibration(tasks, target), errors);
    }

    private static TaskCalibration? ReadTask(string name, JsonValue value, List<CalibrationError> errors)
    {
        if (value.Kind != JsonKind.Object)
        {
            errors.Add(value.Error($"task '{name}' must be an object with \"chain\" and \"thresholds\""));
            return null;
        }

        List<string>? chain = null;
        List<double>? thresholds = null, reach = null, agreement = null;
        List<Acceptor>? acceptors = null;
        var models = new List<ModelFigures>();
        double? expectedQuality = null, expectedCost = null, margin = null, boundQuality = null, boundConfidence = null, boundQueries = null;
        JsonValue? boundValue = null;
        string? bestModel = null;
        ConfidenceScale? scale = null;
        JsonValue? chainValue = null, thresholdsValue = null, acceptorsValue = null, reachValue = null, agreementValue = null;
        foreach (var (member, v, key) in value.Members!)
        {
            switch (member)
            {
                case "chain":
                    chainValue = v;
                    chain = ReadArray(v, $"\"chain\" of '{name}'", errors, e => e.Kind == JsonKind.String && e.Text!.Trim().Length > 0 ? e.Text : null, "a model name");
                    if (chain is not null)
                    {
                        if (chain.Count == 0) errors.Add(v.Error($"\"chain\" of '{name}' is empty"));
                        foreach (var dup in chain.GroupBy(m => m).Where(g => g.Count() > 1)) errors.Add(v.Error($"\"chain\" of '{name}' names '{dup.Key}' twice"));
                    }

                    break;
                case "thresholds":
                    thresholdsValue = v;
                    thresholds = ReadThresholds(v, $"\"thresholds\" of '{name}'", errors);
                    break;
                case "reach":
                    reachValue = v;
                    reach = ReadArray(v, $"\"reach\" of '{name}'", errors, e => e.Kind == JsonKind.Number && e.Number >= 0 && e.Number <= 1 ? e.Number : (double?)null, "a share between 0 and 1")?.Select(x => x!.Value).ToList();
                    break;
                case "agreement":
                    // A share per position, or null where the position accepted nothing on the calibration data (NaN).
                    agreementValue = v;
                    agreement = ReadArray(v, $"\"agreement\" of '{name}'", errors, e => e.Kind == JsonKind.Number && e.Number >= 0 && e.Number <= 1 ? e.Number
                        : e.Kind == JsonKind.Literal && e.Text == "null" ? double.NaN : (double?)null, "a share between 0 and 1, or null")?.Select(x => x!.Value).ToList();
                    break;
                case "acceptors":
                    acceptorsValue = v;
                    acceptors = ReadArray(v, $"\"acceptors\" of '{name}'", errors, e => ReadAcceptor(e, name, errors), "an acceptor object");
                    break;
                case "models":
                    if (v.Kind != JsonKind.Object)
                    {
                        errors.Add(v.Error($"\"models\" of '{name}' must be an object of model name → {{ \"quality\", \"costUsd\" }}"));
                        break;
                    }

                    foreach (var (model, figures, _) in v.Members!)
                    {
                        if (ReadModel(model, figures, name, errors) is { } f) models.Add(f);
                    }

                    break;
                case "expectedQuality":
                    expectedQuality = ReadFraction(v, $"\"expectedQuality\" of '{name}'", errors);
                    break;
                case "expectedCostUsd":
                    expectedCost = ReadNonNegative(v, $"\"expectedCostUsd\" of '{name}'", errors);
                    break;
                case "margin":
                    margin = ReadNonNegative(v, $"\"margin\" of '{name}'", errors);
                    break;
                case "qualityBound":
                    boundValue = v;
                    boundQuality = ReadFraction(v, $"\"qualityBound\" of '{name}'", errors);
                    break;
                case "boundConfidence":
                    boundConfidence = ReadFraction(v, $"\"boundConfidence\" of '{name}'", errors);
                    break;
                case "boundQueries":
                    boundQueries = ReadNonNegative(v, $"\"boundQueries\" of '{name}'", errors);
                    if (boundQueries is { } count && count != Math.Floor(count)) errors.Add(v.Error($"\"boundQueries\" of '{name}' must be a whole number"));
                    else if (boundQueries > int.MaxValue) errors.Add(v.Error($"\"boundQueries\" of '{name}' must be at most {int.MaxValue} (a count of queries)"));
                    break;
                case "confidenceScale":
                    if (v.Kind == JsonKind.String && v.Text == "probability") scale = ConfidenceScale.Probability;
                    else if (v.Kind == JsonKind.String && v.Text == "logprob") scale = ConfidenceScale.LogProbability;
                    else errors.Add(v.Error($"\"confidenceScale\" of '{name}' must be \"probability\" (scores from 0 to 1) or \"logprob\" (log-probabilities)"));
                    break;
                case "bestModel":
                    if (v.Kind == JsonKind.String) bestModel = v.Text;
                    else errors.Add(v.Error($"\"bestModel\" of '{name}' must be a string"));
                    break;
                default:
                    errors.Add(key.Error($"unknown member \"{member}\" in task '{name}'"));
                    break;
            }
        }

        if (chainValue is null) errors.Add(value.Error($"task '{name}' has no \"chain\""));
        if (thresholdsValue is null) errors.Add(value.Error($"task '{name}' has no \"thresholds\""));
        if (chain is null || thresholds is null) return null;
        if (thresholds.Count != Math.Max(0, chain.Count - 1))
            errors.Add(thresholdsValue!.Error($"task '{name}' has {chain.Count} models in its chain, so it needs {Math.Max(0, chain.Count - 1)} thresholds (one per model but the last), not {thresholds.Count}"));
        if (acceptors is not null && acceptors.Count != Math.Max(0, chain.Count - 1))
            errors.Add(acceptorsValue!.Error($"task '{name}' has {chain.Count} models in its chain, so it needs {Math.Max(0, chain.Count - 1)} acceptors, not {acceptors.Count}"));
        else if (acceptors is not null)
        {
            for (var k = 0; k < acceptors.Count; k++)
            {
                if (acceptors[k].Position != k)
                    errors.Add(acceptorsValue!.Items![k].Error($"acceptor {k} of '{name}' has {acceptors[k].Weights.Count} weights; chain position {k} needs {Acceptor.FeatureCount(k)}"));
            }
        }
        if (agreement is not null && agreement.Count != Math.Max(0, chain.Count - 1))
            errors.Add(agreementValue!.Error($"\"agreement\" of '{name}' needs one share per chain model but the last ({Math.Max(0, chain.Count - 1)}), not {agreement.Count}"));
        if (reach is not null && reach.Count != chain.Count)
            errors.Add(reachValue!.Error($"\"reach\" of '{name}' needs one share per chain model ({chain.Count}), not {reach.Count}"));
        // "any" is -∞: every answer that has a confidence is accepted. On the probability scale that is 0 (scores are 0–1).
        // The bound is one statement of three figures: all of them or none.
        QualityBoundFigures? bound = null;
        if (boundQuality is { } bq && boundConfidence is { } bc && boundQueries is { } bn) bound = new QualityBoundFigures(bq, bc, (int)bn);
        else if (boundQuality is not null || boundConfidence is not null || boundQueries is not null)
            errors.Add((boundValue ?? value).Error($"task '{name}' records a quality bound only in part: \"qualityBound\", \"boundConfidence\" and \"boundQueries\" go together"));
        if (scale == ConfidenceScale.Probability) thresholds = thresholds.Select(t => double.IsNegativeInfinity(t) ? 0 : t).ToList();
        return new TaskCalibration(name, chain, thresholds, models, acceptors, reach, expectedQuality, expectedCost, bestModel, margin, scale, bound, agreement);
    }

    private static ModelFigures? ReadModel(string model, JsonValue value, string task, List<CalibrationError> errors)
    {
        if (value.Kind != JsonKind.Object)
        {
            errors.Add(value.Error($"model '{model}' of '{task}' must be an object with \"quality\" and \"costUsd\""));
            return null;
        }

        double? quality = null, cost = null;
        foreach (var (member, v, key) in value.Members!)
        {
            if (member == "quality") quality = ReadFraction(v, $"\"quality\" of model '{model}' in '{task}'", errors);
            else if (member == "costUsd") cost = ReadNonNegative(v, $"\"costUsd\" of model '{model}' in '{task}'", errors);
            else errors.Add(key.Error($"unknown member \"{member}\" of model '{model}' in '{task}' (expected \"quality\" and \"costUsd\")"));
        }

        if (!value.Members!.Any(m => m.Name == "quality")) errors.Add(value.Error($"model '{model}' of '{task}' has no \"quality\""));
        if (!value.Members!.Any(m => m.Name == "costUsd")) errors.Add(value.Error($"model '{model}' of '{task}' has no \"costUsd\""));
        return quality is null || cost is null ? null : new ModelFigures(model, quality.Value, cost.Value);
    }

    private static Acceptor? ReadAcceptor(JsonValue value, string task, List<CalibrationError> errors)
    {
        if (value.Kind != JsonKind.Object) return null;
        double? bias = null, minProbability = null, skipBelow = null;
        List<double>? weights = null;
        var ok = true;
        foreach (var (member, v, key) in value.Members!)
        {
            switch (member)
            {
                case "bias":
                case "minProbability":
                    if (v.Kind != JsonKind.Number)
                    {
                        errors.Add(v.Error($"\"{member}\" of an acceptor of '{task}' must be a number"));
                        ok = false;
                    }
                    else if (member == "bias")
                    {
                        bias = v.Number;
                    }
                    else if (v.Number is < 0 or > 1 || double.IsNaN(v.Number))
                    {
                        // A probability: 7 would never accept an answer, -1 would accept every one.
                        errors.Add(v.Error($"\"minProbability\" of an acceptor of '{task}' is {Num(v.Number)}, outside 0–1"));
                        ok = false;
                    }
                    else
                    {
                        minProbability = v.Number;
                    }

                    break;
                case "weights":
                    weights = ReadNumbers(v, $"\"weights\" of an acceptor of '{task}'", errors);
                    ok &= weights is not null;
                    if (weights is not null && (weights.Count < 3 || (weights.Count - 3) % 3 != 0))
                    {
                        errors.Add(v.Error($"an acceptor of '{task}' has {weights.Count} weights; position k needs 3 + 3k"));
                        ok = false;
                    }

                    break;
                case "skipBelow":
                    skipBelow = ReadFraction(v, $"\"skipBelow\" of an acceptor of '{task}'", errors);
                    ok &= skipBelow is not null;
                    break;
                default:
                    errors.Add(key.Error($"unknown member \"{member}\" of an acceptor of '{task}' (expected \"bias\", \"weights\", \"minProbability\" and optionally \"skipBelow\")"));
                    ok = false;
                    break;
            }
        }

        foreach (var required in new[] { "bias", "weights", "minProbability" })
        {
            if (value.Members!.Any(m => m.Name == required)) continue;
            errors.Add(value.Error($"an acceptor of '{task}' has no \"{required}\""));
            ok = false;
        }

        return ok && bias is not null && weights is not null && minProbability is not null ? new Acceptor(bias.Value, weights, minProbability.Value, skipBelow ?? 0) : null;
    }

    private static List<T>? ReadArray<T>(JsonValue value, string what, List<CalibrationError> errors, Func<JsonValue, T?> read, string expected)
    {
        if (value.Kind != JsonKind.Array)
        {
            errors.Add(value.Error($"{what} must be an array"));
            return null;
        }

        var list = new List<T>();
        foreach (var element in value.Items!)
        {
            var before = errors.Count;
            var item = read(element);
            if (item is null)
            {
                if (errors.Count == before) errors.Add(element.Error($"each element of {what} must be {expected}"));
                return null;
            }

            list.Add(item);
        }

        return list;
    }

    private static List<double>? ReadNumbers(JsonValue value, string what, List<CalibrationError> errors) =>
        ReadArray(value, what, errors, e => e.Kind == JsonKind.Number ? e.Number : (double?)null, "a number")?.Select(x => x!.Value).ToList();

    /// <summary>The thresholds: numbers, or <see cref="AcceptAny"/> for "accept every answer that has a confidence" (-∞).</summary>
    private static List<double>? ReadThresholds(JsonValue value, string what, List<CalibrationError> errors) =>
        ReadArray(value, what, errors, e => e.Kind == JsonKind.Number ? e.Number : e.Kind == JsonKind.String && e.Text == AcceptAny ? double.NegativeInfinity : (double?)null,
            $"a number, or \"{AcceptAny}\" (accept every answer that has a confidence)")?.Select(x => x!.Value).ToList();

    private static double? ReadFraction(JsonValue value, string what, List<CalibrationError> errors)
    {
        if (value.Kind != JsonKind.Number) errors.Add(value.Error($"{what} must be a number between 0 and 1"));
        else if (value.Number < 0 || value.Number > 1) errors.Add(value.Error($"{what} is {Num(value.Number)}, outside 0–1"));
        else return value.Number;
        return null;
    }

    private static double? ReadNonNegative(JsonValue value, string what, List<CalibrationError> errors)
    {
        if (value.Kind != JsonKind.Number) errors.Add(value.Error($"{what} must be a number"));
        else if (value.Number < 0) errors.Add(value.Error($"{what} is {Num(value.Number)}, below 0"));
        else return value.Number;
        return null;
    }

    private static string Num(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
