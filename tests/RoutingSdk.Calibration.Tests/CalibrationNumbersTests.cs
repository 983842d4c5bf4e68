using System.Globalization;
using System.Text;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration.Tests;

/// <summary>How the calibration file writes numbers, and "accept every answer" as a threshold the file says literally.</summary>
public sealed class CalibrationNumbersTests
{
    [Fact]
    public void Measured_figures_are_written_without_float_noise_and_thresholds_exactly()
    {
        var noisyCost = 6.1000000000000026E-05;   // a mean cost as the issue saw it
        var task = new TaskCalibration("t", new[] { "small", "large" }, new[] { 0.30000000000000004 },
            new[] { new ModelFigures("small", 0.7333333333333334, noisyCost), new ModelFigures("large", 0.9, 0.00123) },
            expectedQuality: 0.1 + 0.2, expectedCostUsd: noisyCost * 1.5, scale: ConfidenceScale.Probability);
        var text = CalibrationFileWriter.Write(new RoutingCalibration(new[] { task }, 0.95));

        Assert.DoesNotContain("E-", text, StringComparison.OrdinalIgnoreCase);
        Assert.True(text.Contains("\"costUsd\": 0.000061 }", StringComparison.Ordinal), text);
        Assert.Contains("\"quality\": 0.733333333333,", text);
        Assert.Contains("\"expectedQuality\": 0.3,", text);
        Assert.Contains("\"thresholds\": [0.30000000000000004]", text);   // compared against: kept exact
        var read = CalibrationFile.Parse(text);
        Assert.True(read.Success, string.Join("; ", read.Errors));
        Assert.Equal(0.000061, read.Calibration.Tasks[0].Models[0].CostUsd);
        Assert.Equal(0.30000000000000004, read.Calibration.Tasks[0].Thresholds[0]);
    }

    [Theory]
    [InlineData(6.1000000000000026E-05, "0.000061")]
    [InlineData(-1.5e-7, "-0.00000015")]
    [InlineData(1.25e21, "1.25E+21")]
    [InlineData(123.5, "123.5")]
    public void Numbers_are_plain_decimals(double value, string written) => Assert.Equal(written, CalibrationFileWriter.Figure(value));

    /// <summary>The cheap model is always right; a fifth of its confidences lie below -10 (the acceptors' floor).</summary>
    private static TaskOutcomes AlwaysRightWithLowConfidences()
    {
        var csv = new StringBuilder("benchmark,query,model,correct,cost_usd,confidence,answer\n");
        for (var q = 0; q < 100; q++)
        {
            var confidence = q % 5 == 0 ? -12.5 - q / 10.0 : -0.1 - q / 50.0;
            csv.Append(FormattableString.Invariant($"t,{q},cheap,1,1,{confidence},a\n"));
            csv.Append(FormattableString.Invariant($"t,{q},dear,1,10,-0.01,a\n"));
        }

        return TaskOutcomes.Group(OutcomeCsv.Parse(csv.ToString())).Single();
    }

    [Fact]
    public void Accepting_every_answer_is_written_any_and_a_literal_reading_agrees()
    {
        var data = AlwaysRightWithLowConfidences();
        var models = new[] { new ModelFigures("cheap", 1, 1), new ModelFigures("dear", 1, 10) };
        var text = CalibrationFileWriter.Write(new RoutingCalibration(new[]
        {
            new TaskCalibration("t", new[] { "cheap", "dear" }, new[] { double.NegativeInfinity }, models, scale: ConfidenceScale.LogProbability),
        }));
        Assert.True(text.Contains("\"thresholds\": [\"any\"]", StringComparison.Ordinal), text);

        var read = CalibrationFile.Parse(text);
        Assert.True(read.Success, string.Join("; ", read.Errors));
        var plan = read.Calibration.Tasks.Single();
        Assert.Equal(double.NegativeInfinity, plan.LogThreshold(0));
        // A literal reader accepts every cheap answer, the ones below -10 too; so does the replay.
        Assert.Equal(1.0, Evaluator.EvaluateTask(plan, data, thresholdsOnly: true).AnsweredShare[0]);
    }

    [Fact]
    public void A_threshold_of_minus_10_escalates_the_answers_below_it_as_written()
    {
        var data = AlwaysRightWithLowConfidences();
        var plan = new TaskCalibration("t", new[] { "cheap", "dear" }, new[] { -10.0 },
            new[] { new ModelFigures("cheap", 1, 1), new ModelFigures("dear", 1, 10) }, scale: ConfidenceScale.LogProbability);
        var replay = Evaluator.EvaluateTask(plan, data, thresholdsOnly: true);
        var literal = data.Queries.Select((_, q) => data.Confidence[q][0] >= -10).Count(accepted => accepted) / (double)data.Queries.Count;
        Assert.Equal(0.8, literal, 9);
        Assert.Equal(literal, replay.AnsweredShare[0], 9);
    }

    [Theory]
    [InlineData("logprob", double.NegativeInfinity)]
    [InlineData("probability", 0.0)]
    public void Any_reads_as_the_threshold_that_accepts_every_confidence_on_the_files_scale(string scale, double expected)
    {
        var text = "{ \"version\": 1, \"tasks\": { \"t\": { \"chain\": [\"small\", \"large\"], \"confidenceScale\": \"" + scale
            + "\", \"thresholds\": [\"any\"], \"models\": { \"small\": { \"quality\": 0.9, \"costUsd\": 0.1 } } } } }";
        var read = CalibrationFile.Parse(text);
        Assert.True(read.Success, string.Join("; ", read.Errors));
        Assert.Equal(expected, read.Calibration.Tasks[0].Thresholds[0]);
        Assert.False(CalibrationFile.Parse(text.Replace("\"any\"", "\"all\"")).Success);
    }
}
