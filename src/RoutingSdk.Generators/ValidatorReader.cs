using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RoutingSdk.Generators.Model;

namespace RoutingSdk.Generators;

/// <summary>
/// Reads <c>[RoutedTask(Validator = nameof(IsValid))]</c>: finds the named method on the containing type (or its bases)
/// and turns it into the expression the emitted body passes to the router; a name that does not fit is RSDK0009.
/// </summary>
/// <remarks>
/// A validator takes one parameter that the task's result converts to by identity or reference (the result type, a base
/// type, an interface it implements, or <c>object</c>) and returns <c>bool</c> (true scores 1, false 0) or
/// <c>double</c> (the score). It is static, or an instance method when the task method is one.
/// </remarks>
internal static class ValidatorReader
{
    public static ValidatorCall? Read(AttributeData attribute, IMethodSymbol method, AttributeSyntax? attributeSyntax, UsageErrorSink errors, CancellationToken cancellationToken)
    {
        var pair = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Validator");
        if (pair.Key is null || pair.Value.Kind == TypedConstantKind.Error || pair.Value.Value is not string name) return null;
        if (method.ReturnType is not INamedTypeSymbol { TypeArguments.Length: 1 } returnType) return null;
        var result = returnType.TypeArguments[0];
        var argument = attributeSyntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Validator");
        var location = argument?.Expression.GetLocation() ?? method.Locations.FirstOrDefault();

        var candidates = new List<IMethodSymbol>();
        for (var type = method.ContainingType; type is not null; type = type.BaseType)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var member in type.GetMembers(name).OfType<IMethodSymbol>())
            {
                if (member.MethodKind != MethodKind.Ordinary) continue;
                if (!ReferenceEquals(type, method.ContainingType) && member.DeclaredAccessibility == Accessibility.Private) continue;
                candidates.Add(member);
            }
        }

        if (candidates.Count == 0)
        {
            errors.Add(DiagnosticDescriptors.InvalidValidator, location, name, method.Name, method.ContainingType.Name, result.ToDisplayString());
            return null;
        }

        var fitting = candidates.Where(c => Fits(c, result)).ToList();
        if (fitting.Count == 0)
        {
            var found = candidates[0];
            errors.Add(DiagnosticDescriptors.ValidatorDoesNotFit, location, name, method.Name,
                found.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat), method.ContainingType.Name, result.ToDisplayString());
            return null;
        }

        var validator = fitting.FirstOrDefault(c => c.IsStatic || !method.IsStatic);
        if (validator is null)
        {
            errors.Add(DiagnosticDescriptors.InstanceValidatorOfStaticTask, location, name, method.Name);
            return null;
        }

        // Qualified (with its type or this.) so that no parameter of the task can hide it.
        var target = (validator.IsStatic ? Parser.TypeDisplay(validator.ContainingType) + "." : "this.") + Parser.EscapeIdentifier(validator.Name);
        return new ValidatorCall(target, validator.ReturnType.SpecialType == SpecialType.System_Boolean);
    }

    private static bool Fits(IMethodSymbol candidate, ITypeSymbol result)
    {
        if (candidate.IsGenericMethod || candidate.Parameters.Length != 1 || candidate.Parameters[0].RefKind is RefKind.Ref or RefKind.Out) return false;
        if (candidate.ReturnType.SpecialType is not (SpecialType.System_Boolean or SpecialType.System_Double)) return false;
        return Accepts(candidate.Parameters[0].Type, result);
    }

    /// <summary>Whether a value of <paramref name="result"/> passes to a parameter of <paramref name="parameter"/> by identity or reference conversion.</summary>
    private static bool Accepts(ITypeSymbol parameter, ITypeSymbol result)
    {
        if (SymbolEqualityComparer.Default.Equals(parameter, result)) return true;
        if (!result.IsReferenceType) return false;
        if (parameter.SpecialType == SpecialType.System_Object) return true;
        for (var type = result.BaseType; type is not null; type = type.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(parameter, type)) return true;
        }

        return result.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(parameter, i));
    }
}
