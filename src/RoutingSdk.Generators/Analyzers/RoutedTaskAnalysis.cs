using System.Linq;
using Microsoft.CodeAnalysis;
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
/// analyzed; the type's members always include the definition part, which carries the attribute.
/// </remarks>
internal static class RoutedTaskAnalysis
{
    public static void Analyze(SymbolAnalysisContext context, PlanningContext planning)
    {
        foreach (var member in ((INamedTypeSymbol)context.Symbol).GetMembers())
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary } method) AnalyzeMethod(context, planning, method);
        }
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context, PlanningContext planning, IMethodSymbol method)
    {
        var attribute = method.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, planning.RoutedTaskAttribute));
        if (attribute?.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is not { } attributeSyntax) return;
        if (attributeSyntax.FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } syntax) return;

        var task = Parser.ParseTask(method, syntax, attribute, context.CancellationToken);
        foreach (var diagnostic in planning.Plan(task).Diagnostics)
        {
            if (diagnostic.Location is { } where)
            {
                if (diagnostic.Id == DiagnosticDescriptors.NotPartial.Id && !planning.FirstReport(diagnostic.Id, where)) continue;
                context.ReportDiagnostic(diagnostic.ToDiagnostic(where.ToLocation(syntax.SyntaxTree, context.Compilation)));
            }
            else
            {
                context.ReportDiagnostic(diagnostic.ToDiagnostic(Location.None));
            }
        }
    }
}
