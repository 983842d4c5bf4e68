using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using RoutingSdk.Planning;

namespace RoutingSdk.Generators;

/// <summary>
/// Every diagnostic RoutingSdk reports (all of them through <see cref="Analyzers.RoutedTaskAnalyzer"/>; the generator
/// reports none). IDs are constants of <see cref="DiagnosticIds"/>; docs/diagnostics/RSDKxxxx.md explains each.
/// </summary>
/// <remarks>
/// A usage error has a message format with the names and values at fault as arguments; where one ID covers several
/// mistakes (RSDK0001 for a method without 'partial' and for a generic method), each mistake has its own descriptor
/// with the same ID, title, category, severity and help link, and <see cref="All"/> lists the first, documented one. The
/// Planner's findings (RSDK0005, RSDK0006, RSDK1xxx, RSDK2xxx and a calibration that does not fit) come with the
/// message the Planner wrote, figures included, so that the rules and their wording live in one place: their format
/// is the whole message.
/// </remarks>
internal static class DiagnosticDescriptors
{
    private const string Usage = "RoutingSdk.Usage";
    private const string Cost = "RoutingSdk.Cost";
    private const string Quality = "RoutingSdk.Quality";

    /// <summary>The format of a Planner finding: the message the Planner wrote.</summary>
    private const string PlannerMessage = "{0}";

    /// <summary>Where the diagnostics' documentation lives: one page per ID, <c>{HelpLinkBase}RSDKxxxx.md</c>.</summary>
    public const string HelpLinkBase = "https://github.com/routingsdk/routingsdk/blob/main/docs/diagnostics/";

    private const string NotPartialTitle = "Routed task must be a partial, non-generic method of a partial type";

    /// <summary>RSDK0001 {0}: the method name.</summary>
    public static readonly DiagnosticDescriptor NotPartial = Error(DiagnosticIds.NotPartial, NotPartialTitle,
        "routed task '{0}' must be declared 'partial' so that RoutingSdk can write its body");

    /// <summary>RSDK0001 {0}: the method name.</summary>
    public static readonly DiagnosticDescriptor MethodHasBody = Error(DiagnosticIds.NotPartial, NotPartialTitle,
        "routed task '{0}' must be a partial method without a body; RoutingSdk writes the body");

    /// <summary>RSDK0001 {0}: the method name; {1}: its type parameter list.</summary>
    public static readonly DiagnosticDescriptor GenericMethod = Error(DiagnosticIds.NotPartial, NotPartialTitle,
        "routed task '{0}' must not be generic: its plan and prompt are fixed at compile time; remove the type parameters '{1}'");

    /// <summary>RSDK0001 {0}: the type name.</summary>
    public static readonly DiagnosticDescriptor TypeNotPartial = Error(DiagnosticIds.NotPartial, NotPartialTitle,
        "type '{0}' declares routed tasks and must be declared 'partial' so that RoutingSdk can write their bodies");

    private const string NoRouterTitle = "Routed task has no TaskRouter to call";

    /// <summary>RSDK0002 {0}: the method name; {1}: the containing type.</summary>
    public static readonly DiagnosticDescriptor NoRouter = Error(DiagnosticIds.NoRouter, NoRouterTitle,
        "routed task '{0}' has no TaskRouter to call: add a TaskRouter field, property or primary-constructor parameter to '{1}'");

    /// <summary>RSDK0002 of a static method. {0}: the method name; {1}: the containing type.</summary>
    public static readonly DiagnosticDescriptor NoStaticRouter = Error(DiagnosticIds.NoRouter, NoRouterTitle,
        "routed task '{0}' has no TaskRouter to call: add a TaskRouter field, property or primary-constructor parameter to '{1}' (static, since the method is static)");

    /// <summary>RSDK0002 when a parameter hides the primary-constructor parameter that holds the router. {0}: the method name; {1}: the parameter.</summary>
    public static readonly DiagnosticDescriptor RouterHidden = Error(DiagnosticIds.NoRouter, NoRouterTitle,
        "parameter '{1}' of routed task '{0}' hides the TaskRouter primary-constructor parameter '{1}', so the generated body cannot call it; rename the parameter");

    private const string UnsupportedSignatureTitle = "Routed task has an unsupported signature";

    /// <summary>RSDK0003 {0}: the method name; {1}: its return type.</summary>
    public static readonly DiagnosticDescriptor UnsupportedSignature = Error(DiagnosticIds.UnsupportedSignature, UnsupportedSignatureTitle,
        "routed task '{0}' returns '{1}'; a routed task returns Task<T> or ValueTask<T>");

    /// <summary>RSDK0003 {0}: the parameter; {1}: the method name; {2}: 'ref' or 'out'.</summary>
    public static readonly DiagnosticDescriptor ByReferenceParameter = Error(DiagnosticIds.UnsupportedSignature, UnsupportedSignatureTitle,
        "parameter '{0}' of routed task '{1}' is passed by '{2}'; routed tasks take their inputs by value");

    private const string UnknownPlaceholderTitle = "Prompt placeholder names no parameter";

    /// <summary>RSDK0004 {0}: the placeholder's name; {1}: the method name; {2}: the parameters ('a', 'b' or none); {3}: the closest parameter.</summary>
    public static readonly DiagnosticDescriptor UnknownPlaceholder = Error(DiagnosticIds.UnknownPlaceholder, UnknownPlaceholderTitle,
        "placeholder '{{{0}}}' in the Prompt of routed task '{1}' names no parameter; the parameters are {2}; did you mean '{{{3}}}'?");

    /// <summary>RSDK0004 when no parameter name is close. {0}: the placeholder's name; {1}: the method name; {2}: the parameters ('a', 'b' or none).</summary>
    public static readonly DiagnosticDescriptor UnknownPlaceholderNoMatch = Error(DiagnosticIds.UnknownPlaceholder, UnknownPlaceholderTitle,
        "placeholder '{{{0}}}' in the Prompt of routed task '{1}' names no parameter; the parameters are {2}");

    /// <summary>RSDK0004 {0}: the method name; {1}: what is malformed.</summary>
    public static readonly DiagnosticDescriptor MalformedPrompt = Error(DiagnosticIds.UnknownPlaceholder, UnknownPlaceholderTitle,
        "the Prompt of routed task '{0}' is malformed: {1}; write literal braces as '{{{{' and '}}}}'");

    /// <summary>RSDK0005, a Planner finding.</summary>
    public static readonly DiagnosticDescriptor UnknownTier = Error(DiagnosticIds.UnknownTier, "Tier is not in the tier catalog", PlannerMessage);

    /// <summary>RSDK0006, a Planner finding.</summary>
    public static readonly DiagnosticDescriptor InvalidValue = Error(DiagnosticIds.InvalidValue, "Routed task setting is out of range", PlannerMessage);

    private const string InvalidCatalogTitle = "Model tier catalog is invalid";

    /// <summary>RSDK0007 {0}: the problem <see cref="TierCatalog.Validate"/> found.</summary>
    public static readonly DiagnosticDescriptor InvalidCatalog = Error(DiagnosticIds.InvalidCatalog, InvalidCatalogTitle, "the tier catalog is invalid: {0}");

    /// <summary>RSDK0007 on a [ModelTier] without a name.</summary>
    public static readonly DiagnosticDescriptor NamelessTier = Error(DiagnosticIds.InvalidCatalog, InvalidCatalogTitle,
        "a [ModelTier] attribute needs a tier name: write it as the first argument, as in [assembly: ModelTier(\"small\", Rank = 0)]");

    private const string BadCalibrationTitle = "Calibration file is malformed or does not fit the task";

    /// <summary>
    /// RSDK0008, a warning, not an error: the tasks the file cannot describe still get the built-in plan.
    /// {0}: the file name; {1}: what is wrong at the line and column reported.
    /// </summary>
    public static readonly DiagnosticDescriptor BadCalibration = Warning(DiagnosticIds.BadCalibration, Usage, BadCalibrationTitle,
        "{0}: {1}; the tasks it cannot describe keep the built-in figures");

    /// <summary>RSDK0008, a Planner finding: a task's calibration does not fit the catalog.</summary>
    public static readonly DiagnosticDescriptor CalibrationMismatch = Warning(DiagnosticIds.BadCalibration, Usage, BadCalibrationTitle, PlannerMessage);

    private const string InvalidValidatorTitle = "Validator names no suitable method";

    /// <summary>RSDK0009 {0}: the validator name; {1}: the method name; {2}: the containing type; {3}: the result type.</summary>
    public static readonly DiagnosticDescriptor InvalidValidator = Error(DiagnosticIds.InvalidValidator, InvalidValidatorTitle,
        "Validator '{0}' of routed task '{1}' names no method; write a method of '{2}' that takes '{3}' and returns bool or double");

    /// <summary>RSDK0009 {0}: the validator name; {1}: the method name; {2}: the method found; {3}: the containing type; {4}: the result type.</summary>
    public static readonly DiagnosticDescriptor ValidatorDoesNotFit = Error(DiagnosticIds.InvalidValidator, InvalidValidatorTitle,
        "Validator '{0}' of routed task '{1}' is '{2}'; a validator is a method of '{3}' that takes '{4}' and returns bool or double");

    /// <summary>RSDK0009 {0}: the validator name; {1}: the method name.</summary>
    public static readonly DiagnosticDescriptor InstanceValidatorOfStaticTask = Error(DiagnosticIds.InvalidValidator, InvalidValidatorTitle,
        "Validator '{0}' of static routed task '{1}' is an instance method; make it static");

    public static readonly DiagnosticDescriptor Overspend = Warning(DiagnosticIds.Overspend, Cost, "Pinned tier costs more than the task needs", PlannerMessage);
    public static readonly DiagnosticDescriptor ThinkingOnSimpleTask = Warning(DiagnosticIds.ThinkingOnSimpleTask, Cost, "Extended thinking on a task of Medium complexity or less", PlannerMessage);
    public static readonly DiagnosticDescriptor OverBudget = Warning(DiagnosticIds.OverBudget, Cost, "Projected cost exceeds MaxCostPerThousandCalls", PlannerMessage);
    public static readonly DiagnosticDescriptor Unreachable = Warning(DiagnosticIds.Unreachable, Quality, "No allowed tier reaches the quality threshold", PlannerMessage);
    public static readonly DiagnosticDescriptor TooSlow = Warning(DiagnosticIds.TooSlow, Quality, "Start tier is slower than the latency budget", PlannerMessage);
    public static readonly DiagnosticDescriptor Underspend = Warning(DiagnosticIds.Underspend, Quality, "Pinned tier is below the quality the task needs", PlannerMessage);

    /// <summary>Property key of RSDK1001, RSDK1002 and RSDK2003: the tier the Planner suggests for the argument (absent: remove it).</summary>
    public const string SuggestedTierProperty = "SuggestedTier";

    /// <summary>
    /// The findings a non-empty <c>RoutedTaskAttribute.Justification</c> accepts: a deliberate pin (over- or
    /// underspend) and deliberate extended thinking. Budget, latency and reachability findings stay.
    /// </summary>
    public static bool IsJustifiable(FindingKind kind) => kind is FindingKind.Overspend or FindingKind.Underspend or FindingKind.ThinkingOnSimpleTask;

    /// <summary>The descriptor that reports a Planner finding: the one mapping from findings to IDs.</summary>
    public static DiagnosticDescriptor For(FindingKind kind) => kind switch
    {
        FindingKind.UnknownTier => UnknownTier,
        FindingKind.InvalidValue => InvalidValue,
        FindingKind.Overspend => Overspend,
        FindingKind.ThinkingOnSimpleTask => ThinkingOnSimpleTask,
        FindingKind.OverBudget => OverBudget,
        FindingKind.Unreachable => Unreachable,
        FindingKind.TooSlow => TooSlow,
        FindingKind.Underspend => Underspend,
        FindingKind.CalibrationMismatch => CalibrationMismatch,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No diagnostic reports this finding."),
    };

    /// <summary>One descriptor per ID, in ID order: the one each ID's page documents.</summary>
    public static readonly ImmutableArray<DiagnosticDescriptor> All = ImmutableArray.Create(
        NotPartial, NoRouter, UnsupportedSignature, UnknownPlaceholder, UnknownTier, InvalidValue, InvalidCatalog, BadCalibration, InvalidValidator,
        Overspend, ThinkingOnSimpleTask, OverBudget, Unreachable, TooSlow, Underspend);

    /// <summary>
    /// The descriptors of the other mistakes of the same IDs. Not in <see cref="All"/>, which the analyzer supports: an
    /// ID is listed once (the driver accepts a diagnostic by its ID, and the IDE shows one rule per ID).
    /// </summary>
    public static readonly ImmutableArray<DiagnosticDescriptor> Variants = ImmutableArray.Create(
        MethodHasBody, GenericMethod, TypeNotPartial, NoStaticRouter, RouterHidden, ByReferenceParameter, UnknownPlaceholderNoMatch, MalformedPrompt,
        NamelessTier, CalibrationMismatch, ValidatorDoesNotFit, InstanceValidatorOfStaticTask);

    private static readonly Dictionary<string, DiagnosticDescriptor> Index = All.ToDictionary(d => d.Id);

    /// <summary>The documented descriptor of an ID.</summary>
    public static DiagnosticDescriptor ById(string id) => Index[id];

    private static DiagnosticDescriptor Error(string id, string title, string message)
        => new(id, title, message, Usage, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

    private static DiagnosticDescriptor Warning(string id, string category, string title, string message)
        => new(id, title, message, category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

    private static string HelpLink(string id) => HelpLinkBase + id + ".md";
}
