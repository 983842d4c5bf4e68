using RoutingSdk.Calibration;
using RoutingSdk.Planning.Calibration;
using RoutingSdk.Planning.Guardrail;
using Xunit.Abstractions;

namespace RoutingSdk.Calibration.Tests;

/// <summary>
/// The guardrail where it has power: long streams resampled from the shared cascades data with a shift injected at a known
/// point, and on short shifted data the promise that the online replay is never worse than the static plan. The figures
/// are in docs/guardrail.md.
/// </summary>
public class GuardrailStreamTests(ITestOutputHelper output)
{
    private const int Queries = 100_000;
    private const int ShiftAt = 50_000;
    private const double ShiftShare = 0.3;

    /// <summary>
    /// <paramref name="queries"/> queries drawn with replacement from <paramref name="data"/> (seeded); from
    /// <paramref name="shiftAt"/> on, <paramref name="share"/> of the right answers of every chain model but the last turn
    /// wrong (a different answer) while their confidence stays as recorded.
    /// </summary>
    internal static TaskOutcomes ShiftedStream(TaskOutcomes data, IReadOnlyList<int> chain, int queries, int shiftAt, double share, int seed)
    {
        var random = new Random(seed);
        var stream = data.Subset(Enumerable.Range(0, queries).Select(_ => random.Next(data.Queries.Count)).ToArray());
        for (var q = shiftAt; q < queries; q++)
        {
            double[]? correct = null;
            string?[]? answers = null;
            for (var k = 0; k < chain.Count - 1; k++)
            {
                var m = chain[k];
                if (stream.Correct[q][m] < 1 || random.NextDouble() >= share) continue;
                correct ??= (double[])stream.Correct[q].Clone();
                answers ??= (string?[])stream.Answers[q].Clone();
                correct[m] = 0;
                answers[m] = "shifted:" + answers[m];
            }

            if (correct is null) continue;
            stream.Correct[q] = correct;
            stream.Answers[q] = answers!;
        }

        return stream;
    }

    private static double Mean(double[] values, int from, int to)
    {
        double sum = 0;
        for (var i = from; i < to; i++) sum += values[i];
        return to > from ? sum / (to - from) : double.NaN;
    }

    [LongRealDataFact]
    public void On_a_long_stream_the_guardrail_reacts_to_the_shift_and_keeps_the_target_after_it_within_its_spending_cap()
    {
        var tasks = TaskOutcomes.Group(OutcomeCsv.Read(Path.Combine(RealData.Directory!, "cascades-train.csv")));
        // With each position's agreement with the last tier, the guardrail's baseline, as `routing calibrate` records it.
        // Answers are compared as a judge would (both right or both wrong): gsm8k's and truthfulqa's are free text.
        var calibration = AgreementBaselines.With(Calibrator.Calibrate(tasks, new CalibratorOptions { Target = 0.95 }), tasks, byCorrectness: true);
        var settings = new GuardSettings(requiredAgreement: 0.95);
        output.WriteLine($"{Queries:N0} queries per task, shift at {ShiftAt:N0}: {ShiftShare:P0} of the cheap tiers' right answers turn wrong; 2 % shadowed, cap 5 %");
        output.WriteLine("task                    reacts  static before/after  online before/after-shift/after-reaction/whole  cost static/online  shadow share  tightened");
        foreach (var plan in calibration.Tasks)
        {
            var data = tasks.Single(t => t.Task == plan.Task);
            var chain = Evaluator.ChainIndexes(plan, data);
            if (chain.Length < 2) continue;
            var stream = ShiftedStream(data, chain, Queries, ShiftAt, ShiftShare, seed: 1);
            var online = OnlineReplay.Run(plan, stream, settings, rate: 0.02, maxShareOfCost: 0.05, byCorrectness: true);

            var best = stream.BestModel();
            var bestCorrect = stream.Correct.Select(row => row[best]).ToArray();
            var staticCorrect = new double[Queries];
            for (var q = 0; q < Queries; q++) staticCorrect[q] = stream.Correct[q][chain[Evaluator.Replay(plan, stream, q, chain).Position]];
            var reactedAt = online.TightenedAt.FirstOrDefault(q => q >= ShiftAt, -1);
            double Rel(double[] values, int from, int to) => Mean(values, from, to) / Mean(bestCorrect, from, to);
            var afterReaction = reactedAt < 0 ? double.NaN : Rel(online.Correct, reactedAt, Queries);
            output.WriteLine($"{plan.Task,-22} {(reactedAt < 0 ? "never" : (reactedAt - ShiftAt).ToString("N0")),7}  {Rel(staticCorrect, 0, ShiftAt):0.000}/{Rel(staticCorrect, ShiftAt, Queries):0.000}"
                + $"          {Rel(online.Correct, 0, ShiftAt):0.000}/{Rel(online.Correct, ShiftAt, Queries):0.000}/{afterReaction:0.000}/{Rel(online.Correct, 0, Queries):0.000}"
                + $"                   {online.Static.RelativeCost:0.000}/{online.RelativeCost:0.000}        {online.ShadowShare:P1}        {online.Tightenings}"
                + $"  baseline {string.Join(", ", plan.Agreement!.Select(a => a.ToString("0.000")))}  shadow calls {online.ShadowCalls}  tightened at {string.Join(", ", online.TightenedAt.Take(6))}");

            Assert.True(online.ShadowShare <= 0.05, $"{plan.Task}: shadow calls are {online.ShadowShare:P1} of the cost");
            Assert.True(Rel(online.Correct, 0, Queries) >= Rel(staticCorrect, 0, Queries) - 1e-9, $"{plan.Task}: the guardrail lost quality over the stream");
            // Before the shift it changes nothing; after it, it reacts, and from its reaction on keeps 0.95× of the best model.
            Assert.True(online.TightenedAt.All(q => q >= ShiftAt), $"{plan.Task}: the guardrail tightened on healthy traffic, at {string.Join(", ", online.TightenedAt.Where(q => q < ShiftAt))}");
            Assert.True(Rel(online.Correct, 0, ShiftAt) >= Rel(staticCorrect, 0, ShiftAt) - 1e-9, $"{plan.Task}: the guardrail lost quality before the shift");
            Assert.True(reactedAt >= 0, $"{plan.Task}: the guardrail never reacted to the shift");
            Assert.True(afterReaction >= 0.95, $"{plan.Task}: {afterReaction:0.000}× of the best model after the reaction");
        }
    }

    [LongRealDataFact]
    public void On_short_shifted_data_the_online_replay_is_never_worse_than_the_static_plan()
    {
        // Calibrate on the even queries; replay the odd ones without the easiest (every model right).
        var tasks = TaskOutcomes.Group(OutcomeCsv.Read(Path.Combine(RealData.Directory!, "cascades-train.csv")));
        var fit = tasks.Select(t => t.Subset(Enumerable.Range(0, t.Queries.Count).Where(q => q % 2 == 0).ToArray())).ToArray();
        var calibration = AgreementBaselines.With(Calibrator.Calibrate(fit, new CalibratorOptions { Target = 0.95 }), fit);
        foreach (var plan in calibration.Tasks)
        {
            var data = tasks.Single(t => t.Task == plan.Task);
            var hard = data.Subset(Enumerable.Range(0, data.Queries.Count).Where(q => q % 2 == 1 && data.Correct[q].Any(c => c < 1)).ToArray());
            var online = OnlineReplay.Run(plan, hard, new GuardSettings(0.95), rate: 0.05, maxShareOfCost: 0.05);
            output.WriteLine($"{plan.Task,-22} {hard.Queries.Count,5} queries  static {online.Static.RelativeQuality:0.000}× at {online.Static.RelativeCost:0.000}×  online {online.RelativeQuality:0.000}× at {online.RelativeCost:0.000}× (shadow {online.ShadowCostUsd / online.Static.BestCostUsd:0.000}×)  tightened {online.Tightenings}");
            Assert.True(online.Quality >= online.Static.Quality - 1e-12, $"{plan.Task}: online {online.Quality} below static {online.Static.Quality}");
            Assert.True(online.CostUsd <= online.Static.CostUsd + online.ShadowCostUsd + 1e-12, $"{plan.Task}: online costs more than the static plan and its shadow calls");
        }
    }
}
