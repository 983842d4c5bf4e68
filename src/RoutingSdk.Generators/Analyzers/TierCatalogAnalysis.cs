using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace RoutingSdk.Generators.Analyzers;

/// <summary>
/// RSDK0007: the catalog's problems, each reported on the [assembly: ModelTier] attribute it was found at, so that it
/// shows in the file that declares the tiers (and #pragma applies there).
/// </summary>
internal static class TierCatalogAnalysis
{
    public static void Analyze(SyntaxNodeAnalysisContext context, PlanningContext planning)
    {
        var attribute = (AttributeSyntax)context.Node;
        if (attribute.Parent is not AttributeListSyntax { Target.Identifier.ValueText: "assembly" }) return;

        var tree = attribute.SyntaxTree;
        foreach (var diagnostic in planning.CatalogProblems)
        {
            if (diagnostic.Location.SourceTree == tree && diagnostic.Location.SourceSpan == attribute.Span)
                context.ReportDiagnostic(diagnostic);
        }
    }
}
