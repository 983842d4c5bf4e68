using System.Collections.Generic;
using RoutingSdk.Planning.Calibration;
using static RoutingSdk.Planning.Tests.Specs;

namespace RoutingSdk.Planning.Tests;

/// <summary>
/// Every wording of a finding, rendered whole from the Planner's arguments and the format the diagnostics share: a change
/// of wording or of an argument's shape shows here as a changed message.
/// </summary>
public sealed class FindingMessageTests
{
    private static readonly TierCatalog ThinkingOnly =
        new(new[] { new TierSpec("deep", 0, 1m, 4m, reasoningCostPerMillion: 4m, typicalLatencyMs: 9000, extendedThinking: true) });

    private static TaskCalibration Calibration(string[]? chain = null, double[]? thresholds = null, double[]? reach = null, Acceptor[]? acceptors = null) =>
        new("Desk.RunAsync", chain ?? new[] { "small", "frontier" }, thresholds ?? new[] { 0.7 },
            new[] { new ModelFigures("small", 0.7, 0.0001), new ModelFigures("frontier", 0.93, 0.01) },
            acceptors, reach ?? new[] { 1, 0.4 }, expectedQuality: 0.9);

    private static TaskPlan Calibrated(TaskSpec spec, TaskCalibration calibration) => Planner.Plan(spec, TierCatalog.BuiltIn, calibration);

    private static readonly TaskSpec Classification = Task(TaskKind.Classification, Complexity.Low, 0.85);

    /// <summary>The built-in prices, with windows and capabilities declared: a small tier of 8,000 tokens that answers only in text.</summary>
    private static readonly TierCatalog Declared = new(new[]
    {
        new TierSpec("small", 0, 0.25m, 1.25m, typicalLatencyMs: 400) { ContextWindowTokens = 8_000, Capabilities = TierCapabilities.None },
        new TierSpec("mid", 1, 3m, 15m, typicalLatencyMs: 1500) { ContextWindowTokens = 128_000, Capabilities = TierCapabilities.StructuredOutput },
        new TierSpec("frontier", 2, 15m, 75m, typicalLatencyMs: 4000) { ContextWindowTokens = 200_000, Capabilities = TierCapabilities.StructuredOutput | TierCapabilities.ToolCalling },
    });

    private const string DoesNotFit = "the calibration of 'Desk.RunAsync' does not fit the tier catalog: ";

    /// <summary>Per wording: the plan that has it, and its whole message (a function of the plan where a figure comes from it).</summary>
    private static readonly Dictionary<FindingFormat, (Func<TaskPlan> Plan, Func<TaskPlan, string> Message)> Cases = new()
    {
        [FindingFormat.UnknownTier] = (() => Plan(Classification with { MaxTier = "huge" }),
            _ => "MaxTier 'huge' of 'RunAsync' is not in the tier catalog ('small', 'mid', 'frontier', 'frontier-thinking')"),
        [FindingFormat.ThresholdOutOfRange] = (() => Plan(Task(TaskKind.Classification, Complexity.Low, 1.5)),
            _ => "QualityThreshold 1.5 of 'RunAsync' is outside 0–1"),
        [FindingFormat.NegativeValue] = (() => Plan(Classification with { ExpectedOutputTokens = -5 }),
            _ => "ExpectedOutputTokens -5 of 'RunAsync' is negative"),
        [FindingFormat.Overspend] = (() => Plan(Classification with { Tier = "frontier" }),
            _ => "'RunAsync' pins tier 'frontier' for a Low-complexity Classification task; 'small' meets QualityThreshold 0.85 at 1/60 of the projected cost ($0.11 vs $6.75 per 1,000 calls): remove Tier or set Tier = \"small\""),
        [FindingFormat.ThinkingTierPinned] = (() => Plan(Task(TaskKind.Formatting, Complexity.Low) with { Tier = "frontier-thinking" }),
            _ => "'RunAsync' pins the extended-thinking tier 'frontier-thinking' on a Low-complexity Formatting task; thinking pays off only on High or Extreme complexity and costs $157.50 per 1,000 calls there: remove Tier"),
        [FindingFormat.ThinkingTierReachable] = (() => Plan(Task(TaskKind.Classification, Complexity.Medium) with { MaxTier = "frontier-thinking" }),
            _ => "'RunAsync' can reach the extended-thinking tier 'frontier-thinking' on a Medium-complexity Classification task; thinking pays off only on High or Extreme complexity and costs $81.75 per 1,000 calls there: cap MaxTier below 'frontier-thinking' (MaxTier = \"frontier\")"),
        [FindingFormat.ThinkingTierReachableWithoutCap] = (() => Planner.Plan(Classification, ThinkingOnly),
            plan => $"'RunAsync' can reach the extended-thinking tier 'deep' on a Low-complexity Classification task; thinking pays off only on High or Extreme complexity and costs {Money.Format(plan.ProjectedUsdPerThousandCalls)} per 1,000 calls there: cap MaxTier below 'deep'"),
        [FindingFormat.OverBudget] = (() => Plan(Classification with { Tier = "frontier", MaxCostPerThousandCalls = 0.5 }),
            _ => "'RunAsync' is projected at $6.75 per 1,000 calls on frontier, over MaxCostPerThousandCalls $0.50: lower QualityThreshold, cap MaxTier or raise the budget"),
        [FindingFormat.CalibratedOverBudget] = (() => Calibrated(Classification with { MaxCostPerThousandCalls = 0.05 }, Calibration()),
            plan => $"'RunAsync' is projected at {Money.Format(plan.ProjectedUsdPerThousandCalls)} per 1,000 calls on its calibrated chain small -> frontier, over MaxCostPerThousandCalls $0.05: lower QualityThreshold, cap MaxTier or raise the budget"),
        [FindingFormat.Unreachable] = (() => Plan(Task(TaskKind.Analysis, Complexity.High, 0.9) with { MaxTier = "mid" }),
            _ => "no allowed tier of 'RunAsync' reaches QualityThreshold 0.9 for a High-complexity Analysis task; the best, 'mid', is expected at 0.73: lower the threshold, raise MaxTier or split the task"),
        [FindingFormat.CalibratedUnreachable] = (() => Calibrated(Task(TaskKind.Classification, Complexity.Low, 0.95), Calibration()),
            _ => "the calibrated plan of 'RunAsync' (small -> frontier) measured 0.90, below QualityThreshold 0.95: lower the threshold, recalibrate with a higher target or split the task"),
        [FindingFormat.TooSlow] = (() => Plan(Classification with { LatencyBudgetMs = 300 }),
            _ => "'RunAsync' starts on tier 'small', whose typical latency 400 ms exceeds LatencyBudgetMs 300: raise the budget, lower QualityThreshold or pin a faster tier"),
        [FindingFormat.Underspend] = (() => Plan(Task(TaskKind.Analysis, Complexity.High, 0.9) with { Tier = "small" }),
            _ => "'RunAsync' pins tier 'small' for a High-complexity Analysis task; its expected quality 0.30 is below QualityThreshold 0.9, which 'frontier-thinking' meets (0.91): remove Tier or set Tier = \"frontier-thinking\""),
        [FindingFormat.ContextWindowTooSmall] = (() => Planner.Plan(Task(TaskKind.Summarization, Complexity.Low, 0.6) with { ExpectedInputTokens = 20_000 }, Declared),
            _ => "'RunAsync' expects calls of about 20,250 tokens (input and output), more than the context window of 'small' (8,000): at run time a call that does not fit skips such a tier; raise ExpectedInputTokens only if calls are that large, or give the chain tiers that hold them"),
        [FindingFormat.NoStructuredOutput] = (() => Planner.Plan(Task(TaskKind.Extraction, Complexity.Low, 0.6) with { StructuredResult = true }, Declared),
            _ => "'RunAsync' returns a structured result, but tier 'small' of its chain declares no StructuredOutput capability: such tiers are asked for JSON in the prompt and their answers parsed from free text, which fails more often; declare TierCapabilities.StructuredOutput on tiers that have it"),
        [FindingFormat.CalibrationEmptyChain] = (() => Calibrated(Classification, Calibration(chain: [], thresholds: [], reach: [])),
            _ => DoesNotFit + "its chain is empty; the built-in figures apply"),
        [FindingFormat.CalibrationUnknownModel] = (() => Calibrated(Classification, Calibration(chain: ["small", "gpt-9"])),
            _ => DoesNotFit + "model 'gpt-9' of its chain is not a tier of the catalog ('small', 'mid', 'frontier', 'frontier-thinking'); the built-in figures apply"),
        [FindingFormat.CalibrationThresholdCount] = (() => Calibrated(Classification, Calibration(thresholds: [])),
            _ => DoesNotFit + "its chain has 2 tiers but 0 thresholds (one per tier but the last); the built-in figures apply"),
        [FindingFormat.CalibrationLogProbabilities] = (() => Calibrated(Classification, Calibration(thresholds: [-0.3])),
            _ => DoesNotFit + "its thresholds are log-probabilities (-0.3), not scores from 0 to 1 (the router's scale); calibrate from outcomes whose confidence is the router's score, as `routing try` and TierTrial record it; the built-in figures apply"),
        [FindingFormat.CalibrationAcceptorCount] = (() => Calibrated(Classification, Calibration(acceptors: [new Acceptor(1, [4, 0, 0], 0.8), new Acceptor(1, [4, 0, 0], 0.8)])),
            _ => DoesNotFit + "its chain has 2 tiers but 2 acceptors (one per tier but the last); the built-in figures apply"),
        [FindingFormat.CalibrationAcceptorWeights] = (() => Calibrated(Classification, Calibration(acceptors: [new Acceptor(1, [4, 0, 0, 1, 1, 1], 0.8)])),
            _ => DoesNotFit + "its acceptor at chain position 0 has 6 weights, not 3; the built-in figures apply"),
        [FindingFormat.CalibrationReachCount] = (() => Calibrated(Classification, Calibration(reach: [1])),
            _ => DoesNotFit + "its chain has 2 tiers but 1 reach shares; the built-in figures apply"),
        [FindingFormat.CalibrationOutOfOrder] = (() => Calibrated(Classification, Calibration(chain: ["frontier", "small"])),
            _ => DoesNotFit + "its chain calls 'small' after 'frontier', which does not rank below it; the built-in figures apply"),
        [FindingFormat.CalibrationAboveMaxTier] = (() => Calibrated(Classification with { MaxTier = "mid" }, Calibration()),
            _ => DoesNotFit + "its chain reaches 'frontier', above MaxTier 'mid'; the built-in figures apply"),
    };

    /// <summary>Every wording by name (the kernel's types are internal to the product's assemblies).</summary>
    public static TheoryData<string> Formats() => new(Enum.GetNames<FindingFormat>());

    [Theory]
    [MemberData(nameof(Formats))]
    public void Each_wording_renders_its_whole_message_from_the_planners_arguments(string name)
    {
        var format = Enum.Parse<FindingFormat>(name);
        Assert.True(Cases.TryGetValue(format, out var @case), $"No case shows the message of {format}");
        var plan = @case.Plan();

        var finding = Assert.Single(plan.Findings, f => f.Format == format);
        Assert.Equal(@case.Message(plan), finding.Message);
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, FindingFormats.Of(format), finding.Arguments.ToArray<object>()), finding.Message);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Each_wording_uses_every_argument_the_planner_supplies(string name)
    {
        var format = Enum.Parse<FindingFormat>(name);
        var finding = Assert.Single(Cases[format].Plan().Findings, f => f.Format == format);
        var text = FindingFormats.Of(format);

        // No argument is left out of the message, and no placeholder lacks one.
        for (var i = 0; i < finding.Arguments.Count; i++) Assert.Contains("{" + i + "}", text);
        Assert.DoesNotContain("{" + finding.Arguments.Count + "}", text);
    }

    [Fact]
    public void Findings_equal_by_value_arguments_included()
    {
        var one = Plan(Classification with { Tier = "frontier" });
        var again = Plan(Classification with { Tier = "frontier" });
        var other = Plan(Task(TaskKind.Classification, Complexity.Low, 0.8) with { Tier = "frontier" });

        Assert.Equal(one.Findings, again.Findings);
        Assert.NotEqual(one.Findings[0], other.Findings[0]);
        Assert.Equal(one, again);
    }
}
