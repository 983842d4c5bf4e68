using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using RoutingSdk.Generators.Model;

namespace RoutingSdk.Generators;

/// <summary>
/// Reads the routed tasks of referenced assemblies from their metadata: <c>[assembly: RoutedTasksAssembly(typeof(...), plans)]</c>
/// names the registration type and gives each plan's figures (<see cref="PublishedPlans"/>). Only assemblies that
/// reference RoutingSdk are looked at, so a keystroke costs a walk over the reference list and nothing more (the
/// referenced assemblies' symbols and their decoded attributes are shared by successive compilations).
/// </summary>
internal static class ReferencedTasksReader
{
    /// <summary>The metadata name of the attribute that names an assembly's registration type.</summary>
    public const string AssemblyAttribute = "RoutingSdk.RoutedTasksAssemblyAttribute";

    /// <summary>The generated routing table of an assembly; present without <see cref="AssemblyAttribute"/> in assemblies built with RoutingSdk 0.1.</summary>
    public const string RoutingTable = "RoutingSdk.Generated.RoutingTable";

    /// <summary>The runtime's assembly name.</summary>
    public const string RuntimeAssembly = "RoutingSdk";

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
    /// The referenced assemblies that have a generated routing table but publish no registration this version reads
    /// (built with a RoutingSdk version before the registration attribute, or with one whose plans text differs): their
    /// tasks are not taken in (RSDK0020). Only the analyzer asks.
    /// </summary>
    public static IReadOnlyList<string> Unpublished(Compilation compilation, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!ReferencesRuntime(assembly) || assembly.GetTypeByMetadataName(RoutingTable) is null) continue;
            if (Read(assembly) is null) found.Add(assembly.Identity.Name);
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

    /// <summary>
    /// The routed tasks <paramref name="assembly"/> publishes through <c>[assembly: RoutedTasksAssembly(typeof(...), plans)]</c>,
    /// or null when it publishes none (or not in a form this generator reads).
    /// </summary>
    public static ReferencedAssembly? Read(IAssemblySymbol assembly)
    {
        foreach (var attribute in assembly.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() != AssemblyAttribute) continue;
            var args = attribute.ConstructorArguments;
            if (args.Length != 2 || args[0].Value is not INamedTypeSymbol type || args[1].Value is not string text
                || PublishedPlans.Read(text) is not { } plans)
                return null;
            return new ReferencedAssembly(assembly.Identity.Name, type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), plans);
        }

        return null;
    }
}
