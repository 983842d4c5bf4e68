using RoutingSdk.Planning;
using RoutingSdk.Calibration;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration.Tests;

public class PlannerCalibrationTests
{
    private static readonly TaskSpec Spec = new("Desk.ClassifyAsync", "ClassifyAsync", TaskKind.Classification, Complexity.Low) { QualityThreshold = 0.85 };

    private static TaskCalibration Calibration(string task = "Desk.ClassifyAsync", string[]? chain = null, double[]? thresholds = null, double[]? reach = null) =>
        new(task, chain ?? new[] { "small", "frontier" }, thresholds ?? new[] { 0.7 },
            new[] { new ModelFigures("small", 0.7, 0.0001), new ModelFigures("mid", 0.8, 0.001), new ModelFigures("frontier", 0.93, 0.01) },
            reach: reach ?? new[] { 1, 0.4 }, expectedQuality: 0.9);

    [Fact]
    public void Without_a_calibration_the_plan_is_unchanged()
    {
        Assert.Equal(Planner.Plan(Spec, TierCatalog.BuiltIn), Planner.Plan(Spec, TierCatalog.BuiltIn, (TaskCalibration?)null));
        Assert.Equal(Planner.Plan(Spec, TierCatalog.BuiltIn), Planner.Plan(Spec, TierCatalog.BuiltIn, Calibration(task: "Other.Task")));
    }

    [Fact]
    public void A_calibration_sets_the_chain_thresholds_and_measured_figures()
    {
        var plan = Planner.Plan(Spec, TierCatalog.BuiltIn, Calibration());

        Assert.Equal(new[] { "small", "frontier" }, plan.Chain);
        Assert.True(plan.HasCustomThresholds);
        Assert.Equal(new[] { 0.7, 0 }, plan.AcceptanceThresholds); // the last tier always answers
        Assert.Equal(0.9, plan.ProjectedQuality);
        var tokens = Spec.Tokens;
        var expected = (1m * tokens.CostOn(TierCatalog.BuiltIn.Find("small")!) + 0.4m * tokens.CostOn(TierCatalog.BuiltIn.Find("frontier")!)) * 1000m;
        Assert.Equal(Math.Round(expected, 6), plan.ProjectedUsdPerThousandCalls);
        Assert.DoesNotContain(plan.Findings, f => f.Kind == FindingKind.CalibrationMismatch);
        Assert.Equal(0.7, Planner.Quality(Spec, TierCatalog.BuiltIn.Find("small")!, Calibration()));
    }

    [Fact]
    public void A_calibrations_acceptors_reach_the_plan_and_ones_that_do_not_fit_are_a_mismatch_not_a_crash()
    {
        var acceptor = new Acceptor(1, new double[] { 4, 0, 0 }, 0.8);
        var models = new[] { new ModelFigures("small", 0.7, 0.0001), new ModelFigures("frontier", 0.93, 0.01) };
        var fitting = new TaskCalibration("Desk.ClassifyAsync", new[] { "small", "frontier" }, new[] { 0.7 }, models, new[] { acceptor },
            new[] { 1, 0.4 }, 0.9, scale: ConfidenceScale.Probability);
        var plan = Planner.Plan(Spec, TierCatalog.BuiltIn, fitting);
        Assert.Equal(new[] { acceptor }, plan.Acceptors!);
        Assert.NotEqual(Planner.Plan(Spec, TierCatalog.BuiltIn, Calibration()), plan); // acceptors take part in equality (and generator caching)

        var wrongWeights = new TaskCalibration("Desk.ClassifyAsync", new[] { "small", "frontier" }, new[] { 0.7 }, models,
            new[] { new Acceptor(1, new double[] { 4, 0, 0, 1, 1, 1 }, 0.8) }, new[] { 1, 0.4 }, 0.9, scale: ConfidenceScale.Probability);
        var kept = Planner.Plan(Spec, TierCatalog.BuiltIn, wrongWeights);
        Assert.Null(kept.Acceptors);
        Assert.Contains(kept.Findings, f => f.Kind == FindingKind.CalibrationMismatch && f.Message.Contains("acceptor at chain position 0 has 6 weights, not 3"));

        var wrongCount = new TaskCalibration("Desk.ClassifyAsync", new[] { "small", "frontier" }, new[] { 0.7 }, models,
            new[] { acceptor, acceptor }, new[] { 1, 0.4 }, 0.9, scale: ConfidenceScale.Probability);
        Assert.Contains(Planner.Plan(Spec, TierCatalog.BuiltIn, wrongCount).Findings,
            f => f.Kind == FindingKind.CalibrationMismatch && f.Message.Contains("2 tiers but 2 acceptors"));
    }

    [Fact]
    public void A_measured_quality_below_the_threshold_is_reported_as_unreachable()
    {
        var spec = Spec with { QualityThreshold = 0.95 };
        var plan = Planner.Plan(spec, TierCatalog.BuiltIn, Calibration());
        var finding = Assert.Single(plan.Findings, f => f.Kind == FindingKind.Unreachable);
        Assert.Contains("measured 0.90", finding.Message);
    }

    [Theory]
    [InlineData(new[] { "small", "gpt-9" }, new[] { 0.7 }, "model 'gpt-9' of its chain is not a tier of the catalog")]
    [InlineData(new[] { "small", "frontier" }, new double[0], "2 tiers but 0 thresholds")]
    [InlineData(new[] { "small", "frontier" }, new[] { -0.3 }, "its thresholds are log-probabilities (-0.3), not scores from 0 to 1 (the router's scale)")]
    [InlineData(new[] { "frontier", "small" }, new[] { 0.7 }, "calls 'small' after 'frontier'")]
    public void An_inconsistent_calibration_keeps_the_built_in_plan_with_a_finding(string[] chain, double[] thresholds, string message)
    {
        var builtIn = Planner.Plan(Spec, TierCatalog.BuiltIn);
        var plan = Planner.Plan(Spec, TierCatalog.BuiltIn, Calibration(chain: chain, thresholds: thresholds));

        Assert.Equal(builtIn.Chain, plan.Chain);
        Assert.False(plan.HasCustomThresholds);
        var finding = Assert.Single(plan.Findings, f => f.Kind == FindingKind.CalibrationMismatch);
        Assert.Contains(message, finding.Message);
        Assert.Contains("'Desk.ClassifyAsync'", finding.Message);
        Assert.False(plan.HasErrors);
    }

    [Fact]
    public void A_chain_above_MaxTier_is_inconsistent()
    {
        var plan = Planner.Plan(Spec with { MaxTier = "mid" }, TierCatalog.BuiltIn, Calibration());
        Assert.Contains(plan.Findings, f => f.Kind == FindingKind.CalibrationMismatch && f.Message.Contains("above MaxTier 'mid'"));
    }

    [Fact]
    public void A_pinned_tier_wins_over_the_calibration()
    {
        var spec = Spec with { Tier = "mid" };
        Assert.Equal(Planner.Plan(spec, TierCatalog.BuiltIn), Planner.Plan(spec, TierCatalog.BuiltIn, Calibration()));
    }

    [Fact]
    public void A_parsed_file_plans_by_task_name()
    {
        var parsed = CalibrationFile.Parse("""{ "tasks": { "Desk.ClassifyAsync": { "chain": ["small", "mid"], "thresholds": [0.9] } } }""");
        Assert.True(parsed.Success);
        var plan = Planner.Plan(Spec, TierCatalog.BuiltIn, parsed.Calibration);
        Assert.Equal(new[] { "small", "mid" }, plan.Chain);
        Assert.Equal(new[] { 0.9, 0 }, plan.AcceptanceThresholds);
    }
}
