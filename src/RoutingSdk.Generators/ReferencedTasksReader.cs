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
    /// The referenced assemblies whose routed tasks are not taken in: those that have a generated routing table but no
    /// registration attribute (built with a RoutingSdk version before it; <paramref name="Problem"/> null), and those whose
    /// registration attribute this version cannot use (<paramref name="Problem"/> says why: a registration type that is not
    /// a public type with <c>Plans</c> and <c>Register</c>, a plans text in another format). Only the analyzer asks (RSDK0020).
    /// </summary>
    public static IReadOnlyList<(string Name, string? Problem)> Unpublished(Compilation compilation, CancellationToken cancellationToken)
    {
        var found = new List<(string Name, string? Problem)>();
        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!ReferencesRuntime(assembly) || Read(assembly, out var problem) is not null) continue;
            if (problem is not null) found.Add((assembly.Identity.Name, problem));
            else if (assembly.GetTypeByMetadataName(RoutingTable) is not null) found.Add((assembly.Identity.Name, null));
        }

        found.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
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
    public static ReferencedAssembly? Read(IAssemblySymbol assembly) => Read(assembly, out _);

    /// <summary>
    /// As <see cref="Read(IAssemblySymbol)"/>; <paramref name="problem"/> says why an attribute that is there cannot be
    /// used (the generated code calls the registration type's <c>Plans</c> and <c>Register</c>, so a type without them
    /// would make it fail to compile), and is null when the assembly has no such attribute.
    /// </summary>
    public static ReferencedAssembly? Read(IAssemblySymbol assembly, out string? problem)
    {
        problem = null;
        foreach (var attribute in assembly.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() != AssemblyAttribute) continue;
            var args = attribute.ConstructorArguments;
            if (args.Length != 2 || args[0].Kind == TypedConstantKind.Error || args[1].Kind == TypedConstantKind.Error)
                problem = "its attribute's arguments cannot be read";
            else if (args[1].Value is not string text)
                problem = "its attribute has no plans text";
            else if (PublishedPlans.Read(text) is not { } plans)
                problem = "its plans text is not in the format this version reads";
            else if (args[0].Value is not INamedTypeSymbol type)
                problem = "its attribute names no registration type";
            else if (RegistrationProblem(type) is { } registration)
                problem = registration;
            else
                return new ReferencedAssembly(assembly.Identity.Name, type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), plans);
            return null;
        }

        return null;
    }

    /// <summary>
    /// What keeps the generated code from calling <c>Plans</c> and <c>Register(services)</c> of a registration type, or
    /// null: it must be a public, non-generic type with a public static <c>Plans</c> of
    /// <c>IReadOnlyList&lt;RoutePlan&gt;</c> and a public static <c>Register(IServiceCollection)</c>, as the generator writes it.
    /// </summary>
    private static string? RegistrationProblem(INamedTypeSymbol type)
    {
        var name = type.ToDisplayString();
        if (type.TypeKind == TypeKind.Error) return $"its registration type '{name}' cannot be found";
        for (var t = type; t is not null; t = t.ContainingType)
        {
            if (t.DeclaredAccessibility != Accessibility.Public) return $"its registration type '{name}' is not public";
            if (t.IsGenericType) return $"its registration type '{name}' is generic";
        }

        if (type.TypeKind != TypeKind.Class) return $"its registration type '{name}' is not a class";
        var plans = type.GetMembers("Plans").OfType<IPropertySymbol>().Any(p => p.IsStatic && p.DeclaredAccessibility == Accessibility.Public
            && p.Parameters.IsEmpty && p.GetMethod is not null
            && p.Type.ToDisplayString() == "System.Collections.Generic.IReadOnlyList<RoutingSdk.RoutePlan>");
        if (!plans) return $"its registration type '{name}' has no public static Plans property of IReadOnlyList<RoutePlan>";
        var register = type.GetMembers("Register").OfType<IMethodSymbol>().Any(m => m.IsStatic && m.DeclaredAccessibility == Accessibility.Public
            && m.TypeParameters.IsEmpty && m.Parameters.Length == 1 && m.Parameters[0].RefKind == RefKind.None
            && m.Parameters[0].Type.ToDisplayString() == "Microsoft.Extensions.DependencyInjection.IServiceCollection");
        return register ? null : $"its registration type '{name}' has no public static Register(IServiceCollection) method";
    }
}
