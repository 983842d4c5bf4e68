using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace RoutingSdk.Generators;

/// <summary>The TaskRouter a task's body calls through (RSDK0002), and whether the code fix can add one.</summary>
internal static partial class Parser
{
    /// <summary>
    /// Whether a <c>TaskRouter router</c> primary-constructor parameter can be added: an instance method of a class or
    /// struct whose constructors are all implicit or primary (an explicit constructor would have to chain to it).
    /// </summary>
    private static bool CanAddRouterParameter(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var type = method.ContainingType;
        // Not for records: their primary-constructor parameters are public properties, part of equality.
        if (method.IsStatic || type.IsStatic || type.IsRecord || type.TypeKind is not (TypeKind.Class or TypeKind.Struct)) return false;
        return type.InstanceConstructors.All(c => c.IsImplicitlyDeclared
            || c.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax));
    }

    /// <summary>A member named <paramref name="name"/> of the type or, when not private, of a base type; null when none.</summary>
    private static ISymbol? MemberNamed(INamedTypeSymbol type, string name)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers(name))
            {
                if (member.IsImplicitlyDeclared || (!ReferenceEquals(current, type) && member.DeclaredAccessibility == Accessibility.Private)) continue;
                return member;
            }
        }

        return null;
    }

    /// <summary>
    /// A TaskRouter reachable from the method: a field or property of the type or its bases, or a primary-constructor
    /// parameter, as the expression the body calls it through. A static member is qualified with its type and an
    /// instance member with <c>this.</c>, so that no parameter of the method can hide it; a primary-constructor
    /// parameter cannot be qualified, so a method parameter of the same name hides it (<paramref name="hiddenBy"/>), and so
    /// does a member of the type of the same name (<paramref name="shadowedBy"/>).
    /// </summary>
    private static string? FindRouter(IMethodSymbol method, CancellationToken cancellationToken, out IParameterSymbol? hiddenBy, out ISymbol? shadowedBy)
    {
        hiddenBy = null;
        shadowedBy = null;
        var type = method.ContainingType;
        for (var current = type; current is not null; current = current.BaseType)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var member in current.GetMembers())
            {
                if (member.IsStatic != method.IsStatic && !member.IsStatic) continue;
                if (!ReferenceEquals(current, type) && member.DeclaredAccessibility == Accessibility.Private) continue;
                var memberType = member switch
                {
                    IFieldSymbol { IsImplicitlyDeclared: false } f => f.Type,
                    IPropertySymbol { IsIndexer: false } p => p.Type,
                    _ => null,
                };
                if (memberType is not null && IsTaskRouter(memberType))
                    return (member.IsStatic ? TypeDisplay(current) + "." : "this.") + EscapeIdentifier(member.Name);
            }
        }

        if (method.IsStatic) return null;
        foreach (var constructor in type.InstanceConstructors)
        {
            var isPrimary = constructor.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax);
            if (!isPrimary) continue;
            var parameter = constructor.Parameters.FirstOrDefault(p => IsTaskRouter(p.Type));
            if (parameter is null) continue;
            // In the type's members the name means a member of that name (a field 'router' of another type), not the parameter.
            shadowedBy = MemberNamed(type, parameter.Name);
            if (shadowedBy is not null) return null;
            hiddenBy = method.Parameters.FirstOrDefault(p => p.Name == parameter.Name);
            return hiddenBy is null ? EscapeIdentifier(parameter.Name) : null;
        }

        return null;
    }
}
