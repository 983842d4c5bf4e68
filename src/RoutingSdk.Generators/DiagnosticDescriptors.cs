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
/// Planner's findings (RSDK0005, RSDK0006, RSDK1xxx, RSDK2xxx and a calibration that does not fit) work the same way:
/// the Planner decides and supplies the arguments (<see cref="Finding.Arguments"/>), each wording
/// (<see cref="FindingFormat"/>) has its descriptor here, and the descriptor's message format is the kernel's text of
/// that wording (<see cref="FindingFormats"/>), which the runtime's errors render too: one place for the wording.
/// </remarks>
internal static class DiagnosticDescriptors
{
    private const string Usage = "RoutingSdk.Usage";
    private const string Cost = "RoutingSdk.Cost";
    private const string Quality = "RoutingSdk.Quality";

    /// <summary>The assembly metadata key of <see cref="HelpLinkBase"/>, which the build writes (RoutingSdk.Generators.csproj).</summary>
    public const string HelpLinkBaseKey = "RoutingSdk.DiagnosticsHelpLinkBase";

    /// <summary>
    /// Where the diagnostics' documentation lives: one page per ID, <c>{HelpLinkBase}RSDKxxxx.md</c>, under docs/diagnostics
    /// of the repository at the build's <c>RepositoryUrl</c> (Directory.Build.props, the one place the address is given).
    /// The package carries the same pages in its docs/diagnostics folder.
    /// </summary>
    public static readonly string HelpLinkBase = typeof(DiagnosticDescriptors).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), inherit: false)
        .OfType<System.Reflection.AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == HelpLinkBaseKey)?.Value ?? "";

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

    /// <summary>RSDK0001 when a containing type is file-local: its parts must all be in one file, and the generated body is in another. {0}: the type.</summary>
    public static readonly DiagnosticDescriptor FileLocalType = Error(DiagnosticIds.NotPartial, NotPartialTitle,
        "type '{0}' declares routed tasks but is file-local ('file'), so RoutingSdk cannot write their bodies in a file of its own; remove the 'file' modifier");

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

    /// <summary>
    /// RSDK0002 when a member of the type has the name of the TaskRouter primary-constructor parameter: in the type's members
    /// the name means the member, so the generated body cannot reach the parameter. {0}: the method name; {1}: the parameter; {2}: the type.
    /// </summary>
    public static readonly DiagnosticDescriptor RouterShadowedByMember = Error(DiagnosticIds.NoRouter, NoRouterTitle,
        "routed task '{0}' cannot call the TaskRouter primary-constructor parameter '{1}': a member '{1}' of '{2}' has its name and hides it; rename the member or the parameter");

    private const string UnsupportedSignatureTitle = "Routed task has an unsupported signature";

    /// <summary>RSDK0003 {0}: the method name; {1}: its return type.</summary>
    public static readonly DiagnosticDescriptor UnsupportedSignature = Error(DiagnosticIds.UnsupportedSignature, UnsupportedSignatureTitle,
        "routed task '{0}' returns '{1}'; a routed task returns Task<T> or ValueTask<T>");

    /// <summary>RSDK0003 {0}: the parameter; {1}: the method name; {2}: 'ref' or 'out'.</summary>
    public static readonly DiagnosticDescriptor ByReferenceParameter = Error(DiagnosticIds.UnsupportedSignature, UnsupportedSignatureTitle,
        "parameter '{0}' of routed task '{1}' is passed by '{2}'; routed tasks take their inputs by value");

    /// <summary>RSDK0003 for a parameter of a ref struct type, which cannot be formatted into the prompt. {0}: the parameter; {1}: the method; {2}: the type.</summary>
    public static readonly DiagnosticDescriptor RefStructParameter = Error(DiagnosticIds.UnsupportedSignature, UnsupportedSignatureTitle,
        "parameter '{0}' of routed task '{1}' has the ref struct type '{2}', which the generated body cannot put into the prompt; take a string or an array instead");

    private const string UnknownPlaceholderTitle = "Prompt placeholder names no parameter";

    /// <summary>RSDK0004 {0}: the placeholder's name; {1}: the method name; {2}: the parameters ('a', 'b' or none); {3}: the closest parameter.</summary>
    public static readonly DiagnosticDescriptor UnknownPlaceholder = Error(DiagnosticIds.UnknownPlaceholder, UnknownPlaceholderTitle,
        "placeholder '{{{0}}}' in the Prompt of routed task '{1}' names no parameter; the parameters are {2}; did you mean '{{{3}}}'?");

    /// <summary>RSDK0004 when no parameter name is close. {0}: the placeholder's name; {1}: the method name; {2}: the parameters ('a', 'b' or none).</summary>
    public static readonly DiagnosticDescriptor UnknownPlaceholderNoMatch = Error(DiagnosticIds.UnknownPlaceholder, UnknownPlaceholderTitle,
        "placeholder '{{{0}}}' in the Prompt of routed task '{1}' names no parameter; the parameters are {2}");

    /// <summary>RSDK0004 when the placeholder names the CancellationToken parameter. {0}: the placeholder's name; {1}: the method name; {2}: the input parameters.</summary>
    public static readonly DiagnosticDescriptor CancellationTokenPlaceholder = Error(DiagnosticIds.UnknownPlaceholder, UnknownPlaceholderTitle,
        "placeholder '{{{0}}}' in the Prompt of routed task '{1}' names its CancellationToken, which is not an input and has no text for the model; the inputs are {2}");

    /// <summary>RSDK0004 {0}: the method name; {1}: what is malformed.</summary>
    public static readonly DiagnosticDescriptor MalformedPrompt = Error(DiagnosticIds.UnknownPlaceholder, UnknownPlaceholderTitle,
        "the Prompt of routed task '{0}' is malformed: {1}; write literal braces as '{{{{' and '}}}}'");

    /// <summary>RSDK0005, a Planner finding. {0}: the setting (Tier or MaxTier); {1}: its value; {2}: the method name; {3}: the catalog's tiers.</summary>
    public static readonly DiagnosticDescriptor UnknownTier = Error(DiagnosticIds.UnknownTier, "Tier is not in the tier catalog", FindingFormats.UnknownTier);

    private const string InvalidValueTitle = "Routed task setting is out of range";

    /// <summary>RSDK0006, a Planner finding. {0}: QualityThreshold's value; {1}: the method name.</summary>
    public static readonly DiagnosticDescriptor InvalidValue = Error(DiagnosticIds.InvalidValue, InvalidValueTitle, FindingFormats.ThresholdOutOfRange);

    /// <summary>RSDK0006 of a negative setting. {0}: the setting; {1}: its value; {2}: the method name.</summary>
    public static readonly DiagnosticDescriptor NegativeValue = Error(DiagnosticIds.InvalidValue, InvalidValueTitle, FindingFormats.NegativeValue);

    /// <summary>
    /// RSDK0006 on a cast of an undeclared number to an enum (<c>(TaskKind)999</c>), a usage error of the Parser. {0}: the
    /// setting; {1}: the method name; {2}: the enum; {3}: the number; {4}, {5}: its first and last member.
    /// </summary>
    public static readonly DiagnosticDescriptor UndefinedEnumValue = Error(DiagnosticIds.InvalidValue, InvalidValueTitle,
        "{0} of routed task '{1}' is ({2}){3}, which is no {2} member; write one of the named members, {2}.{4} to {2}.{5}");

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

    /// <summary>RSDK0008, Planner findings: a task's calibration does not fit the catalog. {0}: the task name; the others: <see cref="FindingFormat"/>.</summary>
    public static readonly DiagnosticDescriptor CalibrationEmptyChain = Mismatch(FindingFormats.CalibrationEmptyChain);
    public static readonly DiagnosticDescriptor CalibrationUnknownModel = Mismatch(FindingFormats.CalibrationUnknownModel);
    public static readonly DiagnosticDescriptor CalibrationThresholdCount = Mismatch(FindingFormats.CalibrationThresholdCount);
    public static readonly DiagnosticDescriptor CalibrationLogProbabilities = Mismatch(FindingFormats.CalibrationLogProbabilities);
    public static readonly DiagnosticDescriptor CalibrationAcceptorCount = Mismatch(FindingFormats.CalibrationAcceptorCount);
    public static readonly DiagnosticDescriptor CalibrationAcceptorWeights = Mismatch(FindingFormats.CalibrationAcceptorWeights);
    public static readonly DiagnosticDescriptor CalibrationReachCount = Mismatch(FindingFormats.CalibrationReachCount);
    public static readonly DiagnosticDescriptor CalibrationOutOfOrder = Mismatch(FindingFormats.CalibrationOutOfOrder);
    public static readonly DiagnosticDescriptor CalibrationAboveMaxTier = Mismatch(FindingFormats.CalibrationAboveMaxTier);

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

    /// <summary>RSDK0010 {0}: the task name; {1}: the number of tasks that share it; {2}: the method's containing type, fully qualified.</summary>
    /// <remarks>Reported at the end of the compilation, once every task's name is known.</remarks>
    public static readonly DiagnosticDescriptor DuplicateTaskName = new(DiagnosticIds.DuplicateTaskName,
        "Two routed tasks share one task name",
        "Routed task '{0}' of '{2}' shares its task name with {1} other routed task(s); the ledger, budgets and calibration are keyed by the name, so none of them is routed: rename the method or its type",
        Usage, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink(DiagnosticIds.DuplicateTaskName),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    private const string ReferencedTasksTitle = "Routed tasks of a referenced assembly cannot join this assembly's as they are";

    /// <summary>RSDK0020 {0}: the task name; {1}: the assemblies that declare it, this one first when it does.</summary>
    /// <remarks>Reported at the end of the compilation: on this assembly's task, or without a location when only referenced assemblies share the name.</remarks>
    public static readonly DiagnosticDescriptor SharedTaskName = new(DiagnosticIds.ReferencedTasks, ReferencedTasksTitle,
        "Routed task name '{0}' is declared in {1}; the ledger and budgets are keyed by the name and would merge their tasks' costs: rename the type or the method in one of them",
        Usage, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink(DiagnosticIds.ReferencedTasks),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>RSDK0020 {0}: the referenced assembly's name.</summary>
    public static readonly DiagnosticDescriptor UnpublishedTasks = new(DiagnosticIds.ReferencedTasks, ReferencedTasksTitle,
        "Referenced assembly '{0}' has routed tasks but was built with a RoutingSdk version that does not publish them: AddRoutedTasks() and RoutingTable.All of this assembly leave them out; rebuild '{0}' with this version of RoutingSdk",
        Usage, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink(DiagnosticIds.ReferencedTasks),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>RSDK0020 when a referenced assembly's [assembly: RoutedTasksAssembly] cannot be used. {0}: the assembly; {1}: why.</summary>
    public static readonly DiagnosticDescriptor MalformedPublishedTasks = new(DiagnosticIds.ReferencedTasks, ReferencedTasksTitle,
        "Referenced assembly '{0}' publishes its routed tasks in a form this RoutingSdk version cannot use ({1}): AddRoutedTasks() and RoutingTable.All of this assembly leave them out; rebuild '{0}' with this version of RoutingSdk",
        Usage, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink(DiagnosticIds.ReferencedTasks),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>
    /// RSDK1001 {0}: the method name; {1}: the pinned tier; {2}: the complexity; {3}: the kind; {4}: the cheaper tier that
    /// meets the threshold; {5}: QualityThreshold; {6}: the cost ratio; {7}, {8}: the two tiers' USD per 1,000 calls.
    /// </summary>
    public static readonly DiagnosticDescriptor Overspend = Warning(DiagnosticIds.Overspend, Cost, "Pinned tier costs more than the task needs", FindingFormats.Overspend);

    private const string ThinkingOnSimpleTaskTitle = "Extended thinking on a task of Medium complexity or less";

    /// <summary>RSDK1002 of a task that may escalate to the thinking tier. {0}: the method name; {1}: the thinking tier; {2}: the complexity; {3}: the kind; {4}: its USD per 1,000 calls; {5}: the cap to set.</summary>
    public static readonly DiagnosticDescriptor ThinkingOnSimpleTask = Warning(DiagnosticIds.ThinkingOnSimpleTask, Cost, ThinkingOnSimpleTaskTitle, FindingFormats.ThinkingTierReachable);

    /// <summary>RSDK1002 when no tier below the thinking one can be the cap. {0}–{4}: as <see cref="ThinkingOnSimpleTask"/>.</summary>
    public static readonly DiagnosticDescriptor ThinkingWithoutCap = Warning(DiagnosticIds.ThinkingOnSimpleTask, Cost, ThinkingOnSimpleTaskTitle, FindingFormats.ThinkingTierReachableWithoutCap);

    /// <summary>RSDK1002 of a task that pins the thinking tier. {0}–{4}: as <see cref="ThinkingOnSimpleTask"/>.</summary>
    public static readonly DiagnosticDescriptor ThinkingTierPinned = Warning(DiagnosticIds.ThinkingOnSimpleTask, Cost, ThinkingOnSimpleTaskTitle, FindingFormats.ThinkingTierPinned);

    private const string OverBudgetTitle = "Projected cost exceeds MaxCostPerThousandCalls";

    /// <summary>RSDK1003 {0}: the method name; {1}: the projected USD per 1,000 calls; {2}: the chain; {3}: MaxCostPerThousandCalls.</summary>
    public static readonly DiagnosticDescriptor OverBudget = Warning(DiagnosticIds.OverBudget, Cost, OverBudgetTitle, FindingFormats.OverBudget);

    /// <summary>RSDK1003 of a calibrated plan. {0}–{3}: as <see cref="OverBudget"/>.</summary>
    public static readonly DiagnosticDescriptor CalibratedOverBudget = Warning(DiagnosticIds.OverBudget, Cost, OverBudgetTitle, FindingFormats.CalibratedOverBudget);

    private const string UnreachableTitle = "No allowed tier reaches the quality threshold";

    /// <summary>RSDK2001 {0}: the method name; {1}: QualityThreshold; {2}: the complexity; {3}: the kind; {4}: the best tier; {5}: its expected quality.</summary>
    public static readonly DiagnosticDescriptor Unreachable = Warning(DiagnosticIds.Unreachable, Quality, UnreachableTitle, FindingFormats.Unreachable);

    /// <summary>RSDK2001 of a calibrated plan. {0}: the method name; {1}: the chain; {2}: the measured quality; {3}: QualityThreshold.</summary>
    public static readonly DiagnosticDescriptor CalibratedUnreachable = Warning(DiagnosticIds.Unreachable, Quality, UnreachableTitle, FindingFormats.CalibratedUnreachable);

    /// <summary>RSDK2002 {0}: the method name; {1}: the start tier; {2}: its typical latency in ms; {3}: LatencyBudgetMs.</summary>
    public static readonly DiagnosticDescriptor TooSlow = Warning(DiagnosticIds.TooSlow, Quality, "Start tier is slower than the latency budget", FindingFormats.TooSlow);

    /// <summary>
    /// RSDK2003 {0}: the method name; {1}: the pinned tier; {2}: the complexity; {3}: the kind; {4}: its expected quality;
    /// {5}: QualityThreshold; {6}: the tier that meets it; {7}: that tier's expected quality.
    /// </summary>
    public static readonly DiagnosticDescriptor Underspend = Warning(DiagnosticIds.Underspend, Quality, "Pinned tier is below the quality the task needs", FindingFormats.Underspend);

    /// <summary>RSDK1004 on the [ModelTier] attribute. {0}: the tier's name.</summary>
    public static readonly DiagnosticDescriptor UnpricedTier = Warning(DiagnosticIds.UnpricedTier, Cost, "Model tier has no price",
        "tier '{0}' declares no price: every call to it would be booked at $0; set InputCostPerMillion and OutputCostPerMillion, or Free = true if it costs nothing on purpose");

    /// <summary>RSDK2004 {0}: the method name; {1}: the expected tokens of a call; {2}: the tiers and their windows.</summary>
    public static readonly DiagnosticDescriptor ContextWindowTooSmall = Warning(DiagnosticIds.ContextWindowTooSmall, Quality,
        "A tier's context window is below the task's expected call", FindingFormats.ContextWindowTooSmall);

    /// <summary>RSDK2005 {0}: the method name; {1}: the tiers without structured output.</summary>
    public static readonly DiagnosticDescriptor NoStructuredOutput = Warning(DiagnosticIds.NoStructuredOutput, Quality,
        "A tier cannot give the structured output the task's result needs", FindingFormats.NoStructuredOutput);

    /// <summary>Property key of RSDK1001, RSDK1002 and RSDK2003: the tier the Planner suggests for the argument (absent: remove it).</summary>
    public const string SuggestedTierProperty = "SuggestedTier";

    /// <summary>
    /// The findings a non-empty <c>RoutedTaskAttribute.Justification</c> accepts: a deliberate pin (over- or
    /// underspend) and deliberate extended thinking. Budget, latency and reachability findings stay.
    /// </summary>
    public static bool IsJustifiable(FindingKind kind) => kind is FindingKind.Overspend or FindingKind.Underspend or FindingKind.ThinkingOnSimpleTask;

    /// <summary>The documented descriptor of a kind of Planner finding: the one mapping from findings to IDs.</summary>
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
        FindingKind.CalibrationMismatch => BadCalibration,
        FindingKind.ContextWindow => ContextWindowTooSmall,
        FindingKind.StructuredOutput => NoStructuredOutput,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No diagnostic reports this finding."),
    };

    /// <summary>The descriptor that reports a finding of this wording: the ID of its kind, the wording's text as its format.</summary>
    public static DiagnosticDescriptor For(FindingFormat format) => format switch
    {
        FindingFormat.UnknownTier => UnknownTier,
        FindingFormat.ThresholdOutOfRange => InvalidValue,
        FindingFormat.NegativeValue => NegativeValue,
        FindingFormat.Overspend => Overspend,
        FindingFormat.ThinkingTierPinned => ThinkingTierPinned,
        FindingFormat.ThinkingTierReachable => ThinkingOnSimpleTask,
        FindingFormat.ThinkingTierReachableWithoutCap => ThinkingWithoutCap,
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
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "No diagnostic reports this finding."),
    };

    /// <summary>The diagnostic of a finding at <paramref name="location"/>: its wording's descriptor with its arguments.</summary>
    public static Diagnostic Create(Finding finding, Location location, ImmutableDictionary<string, string?>? properties)
        => Diagnostic.Create(For(finding.Format), location, properties, finding.Arguments.ToArray<object>());

    /// <summary>One descriptor per ID, in ID order: the one each ID's page documents.</summary>
    public static readonly ImmutableArray<DiagnosticDescriptor> All = ImmutableArray.Create(
        NotPartial, NoRouter, UnsupportedSignature, UnknownPlaceholder, UnknownTier, InvalidValue, InvalidCatalog, BadCalibration, InvalidValidator, DuplicateTaskName,
        SharedTaskName, Overspend, ThinkingOnSimpleTask, OverBudget, UnpricedTier, Unreachable, TooSlow, Underspend, ContextWindowTooSmall, NoStructuredOutput);

    /// <summary>
    /// The descriptors of the other mistakes of the same IDs. Not in <see cref="All"/>, which the analyzer supports: an
    /// ID is listed once (the driver accepts a diagnostic by its ID, and the IDE shows one rule per ID).
    /// </summary>
    public static readonly ImmutableArray<DiagnosticDescriptor> Variants = ImmutableArray.Create(
        MethodHasBody, GenericMethod, TypeNotPartial, FileLocalType, NoStaticRouter, RouterHidden, RouterShadowedByMember, ByReferenceParameter, RefStructParameter, UnknownPlaceholderNoMatch, CancellationTokenPlaceholder, MalformedPrompt,
        UnpublishedTasks, MalformedPublishedTasks,
        NamelessTier, ValidatorDoesNotFit, InstanceValidatorOfStaticTask,
        NegativeValue, ThinkingWithoutCap, ThinkingTierPinned, CalibratedOverBudget, CalibratedUnreachable,
        CalibrationEmptyChain, CalibrationUnknownModel, CalibrationThresholdCount, CalibrationLogProbabilities, CalibrationAcceptorCount,
        CalibrationAcceptorWeights, CalibrationReachCount, CalibrationOutOfOrder, CalibrationAboveMaxTier);

    private static readonly Dictionary<string, DiagnosticDescriptor> Index = All.ToDictionary(d => d.Id);

    /// <summary>The documented descriptor of an ID.</summary>
    public static DiagnosticDescriptor ById(string id) => Index[id];

    private static DiagnosticDescriptor Error(string id, string title, string message)
        => new(id, title, message, Usage, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

    private static DiagnosticDescriptor Warning(string id, string category, string title, string message)
        => new(id, title, message, category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

    private static DiagnosticDescriptor Mismatch(string message) => Warning(DiagnosticIds.BadCalibration, Usage, BadCalibrationTitle, message);

    private static string HelpLink(string id) => HelpLinkBase + id + ".md";
}
