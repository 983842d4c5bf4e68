using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace RoutingSdk.Generators.Analyzers;

/// <summary>
/// The [RoutedTask] methods of one type: each parsed by the Parser, planned by the Planner, every diagnostic reported
/// where it points.
/// </summary>
/// <remarks>
/// A symbol action on the type rather than on the method: once the generator has written a task's body, the
/// compiler announces only the partial method's implementation part, which lives in generated code and is not
/// analyzed; the type's members always include the definition part, which carries the attribute. A diagnostic
/// about a containing type that is not partial is reported by that type's own action, once, so that it stays local
/// to the symbol analyzed (as the IDE and code fixes need).
/// </remarks>
internal static class RoutedTaskAnalysis
{
    public static void Analyze(SymbolAnalysisContext context, PlanningContext planning)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var reportedOwn = false;
        foreach (var method in RoutedMethods(type, planning))
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (Parse(context, planning, method) is not { } parsed) continue;
            planning.AddTaskName(parsed.TaskName, parsed.Syntax.Identifier.GetLocation(), type.ToDisplayString());
            foreach (var diagnostic in parsed.Diagnostics)
            {
                if (IsAboutAContainingType(diagnostic, parsed.Syntax))
                {
                    // Only this type's own: its containing types report theirs.
                    if (reportedOwn || !IsOn(diagnostic, type, context.CancellationToken)) continue;
                    reportedOwn = true;
                }

                Report(context, diagnostic);
            }
        }

        // A type that is not partial and declares no task itself, but whose nested types do: the Parser's diagnostic
        // about it comes with any of those tasks.
        if (reportedOwn || !MayNotBePartial(type, context.CancellationToken)) return;
        foreach (var method in NestedRoutedMethods(type, planning))
        {
            if (Parse(context, planning, method) is not { } parsed) continue;
            var own = parsed.Diagnostics.FirstOrDefault(d => IsAboutAContainingType(d, parsed.Syntax) && IsOn(d, type, context.CancellationToken));
            if (own is null) continue;
            Report(context, own);
            return;
        }
    }

    /// <summary>Every diagnostic about one task: the Parser's usage errors, then the Planner's findings on the arguments they concern.</summary>
    private static (List<Diagnostic> Diagnostics, MethodDeclarationSyntax Syntax, string TaskName)? Parse(SymbolAnalysisContext context, PlanningContext planning, IMethodSymbol method)
    {
        var attribute = method.GetAttributes().First(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, planning.RoutedTaskAttribute));
        if (attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is not AttributeSyntax attributeSyntax) return null;
        if (attributeSyntax.FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } syntax) return null;
        // The analyzer reports diagnostics only: the Parser skips the source text that only the emitter needs.
        var diagnostics = new List<Diagnostic>();
        var task = Parser.ParseTask(method, syntax, attribute, context.CancellationToken, forEmitter: false, diagnostics);
        TaskFindings.Add(diagnostics, task, planning.Plan(task).Plan, syntax, attributeSyntax);
        return (diagnostics, syntax, task.Spec.TaskName);
    }

    private static void Report(SymbolAnalysisContext context, Diagnostic diagnostic)
    {
        // Never in generated code (a [RoutedTask] method that another generator declares): the user cannot act on it.
        if (diagnostic.Location.SourceTree is { } where && GeneratedSource.IsGenerated(where, context.Options, context.CancellationToken)) return;
        context.ReportDiagnostic(diagnostic);
    }

    private static IEnumerable<IMethodSymbol> RoutedMethods(INamedTypeSymbol type, PlanningContext planning)
        => type.GetMembers().OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary
            && m.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, planning.RoutedTaskAttribute)));

    private static IEnumerable<IMethodSymbol> NestedRoutedMethods(INamedTypeSymbol type, PlanningContext planning)
        => type.GetTypeMembers().SelectMany(nested => RoutedMethods(nested, planning).Concat(NestedRoutedMethods(nested, planning)));

    /// <summary>A diagnostic outside the method's own declaration: about one of its containing types.</summary>
    private static bool IsAboutAContainingType(Diagnostic diagnostic, MethodDeclarationSyntax method)
        => diagnostic.Location.SourceTree is { } tree && (tree != method.SyntaxTree || !method.Span.Contains(diagnostic.Location.SourceSpan));

    /// <summary>Whether the diagnostic is on a declaration of <paramref name="type"/> (its name).</summary>
    private static bool IsOn(Diagnostic diagnostic, INamedTypeSymbol type, CancellationToken cancellationToken)
        => diagnostic.Location.SourceTree is { } tree && type.DeclaringSyntaxReferences.Any(r =>
            r.SyntaxTree == tree && r.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration && declaration.Identifier.Span == diagnostic.Location.SourceSpan);

    /// <summary>A cheap pre-check before searching nested types: some declaration of the type lacks 'partial'.</summary>
    private static bool MayNotBePartial(INamedTypeSymbol type, CancellationToken cancellationToken)
        => type.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
            && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword));
}
