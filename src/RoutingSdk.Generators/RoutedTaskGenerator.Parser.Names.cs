using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RoutingSdk.Generators.Model;
using RoutingSdk.Planning;

namespace RoutingSdk.Generators;

// Type, namespace and identifier names as the Parser recognizes them and the emitter writes them.
internal static partial class Parser
{
    /// <summary>
    /// The fully qualified display string of a type (with its nullable annotation). The types that recur on every task
    /// (string, int, bool) are written directly: formatting them through the symbol display is a large part of the
    /// Parser's time. The result is the same as <c>ToDisplayString(TypeFormat)</c>.
    /// </summary>
    internal static string TypeDisplay(ITypeSymbol type)
    {
        var keyword = type.SpecialType switch
        {
            SpecialType.System_String => "string",
            SpecialType.System_Object => "object",
            SpecialType.System_Boolean => "bool",
            SpecialType.System_Int32 => "int",
            SpecialType.System_Int64 => "long",
            SpecialType.System_Double => "double",
            SpecialType.System_Decimal => "decimal",
            _ => null,
        };
        if (keyword is null) return type.ToDisplayString(TypeFormat);
        return type.NullableAnnotation == NullableAnnotation.Annotated ? keyword + "?" : keyword;
    }

    /// <summary>The RoutingSdk.TaskRouter type, by name (no display string is formatted); a nullable <c>TaskRouter?</c> is not a router.</summary>
    private static bool IsTaskRouter(ITypeSymbol type) => type.NullableAnnotation != NullableAnnotation.Annotated && IsType(type, "TaskRouter", "RoutingSdk");

    /// <summary>Whether <paramref name="type"/> is the named type <c>ns[^1]. ... .ns[0].name</c> (namespaces innermost first).</summary>
    private static bool IsType(ITypeSymbol type, string name, params string[] namespaces)
        => type is INamedTypeSymbol { Arity: 0, ContainingType: null } named && named.Name == name && IsNamespace(named.ContainingNamespace, namespaces);

    private static bool IsNamespace(INamespaceSymbol? ns, params string[] names)
    {
        foreach (var name in names)
        {
            if (ns is null || ns.IsGlobalNamespace || ns.Name != name) return false;
            ns = ns.ContainingNamespace;
        }

        return ns is { IsGlobalNamespace: true };
    }

    private static string Keyword(TypeDeclarationSyntax? declaration) => declaration switch
    {
        RecordDeclarationSyntax r when r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "record struct",
        RecordDeclarationSyntax => "record",
        StructDeclarationSyntax => "struct",
        InterfaceDeclarationSyntax => "interface",
        _ => "class",
    };

    private static string TypeParameters(INamedTypeSymbol type)
        => type.TypeParameters.Length == 0 ? "" : "<" + string.Join(", ", type.TypeParameters.Select(t => EscapeIdentifier(t.Name))) + ">";

    public static string EscapeIdentifier(string name)
        => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) is SyntaxKind.AwaitKeyword ? "@" + name : name;

    private static double ToDouble(object? value) => value switch
    {
        double d => d,
        float f => f,
        int i => i,
        long l => l,
        _ => 0,
    };
}
