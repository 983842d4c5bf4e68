using RoutingSdk.Calibration;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration.Tests;

/// <summary>The guardrail's baselines measured at calibration: each position's accepted answers against the last tier's.</summary>
public sealed class AgreementBaselinesTests
{
    // Three queries; "a" answers with confidence -0.1 (accepted at threshold -0.5) on queries 0 and 1, -2 on query 2 (escalated).
    private static TaskOutcomes Data() => TaskOutcomes.Group(new[]
    {
        Row(0, "a", 0, correct: 1, confidence: -0.1, answer: "X"), Row(0, "b", 1, correct: 1, confidence: -0.1, answer: "X"),
        Row(1, "a", 0, correct: 0, confidence: -0.1, answer: "Y"), Row(1, "b", 1, correct: 0, confidence: -0.1, answer: "Z"),
        Row(2, "a", 0, correct: 0, confidence: -2, answer: "Y"), Row(2, "b", 1, correct: 1, confidence: -0.1, answer: "X"),
    }).Single();

    private static Outcome Row(int query, string model, int tier, double correct, double confidence, string answer)
        => new("t", query.ToString(System.Globalization.CultureInfo.InvariantCulture), model, correct, 0.001 * (tier + 1), confidence, answer, tier);

    [Fact]
    public void A_position_s_baseline_is_the_share_of_its_accepted_answers_that_agree_with_the_last_tier()
    {
        var plan = new TaskCalibration("t", new[] { "a", "b" }, new[] { -0.5 }, Array.Empty<ModelFigures>(), scale: ConfidenceScale.LogProbability);

        // Accepted: queries 0 (X = X) and 1 (Y ≠ Z); query 2 went to the last tier and is not counted.
        Assert.Equal(new[] { 0.5 }, AgreementBaselines.Measure(plan, Data()));
        // As a judge compares: both wrong on query 1 counts as agreeing.
        Assert.Equal(new[] { 1.0 }, AgreementBaselines.Measure(plan, Data(), byCorrectness: true));
    }

    [Fact]
    public void A_position_that_accepts_nothing_has_no_baseline()
    {
        var plan = new TaskCalibration("t", new[] { "a", "b" }, new[] { 0.0 }, Array.Empty<ModelFigures>(), scale: ConfidenceScale.LogProbability);

        Assert.True(double.IsNaN(Assert.Single(AgreementBaselines.Measure(plan, Data()))));
    }
}
