namespace RoutingSdk.Planning.Tests;

public class CapabilityModelTests
{
    private static TierSpec Tier(string name) => TierCatalog.BuiltIn.Find(name)!;

    [Fact]
    public void Routine_work_anchors_small_near_0_85_and_frontier_near_0_95()
    {
        Assert.Equal(0.85, CapabilityModel.ExpectedQuality(TaskKind.Extraction, Complexity.Medium, Tier("small")), 2);
        Assert.Equal(0.95, CapabilityModel.ExpectedQuality(TaskKind.Extraction, Complexity.Medium, Tier("frontier")), 2);
    }

    [Fact]
    public void Judgment_heavy_work_anchors_small_near_0_30_and_frontier_near_0_85()
    {
        Assert.Equal(0.30, CapabilityModel.ExpectedQuality(TaskKind.Analysis, Complexity.High, Tier("small")), 2);
        Assert.Equal(0.85, CapabilityModel.ExpectedQuality(TaskKind.Analysis, Complexity.High, Tier("frontier")), 2);
    }

    [Fact]
    public void Built_in_tiers_sit_at_their_anchor_levels()
    {
        Assert.Equal(0, CapabilityModel.Level(Tier("small")), 10);
        Assert.Equal(1, CapabilityModel.Level(Tier("frontier")), 10);
    }

    public static TheoryData<TaskKind, Complexity> EveryKindAndComplexity()
    {
        var data = new TheoryData<TaskKind, Complexity>();
        foreach (TaskKind kind in Enum.GetValues(typeof(TaskKind)))
            foreach (Complexity complexity in Enum.GetValues(typeof(Complexity)))
                data.Add(kind, complexity);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryKindAndComplexity))]
    public void Quality_never_falls_as_the_tier_price_rises(TaskKind kind, Complexity complexity)
    {
        var previous = -1.0;
        // From free to far past the frontier list price, on a geometric price ladder.
        for (var price = 0.01m; price < 1000m; price *= 1.25m)
        {
            var q = CapabilityModel.ExpectedQuality(kind, complexity, new TierSpec("t", 0, price, price * 5));
            Assert.InRange(q, 0, 1);
            Assert.True(q >= previous, $"{kind}/{complexity}: quality {q} at ${price}/M is below {previous} at a lower price");
            previous = q;
        }
    }

    [Theory]
    [MemberData(nameof(EveryKindAndComplexity))]
    public void Built_in_tiers_are_ordered_by_quality(TaskKind kind, Complexity complexity)
    {
        var qualities = TierCatalog.BuiltIn.Tiers.Select(t => CapabilityModel.ExpectedQuality(kind, complexity, t)).ToArray();

        for (var i = 1; i < qualities.Length; i++)
            Assert.True(qualities[i] >= qualities[i - 1], $"{kind}/{complexity}: {string.Join(", ", qualities)}");
    }

    [Theory]
    [MemberData(nameof(EveryKindAndComplexity))]
    public void Harder_work_never_scores_higher_on_the_same_tier(TaskKind kind, Complexity complexity)
    {
        if (complexity == Complexity.Extreme) return;
        foreach (var tier in TierCatalog.BuiltIn.Tiers.Where(t => !t.ExtendedThinking))
        {
            Assert.True(CapabilityModel.ExpectedQuality(kind, complexity + 1, tier) <= CapabilityModel.ExpectedQuality(kind, complexity, tier));
        }
    }

    [Fact]
    public void Difficulty_is_clamped_to_0_1()
    {
        Assert.Equal(0, CapabilityModel.Difficulty(TaskKind.Classification, Complexity.Trivial), 10);
        Assert.Equal(1, CapabilityModel.Difficulty(TaskKind.Analysis, Complexity.Extreme), 10);
    }

    [Fact]
    public void Thinking_helps_hard_work_more_than_routine_work()
    {
        var frontier = Tier("frontier");
        var thinking = Tier("frontier-thinking");
        double Gain(TaskKind k, Complexity c) => CapabilityModel.ExpectedQuality(k, c, thinking) - CapabilityModel.ExpectedQuality(k, c, frontier);

        Assert.True(Gain(TaskKind.Analysis, Complexity.High) > Gain(TaskKind.Extraction, Complexity.Low));
    }
}
