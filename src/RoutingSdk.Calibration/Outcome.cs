using RoutingSdk.Planning;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration;

/// <summary>One row of an outcome file: how one model did on one query of one task.</summary>
public sealed class Outcome
{
    /// <summary>Creates an outcome row.</summary>
    public Outcome(string task, string query, string model, double correct, double costUsd, double? confidence = null,
        string? answer = null, int? tier = null, int? tokensIn = null, int? tokensOut = null, double? latencyMs = null, int line = 0)
    {
        Task = task;
        Query = query;
        Model = model;
        Correct = correct;
        CostUsd = costUsd;
        Confidence = confidence;
        Answer = answer;
        Tier = tier;
        TokensIn = tokensIn;
        TokensOut = tokensOut;
        LatencyMs = latencyMs;
        Line = line;
    }

    /// <summary>The task: the <c>benchmark</c> column, or <c>benchmark/chain</c> when a <c>chain</c> column exists.</summary>
    public string Task { get; }

    /// <summary>The query id, unique within the task.</summary>
    public string Query { get; }

    /// <summary>The model (a tier name when the plan is to use the calibration).</summary>
    public string Model { get; }

    /// <summary>1 when the answer was right, 0 when wrong, or a score between.</summary>
    public double Correct { get; }

    /// <summary>What the call cost in USD.</summary>
    public double CostUsd { get; }

    /// <summary>The model's confidence in its answer (a log-probability, higher is surer), or null when unknown.</summary>
    public double? Confidence { get; }

    /// <summary>The model's answer (one line), or null when not recorded.</summary>
    public string? Answer { get; }

    /// <summary>The model's position in its chain (0 = cheapest), when recorded.</summary>
    public int? Tier { get; }

    /// <summary>Input tokens, when recorded.</summary>
    public int? TokensIn { get; }

    /// <summary>Output tokens, when recorded.</summary>
    public int? TokensOut { get; }

    /// <summary>Latency in milliseconds, when recorded.</summary>
    public double? LatencyMs { get; }

    /// <summary>The 1-based line of the file the row came from (0 when not read from a file).</summary>
    public int Line { get; }
}
