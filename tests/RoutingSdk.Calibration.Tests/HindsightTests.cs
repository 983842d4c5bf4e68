using RoutingSdk.Calibration;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration.Tests;

public class HindsightTests
{
    [Fact]
    public void Floors_follow_the_cheapest_plan_of_each_level_and_the_oracle_pays_per_right_answer()
    {
        // cheap (cost 1) is right on 70% and sure exactly then; dear (cost 10) is right on 90%.
        var data = Synthetic.SeparatingConfidence();
        var bound = Assert.Single(Calibrator.Hindsight(new[] { data }, new[] { 0.7 / 0.9, 1.0, 1.01 }));

        Assert.Equal("dear", bound.BestModel);
        Assert.Equal(200, bound.Queries);
        // 0.7/0.9 of the best: the cheap model alone, 1/10 of the cost.
        Assert.Equal(0.1, bound.Points[0].RelativeCost, 9);
        Assert.Equal(new[] { "cheap" }, bound.Points[0].Chain);
        // All of the best model's quality: cheap first, the 30% it is unsure of escalated: (1 + 0.3 × 10) / 10.
        Assert.Equal(0.4, bound.Points[1].RelativeCost, 9);
        Assert.Equal(new[] { "cheap", "dear" }, bound.Points[1].Chain);
        // Nothing beats the best model here: no model is right on the queries it gets wrong.
        Assert.True(double.IsPositiveInfinity(bound.Points[2].RelativeCost));
        Assert.Empty(bound.Points[2].Chain);
        // The oracle: cheap where it is right (70%), dear where only dear is (20%), cheap where none is (10%).
        Assert.Equal((0.7 * 1 + 0.2 * 10 + 0.1 * 1) / 10, bound.OracleRelativeCost, 9);
        Assert.Equal(1.0, bound.OracleRelativeQuality, 9);
    }

    [Fact]
    public void A_skip_level_is_part_of_the_family_and_its_cost_is_exact()
    {
        // a is right and sure on 60%, doubtful on 20% (b right), lost on 20% (only c right); c is the best model (0.95).
        var data = Synthetic.MiddleTierOnlyForDoubt();
        var level = 1.0 / 0.95;   // every query right: no answer of a's doubt or loss may be accepted

        var skipping = Assert.Single(Calibrator.Hindsight(new[] { data }, new[] { level })).Points[0];
        var walking = Assert.Single(Calibrator.Hindsight(new[] { data }, new[] { level }, new CalibratorOptions { SkipToLast = false })).Points[0];

        // a's sure answers (1 each), b for the doubtful ones (1 + 3), c straight after a for the lost ones (1 + 10), over c's 10.
        Assert.Equal((0.6 * 1 + 0.2 * 4 + 0.2 * 11) / 10, skipping.RelativeCost, 9);
        Assert.Equal(new[] { "a", "b", "c" }, skipping.Chain);
        // Without skipping the lost answers pay b as well: (0.6 + 0.2 × 4 + 0.2 × 14) / 10.
        Assert.Equal((0.6 * 1 + 0.2 * 4 + 0.2 * 14) / 10, walking.RelativeCost, 9);
    }

    [Fact]
    public void A_higher_level_never_costs_less()
    {
        var levels = new[] { 0.6, 0.7, 0.8, 0.9, 0.95, 1.0 };
        var bound = Assert.Single(Calibrator.Hindsight(new[] { Synthetic.NoConfidence() }, levels));
        for (var i = 1; i < levels.Length; i++)
            Assert.True(bound.Points[i].RelativeCost >= bound.Points[i - 1].RelativeCost, $"{levels[i]}: {bound.Points[i].RelativeCost} < {bound.Points[i - 1].RelativeCost}");
        // Without confidence only single models: 0.6/0.9 and 0.88/0.9 of the best at 1/10 and 3/10 of its cost.
        Assert.Equal(0.1, bound.Points[0].RelativeCost, 9);
        Assert.Equal(0.3, bound.Points[3].RelativeCost, 9);
        Assert.Equal(1.0, bound.Points[5].RelativeCost, 9);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(2.5)]
    [InlineData(double.NaN)]
    public void Levels_outside_the_range_are_refused(double level)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Calibrator.Hindsight(new[] { Synthetic.NoConfidence() }, new[] { 0.95, level }));
        Assert.Contains("outside (0, 2]", ex.Message);
    }
}
