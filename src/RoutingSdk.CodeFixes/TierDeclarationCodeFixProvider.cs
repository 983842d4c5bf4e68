using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;
using RoutingSdk.Generators;

namespace RoutingSdk.CodeFixes;

/// <summary>
/// Fixes that change what an <c>[assembly: ModelTier]</c> declares about its tier: RSDK1004 → <c>Free = true</c> (the
/// tier costs nothing on purpose); RSDK2005 → <c>TierCapabilities.StructuredOutput</c> added to the capabilities of the
/// tier the diagnostic names, wherever in the project that tier is declared.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TierDeclarationCodeFixProvider)), Shared]
public sealed class TierDeclarationCodeFixProvider : CodeFixProvider
{
    /// <summary>Equivalence key of the RSDK1004 fix.</summary>
    public const string DeclareFree = "RoutingSdk.DeclareFree";

    /// <summary>Equivalence key of the RSDK2005 fix.</summary>
    public const string DeclareStructuredOutput = "RoutingSdk.DeclareStructuredOutput";

    private const string CapabilitiesArgument = "Capabilities";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.UnpricedTier.Id, DiagnosticDescriptors.NoStructuredOutput.Id);

    /// <summary>
    /// Each fix edits one tier's declaration, which several diagnostics may share; Fix All is left to applying the fix
    /// once per tier.
    /// </summary>
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (diagnostic.Id == DiagnosticDescriptors.UnpricedTier.Id)
            {
                if (root?.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<AttributeSyntax>() is not { } attribute) continue;
                var document = context.Document;
                context.RegisterCodeFix(CodeAction.Create("Declare the tier free on purpose (Free = true)",
                    ct => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(attribute, WithArgument(attribute, "Free", SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression))))),
                    DeclareFree), diagnostic);
            }
            else if (diagnostic.Properties.TryGetValue(DiagnosticDescriptors.SuggestedTierProperty, out var tier) && tier is not null)
            {
                var project = context.Document.Project;
                context.RegisterCodeFix(CodeAction.Create($"Declare that tier '{tier}' gives structured output",
                    ct => AddStructuredOutputAsync(project, tier, ct), DeclareStructuredOutput), diagnostic);
            }
        }
    }

    /// <summary>The project's solution with <c>TierCapabilities.StructuredOutput</c> added to the declaration of <paramref name="tier"/>.</summary>
    private static async Task<Solution> AddStructuredOutputAsync(Project project, string tier, CancellationToken cancellationToken)
    {
        var solution = project.Solution;
        var compilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
        var modelTier = compilation?.GetTypeByMetadataName("RoutingSdk.ModelTierAttribute");
        var declaration = compilation?.Assembly.GetAttributes().FirstOrDefault(a =>
            SymbolEqualityComparer.Default.Equals(a.AttributeClass, modelTier)
            && a.ConstructorArguments.Length == 1 && a.ConstructorArguments[0].Value as string == tier);
        if (declaration?.ApplicationSyntaxReference is not { } reference
            || await reference.GetSyntaxAsync(cancellationToken).ConfigureAwait(false) is not AttributeSyntax attribute
            || solution.GetDocument(attribute.SyntaxTree) is not { } document)
        {
            return solution;
        }

        var structured = SyntaxFactory.ParseExpression("global::RoutingSdk.TierCapabilities.StructuredOutput").WithAdditionalAnnotations(Simplifier.Annotation);
        var existing = attribute.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == CapabilitiesArgument);
        // Capabilities = TierCapabilities.None becomes StructuredOutput; any other value gains "| StructuredOutput".
        var value = existing is null || existing.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "None" }
            ? structured
            : SyntaxFactory.BinaryExpression(SyntaxKind.BitwiseOrExpression, existing.Expression.WithoutTrivia(), structured);
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        return root is null ? solution : solution.WithDocumentSyntaxRoot(document.Id, root.ReplaceNode(attribute, WithArgument(attribute, CapabilitiesArgument, value)));
    }

    /// <summary>The attribute with <c>name = value</c>: the named argument replaced when present, else added at the end.</summary>
    private static AttributeSyntax WithArgument(AttributeSyntax attribute, string name, ExpressionSyntax value)
    {
        var arguments = attribute.ArgumentList?.Arguments ?? default;
        var existing = arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);
        if (existing is not null) return attribute.ReplaceNode(existing, existing.WithExpression(value.WithTriviaFrom(existing.Expression)));
        var added = SyntaxFactory.AttributeArgument(SyntaxFactory.NameEquals(name), null, value);
        return attribute.WithArgumentList((attribute.ArgumentList ?? SyntaxFactory.AttributeArgumentList()).AddArguments(added));
    }
}
