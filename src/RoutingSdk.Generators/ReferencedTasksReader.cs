using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using RoutingSdk.Generators.Model;

namespace RoutingSdk.Generators;

/// <summary>
/// Reads the routed tasks of referenced assemblies from their metadata: <c>[assembly: RoutedTasksAssembly(typeof(...))]</c>
/// names the registration type, <c>[assembly: RoutedTaskPlan(...)]</c> gives each plan's figures. Only assemblies that
/// reference RoutingSdk are looked at, so a keystroke costs a walk over the reference list and nothing more (the
/// referenced assemblies' symbols and their decoded attributes are shared by successive compilations).
/// </summary>
internal static class ReferencedTasksReader
{
    /// <summary>The metadata name of the attribute that names an assembly's registration type.</summary>
    public const string AssemblyAttribute = "RoutingSdk.RoutedTasksAssemblyAttribute";

    /// <summary>The metadata name of the attribute that carries one plan's figures.</summary>
    public const string PlanAttribute = "RoutingSdk.RoutedTaskPlanAttribute";

    /// <summary>The generated routing table of an assembly; present without <see cref="AssemblyAttribute"/> in assemblies built with RoutingSdk 0.1.</summary>
    public const string RoutingTable = "RoutingSdk.Generated.RoutingTable";

    private const string RuntimeAssembly = "RoutingSdk";

    public static ReferencedTasks Read(Compilation compilation, CancellationToken cancellationToken)
    {
        var found = new List<ReferencedAssembly>();
        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!ReferencesRuntime(assembly)) continue;
            if (Read(assembly) is { } referenced)
                found.Add(assembly.GivesAccessTo(compilation.Assembly) ? referenced with { SharesInternals = true } : referenced);
        }

        return new ReferencedTasks(compilation.AssemblyName ?? "",
            found.OrderBy(a => a.Name, System.StringComparer.Ordinal).ToEquatableArray());
    }

    /// <summary>
    /// The referenced assemblies that have a generated routing table but publish no registration: built with a RoutingSdk
    /// version before the registration attributes, their tasks are not taken in (RSDK0020). Only the analyzer asks.
    /// </summary>
    public static IReadOnlyList<string> Unpublished(Compilation compilation, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!ReferencesRuntime(assembly) || assembly.GetTypeByMetadataName(RoutingTable) is null) continue;
            if (!assembly.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == AssemblyAttribute)) found.Add(assembly.Identity.Name);
        }

        found.Sort(System.StringComparer.Ordinal);
        return found;
    }

    /// <summary>Whether <paramref name="assembly"/> references the RoutingSdk runtime (and is not the runtime itself).</summary>
    public static bool ReferencesRuntime(IAssemblySymbol assembly)
    {
        if (assembly.Identity.Name == RuntimeAssembly) return false;
        foreach (var module in assembly.Modules)
        {
            foreach (var identity in module.ReferencedAssemblies)
            {
                if (identity.Name == RuntimeAssembly) return true;
            }
        }

        return false;
    }

    /// <summary>The routed tasks <paramref name="assembly"/> declares through its attributes, or null when it has none.</summary>
    public static ReferencedAssembly? Read(IAssemblySymbol assembly)
    {
        string? registration = null;
        var plans = new List<ReferencedPlan>();
        foreach (var attribute in assembly.GetAttributes())
        {
            var name = attribute.AttributeClass?.ToDisplayString();
            if (name == AssemblyAttribute && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is INamedTypeSymbol type)
                registration = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            else if (name == PlanAttribute && ReadPlan(attribute) is { } plan)
                plans.Add(plan);
        }

        return registration is null ? null : new ReferencedAssembly(assembly.Identity.Name, registration, plans.ToEquatableArray());
    }

    private static ReferencedPlan? ReadPlan(AttributeData attribute)
    {
        var args = attribute.ConstructorArguments;
        if (args.Length != 6 || args[0].Value is not string taskName || args[1].Kind != TypedConstantKind.Array
            || args[2].Value is not double threshold || args[3].Value is not double quality
            || !TryDecimal(args[4].Value, out var usd) || !TryDecimal(args[5].Value, out var allFrontier))
            return null;
        var chain = args[1].Values.Select(v => v.Value as string).Where(v => v is not null).Select(v => v!).ToEquatableArray();
        return new ReferencedPlan(taskName, chain, threshold, quality, usd, allFrontier);
    }

    private static bool TryDecimal(object? value, out decimal result)
    {
        result = 0m;
        return value is string text && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out result);
    }
}
