using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using RoutingSdk.Planning;

namespace RoutingSdk.Generators;

/// <summary>
/// Every diagnostic RoutingSdk reports (all of them through <see cref="Analyzers.RoutedTaskAnalyzer"/>; the generator
/// reports none). IDs are never reused; docs/diagnostics/RSDKxxxx.md explains each.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Usage = "RoutingSdk.Usage";
    private const string Cost = "RoutingSdk.Cost";
    private const string Quality = "RoutingSdk.Quality";

    /// <summary>Where the diagnostics' documentation lives: one page per ID, <c>{HelpLinkBase}RSDKxxxx.md</c>.</summary>
    public const string HelpLinkBase = "https://github.com/routingsdk/routingsdk/blob/main/docs/diagnostics/";

    public static readonly DiagnosticDescriptor NotPartial = Error("RSDK0001", "Routed task must be a partial, non-generic method of a partial type", "{0}");
    public static readonly DiagnosticDescriptor NoRouter = Error("RSDK0002", "Routed task has no TaskRouter to call", "{0}");
    public static readonly DiagnosticDescriptor UnsupportedSignature = Error("RSDK0003", "Routed task has an unsupported signature", "{0}");
    public static readonly DiagnosticDescriptor UnknownPlaceholder = Error("RSDK0004", "Prompt placeholder names no parameter", "{0}");
    public static readonly DiagnosticDescriptor UnknownTier = Error("RSDK0005", "Tier is not in the tier catalog", "{0}");
    public static readonly DiagnosticDescriptor InvalidValue = Error("RSDK0006", "Routed task setting is out of range", "{0}");
    public static readonly DiagnosticDescriptor InvalidCatalog = Error("RSDK0007", "Model tier catalog is invalid", "{0}");

    /// <summary>A warning, not an error: the tasks the file cannot describe still get the built-in plan.</summary>
    public static readonly DiagnosticDescriptor BadCalibration = Warning("RSDK0008", Usage, "Calibration file is malformed or does not fit the task", "{0}");
    public static readonly DiagnosticDescriptor InvalidValidator = Error("RSDK0009", "Validator names no suitable method", "{0}");

    public static readonly DiagnosticDescriptor Overspend = Warning("RSDK1001", Cost, "Pinned tier costs more than the task needs", "{0}");
    public static readonly DiagnosticDescriptor ThinkingOnSimpleTask = Warning("RSDK1002", Cost, "Extended thinking on a task of Medium complexity or less", "{0}");
    public static readonly DiagnosticDescriptor OverBudget = Warning("RSDK1003", Cost, "Projected cost exceeds MaxCostPerThousandCalls", "{0}");
    public static readonly DiagnosticDescriptor Unreachable = Warning("RSDK2001", Quality, "No allowed tier reaches the quality threshold", "{0}");
    public static readonly DiagnosticDescriptor TooSlow = Warning("RSDK2002", Quality, "Start tier is slower than the latency budget", "{0}");
    public static readonly DiagnosticDescriptor Underspend = Warning("RSDK2003", Quality, "Pinned tier is below the quality the task needs", "{0}");

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
        FindingKind.CalibrationMismatch => BadCalibration,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No diagnostic reports this finding."),
    };

    /// <summary>Every descriptor, in ID order.</summary>
    public static readonly ImmutableArray<DiagnosticDescriptor> All = ImmutableArray.Create(
        NotPartial, NoRouter, UnsupportedSignature, UnknownPlaceholder, UnknownTier, InvalidValue, InvalidCatalog, BadCalibration, InvalidValidator,
        Overspend, ThinkingOnSimpleTask, OverBudget, Unreachable, TooSlow, Underspend);

    private static readonly Dictionary<string, DiagnosticDescriptor> Index = All.ToDictionary(d => d.Id);

    /// <summary>The descriptor of an ID.</summary>
    public static DiagnosticDescriptor ById(string id) => Index[id];

    private static DiagnosticDescriptor Error(string id, string title, string message)
        => new(id, title, message, Usage, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

    private static DiagnosticDescriptor Warning(string id, string category, string title, string message)
        => new(id, title, message, category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

    private static string HelpLink(string id) => HelpLinkBase + id + ".md";
}
