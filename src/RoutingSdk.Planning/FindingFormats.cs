using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace RoutingSdk.Planning;

/// <summary>
/// One wording of a finding. A kind has one wording per case it tells apart (RSDK0006 for a threshold outside 0–1 and
/// for a negative count); the generator reports each with a descriptor of the kind's ID whose message format is the
/// wording's text.
/// </summary>
internal enum FindingFormat
{
    /// <summary>RSDK0005. {0}: the setting (Tier or MaxTier); {1}: its value; {2}: the method; {3}: the catalog's tiers.</summary>
    UnknownTier,
    /// <summary>RSDK0006. {0}: QualityThreshold's value; {1}: the method.</summary>
    ThresholdOutOfRange,
    /// <summary>RSDK0006. {0}: the setting; {1}: its value; {2}: the method.</summary>
    NegativeValue,
    /// <summary>RSDK1001. {0}: the method; {1}: the pinned tier; {2}: the complexity; {3}: the kind; {4}: the cheaper tier; {5}: QualityThreshold; {6}: the cost ratio; {7}: its USD; {8}: the pinned tier's USD per 1,000 calls.</summary>
    Overspend,
    /// <summary>RSDK1002 on Tier. {0}: the method; {1}: the thinking tier; {2}: the complexity; {3}: the kind; {4}: its USD per 1,000 calls.</summary>
    ThinkingTierPinned,
    /// <summary>RSDK1002 on MaxTier. {0}–{4} as <see cref="ThinkingTierPinned"/>; {5}: the cap to set.</summary>
    ThinkingTierReachable,
    /// <summary>RSDK1002 on MaxTier when no tier below the thinking one could be the cap. {0}–{4} as <see cref="ThinkingTierPinned"/>.</summary>
    ThinkingTierReachableWithoutCap,
    /// <summary>RSDK1003. {0}: the method; {1}: the projected USD; {2}: the chain; {3}: the budget.</summary>
    OverBudget,
    /// <summary>RSDK1003 of a calibrated plan. {0}–{3} as <see cref="OverBudget"/>, {2} the calibrated chain.</summary>
    CalibratedOverBudget,
    /// <summary>RSDK2001. {0}: the method; {1}: QualityThreshold; {2}: the complexity; {3}: the kind; {4}: the best tier; {5}: its quality.</summary>
    Unreachable,
    /// <summary>RSDK2001 of a calibrated plan. {0}: the method; {1}: the chain; {2}: the measured quality; {3}: QualityThreshold.</summary>
    CalibratedUnreachable,
    /// <summary>RSDK2002. {0}: the method; {1}: the start tier; {2}: its typical latency; {3}: LatencyBudgetMs.</summary>
    TooSlow,
    /// <summary>RSDK2003. {0}: the method; {1}: the pinned tier; {2}: the complexity; {3}: the kind; {4}: its quality; {5}: QualityThreshold; {6}: the tier that meets it; {7}: that tier's quality.</summary>
    Underspend,
    /// <summary>RSDK0008. {0}: the task.</summary>
    CalibrationEmptyChain,
    /// <summary>RSDK0008. {0}: the task; {1}: the model; {2}: the catalog's tiers.</summary>
    CalibrationUnknownModel,
    /// <summary>RSDK0008. {0}: the task; {1}: the chain's length; {2}: the number of thresholds.</summary>
    CalibrationThresholdCount,
    /// <summary>RSDK0008. {0}: the task; {1}: the thresholds.</summary>
    CalibrationLogProbabilities,
    /// <summary>RSDK0008. {0}: the task; {1}: the chain's length; {2}: the number of acceptors.</summary>
    CalibrationAcceptorCount,
    /// <summary>RSDK0008. {0}: the task; {1}: the chain position; {2}: its acceptor's weights; {3}: the weights it needs.</summary>
    CalibrationAcceptorWeights,
    /// <summary>RSDK0008. {0}: the task; {1}: the chain's length; {2}: the number of reach shares.</summary>
    CalibrationReachCount,
    /// <summary>RSDK0008. {0}: the task; {1}: the tier called later; {2}: the tier before it.</summary>
    CalibrationOutOfOrder,
    /// <summary>RSDK0008. {0}: the task; {1}: the tier above the cap; {2}: MaxTier.</summary>
    CalibrationAboveMaxTier,
    ContextWindowTooSmall,
    NoStructuredOutput,
}

/// <summary>
/// The wording of every finding, in one place: the Planner supplies the arguments, <see cref="Finding.Message"/> renders
/// them (for the runtime's errors), and the generator's descriptors take these texts as their message formats.
/// </summary>
internal static class FindingFormats
{
    public const string UnknownTier = "{0} '{1}' of '{2}' is not in the tier catalog ({3})";

    public const string ThresholdOutOfRange = "QualityThreshold {0} of '{1}' is outside 0–1";

    public const string NegativeValue = "{0} {1} of '{2}' is negative";

    public const string Overspend =
        "'{0}' pins tier '{1}' for a {2}-complexity {3} task; '{4}' meets QualityThreshold {5} at {6} of the projected cost ({7} vs {8} per 1,000 calls): remove Tier or set Tier = \"{4}\"";

    private const string ThinkingOn = " the extended-thinking tier '{1}' on a {2}-complexity {3} task; thinking pays off only on High or Extreme complexity and costs {4} per 1,000 calls there: ";

    public const string ThinkingTierPinned = "'{0}' pins" + ThinkingOn + "remove Tier";

    public const string ThinkingTierReachable = "'{0}' can reach" + ThinkingOn + "cap MaxTier below '{1}' (MaxTier = \"{5}\")";

    public const string ThinkingTierReachableWithoutCap = "'{0}' can reach" + ThinkingOn + "cap MaxTier below '{1}'";

    private const string OverTheBudget = ", over MaxCostPerThousandCalls {3}: lower QualityThreshold, cap MaxTier or raise the budget";

    public const string OverBudget = "'{0}' is projected at {1} per 1,000 calls on {2}" + OverTheBudget;

    public const string CalibratedOverBudget = "'{0}' is projected at {1} per 1,000 calls on its calibrated chain {2}" + OverTheBudget;

    public const string Unreachable =
        "no allowed tier of '{0}' reaches QualityThreshold {1} for a {2}-complexity {3} task; the best, '{4}', is expected at {5}: lower the threshold, raise MaxTier or split the task";

    public const string CalibratedUnreachable =
        "the calibrated plan of '{0}' ({1}) measured {2}, below QualityThreshold {3}: lower the threshold, recalibrate with a higher target or split the task";

    public const string TooSlow =
        "'{0}' starts on tier '{1}', whose typical latency {2} ms exceeds LatencyBudgetMs {3}: raise the budget, lower QualityThreshold or pin a faster tier";

    public const string Underspend =
        "'{0}' pins tier '{1}' for a {2}-complexity {3} task; its expected quality {4} is below QualityThreshold {5}, which '{6}' meets ({7}): remove Tier or set Tier = \"{6}\"";

    private const string DoesNotFit = "the calibration of '{0}' does not fit the tier catalog: ";

    private const string BuiltInApplies = "; the built-in figures apply";

    public const string CalibrationEmptyChain = DoesNotFit + "its chain is empty" + BuiltInApplies;

    public const string CalibrationUnknownModel = DoesNotFit + "model '{1}' of its chain is not a tier of the catalog ({2})" + BuiltInApplies;

    public const string CalibrationThresholdCount = DoesNotFit + "its chain has {1} tiers but {2} thresholds (one per tier but the last)" + BuiltInApplies;

    public const string CalibrationLogProbabilities = DoesNotFit
        + "its thresholds are log-probabilities ({1}), not scores from 0 to 1 (the router's scale); calibrate from outcomes whose confidence is the router's score, as `routing try` and TierTrial record it"
        + BuiltInApplies;

    public const string CalibrationAcceptorCount = DoesNotFit + "its chain has {1} tiers but {2} acceptors (one per tier but the last)" + BuiltInApplies;

    public const string CalibrationAcceptorWeights = DoesNotFit + "its acceptor at chain position {1} has {2} weights, not {3}" + BuiltInApplies;

    public const string CalibrationReachCount = DoesNotFit + "its chain has {1} tiers but {2} reach shares" + BuiltInApplies;

    public const string CalibrationOutOfOrder = DoesNotFit + "its chain calls '{1}' after '{2}', which does not rank below it" + BuiltInApplies;

    public const string CalibrationAboveMaxTier = DoesNotFit + "its chain reaches '{1}', above MaxTier '{2}'" + BuiltInApplies;

    /// <summary>The text of a wording: a composite format whose arguments the finding carries.</summary>
    public const string ContextWindowTooSmall =
        "'{0}' expects calls of about {1} tokens (input and output), more than the context window of {2}: at run time a call that does not fit skips such a tier; raise ExpectedInputTokens only if calls are that large, or give the chain tiers that hold them";

    public const string NoStructuredOutput =
        "'{0}' returns a structured result, but {1} no StructuredOutput capability: such tiers are asked for JSON in the prompt and their answers parsed from free text, which fails more often; declare TierCapabilities.StructuredOutput on tiers that have it";

    public static string Of(FindingFormat format) => format switch
    {
        FindingFormat.UnknownTier => UnknownTier,
        FindingFormat.ThresholdOutOfRange => ThresholdOutOfRange,
        FindingFormat.NegativeValue => NegativeValue,
        FindingFormat.Overspend => Overspend,
        FindingFormat.ThinkingTierPinned => ThinkingTierPinned,
        FindingFormat.ThinkingTierReachable => ThinkingTierReachable,
        FindingFormat.ThinkingTierReachableWithoutCap => ThinkingTierReachableWithoutCap,
        FindingFormat.OverBudget => OverBudget,
        FindingFormat.CalibratedOverBudget => CalibratedOverBudget,
        FindingFormat.Unreachable => Unreachable,
        FindingFormat.CalibratedUnreachable => CalibratedUnreachable,
        FindingFormat.TooSlow => TooSlow,
        FindingFormat.Underspend => Underspend,
        FindingFormat.CalibrationEmptyChain => CalibrationEmptyChain,
        FindingFormat.CalibrationUnknownModel => CalibrationUnknownModel,
        FindingFormat.CalibrationThresholdCount => CalibrationThresholdCount,
        FindingFormat.CalibrationLogProbabilities => CalibrationLogProbabilities,
        FindingFormat.CalibrationAcceptorCount => CalibrationAcceptorCount,
        FindingFormat.CalibrationAcceptorWeights => CalibrationAcceptorWeights,
        FindingFormat.CalibrationReachCount => CalibrationReachCount,
        FindingFormat.CalibrationOutOfOrder => CalibrationOutOfOrder,
        FindingFormat.CalibrationAboveMaxTier => CalibrationAboveMaxTier,
        FindingFormat.ContextWindowTooSmall => ContextWindowTooSmall,
        FindingFormat.NoStructuredOutput => NoStructuredOutput,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "No wording for this finding."),
    };

    /// <summary>The kind a wording belongs to.</summary>
    public static FindingKind KindOf(FindingFormat format) => format switch
    {
        FindingFormat.UnknownTier => FindingKind.UnknownTier,
        FindingFormat.ThresholdOutOfRange or FindingFormat.NegativeValue => FindingKind.InvalidValue,
        FindingFormat.Overspend => FindingKind.Overspend,
        FindingFormat.ThinkingTierPinned or FindingFormat.ThinkingTierReachable or FindingFormat.ThinkingTierReachableWithoutCap => FindingKind.ThinkingOnSimpleTask,
        FindingFormat.OverBudget or FindingFormat.CalibratedOverBudget => FindingKind.OverBudget,
        FindingFormat.Unreachable or FindingFormat.CalibratedUnreachable => FindingKind.Unreachable,
        FindingFormat.TooSlow => FindingKind.TooSlow,
        FindingFormat.Underspend => FindingKind.Underspend,
        FindingFormat.CalibrationEmptyChain or FindingFormat.CalibrationUnknownModel or FindingFormat.CalibrationThresholdCount
            or FindingFormat.CalibrationLogProbabilities or FindingFormat.CalibrationAcceptorCount or FindingFormat.CalibrationAcceptorWeights
            or FindingFormat.CalibrationReachCount or FindingFormat.CalibrationOutOfOrder or FindingFormat.CalibrationAboveMaxTier => FindingKind.CalibrationMismatch,
        FindingFormat.ContextWindowTooSmall => FindingKind.ContextWindow,
        FindingFormat.NoStructuredOutput => FindingKind.StructuredOutput,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "No kind for this wording."),
    };

    /// <summary>The message of a finding: the wording with its arguments.</summary>
    public static string Render(FindingFormat format, IReadOnlyList<string> arguments)
        => string.Format(CultureInfo.InvariantCulture, Of(format), arguments.ToArray<object>());
}
