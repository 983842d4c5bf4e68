using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using RoutingSdk.Generators;

namespace RoutingSdk.CodeFixes;

/// <summary>
/// RSDK0001: make the routed task a partial method without a body (RoutingSdk writes the body) and every type that
/// contains it partial.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFixProvider)), Shared]
public sealed class MakePartialCodeFixProvider : DocumentCodeFixProvider
{
    /// <summary>Equivalence key of the fix.</summary>
    public const string MakePartial = "RoutingSdk.MakePartial";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.NotPartial.Id);

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (Declaration(root, diagnostic) is not { } declaration) continue;
            var title = declaration is MethodDeclarationSyntax method
                ? $"Make '{method.Identifier.ValueText}' a partial routed task (RoutingSdk writes its body)"
                : $"Make '{((TypeDeclarationSyntax)declaration).Identifier.ValueText}' partial";
            Register(context, diagnostic, title, MakePartial);
        }
    }

    /// <inheritdoc />
    protected override async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var targets = new HashSet<MemberDeclarationSyntax>();
        foreach (var diagnostic in diagnostics)
        {
            if (Declaration(root, diagnostic) is not { } declaration) continue;
            // The declaration, and every type around it.
            foreach (var node in declaration.AncestorsAndSelf().OfType<MemberDeclarationSyntax>())
            {
                if (node is MethodDeclarationSyntax or TypeDeclarationSyntax) targets.Add(node);
            }
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        foreach (var target in targets)
            editor.ReplaceNode(target, (current, _) => current switch
            {
                MethodDeclarationSyntax method => MakeMethodPartial(method),
                TypeDeclarationSyntax type => MakeTypePartial(type),
                _ => current,
            });
        return editor.GetChangedDocument();
    }

    /// <summary>The method or type whose name the diagnostic is on, when the analyzer said that partial fixes it.</summary>
    private static MemberDeclarationSyntax? Declaration(SyntaxNode? root, Diagnostic diagnostic)
    {
        if (root is null || !diagnostic.Properties.TryGetValue(Parser.FixProperty, out var fix) || fix != Parser.MakePartialFix) return null;
        var token = root.FindToken(diagnostic.Location.SourceSpan.Start);
        return token.Parent switch
        {
            MethodDeclarationSyntax method when method.Identifier == token => method,
            TypeDeclarationSyntax type when type.Identifier == token => type,
            _ => null,
        };
    }

    private static SyntaxNode MakeTypePartial(TypeDeclarationSyntax type)
    {
        if (type.Modifiers.Any(SyntaxKind.PartialKeyword)) return type;
        if (type.Modifiers.Count > 0) return type.WithModifiers(type.Modifiers.Add(Partial()));
        return type.WithKeyword(type.Keyword.WithLeadingTrivia()).WithModifiers(SyntaxFactory.TokenList(Partial().WithLeadingTrivia(type.Keyword.LeadingTrivia)));
    }

    private static SyntaxNode MakeMethodPartial(MethodDeclarationSyntax method)
    {
        // A partial definition has no body and is not async: RoutingSdk writes the body.
        if (method.Body is not null || method.ExpressionBody is not null)
        {
            var trailing = method.Body is not null ? method.Body.GetTrailingTrivia() : method.SemicolonToken.TrailingTrivia;
            method = method
                .WithParameterList(method.ParameterList.WithoutTrailingTrivia())
                .WithConstraintClauses(SyntaxFactory.List(method.ConstraintClauses.Select(c => c.WithoutTrailingTrivia())))
                .WithBody(null)
                .WithExpressionBody(null)
                .WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken).WithTrailingTrivia(trailing));
        }

        var modifiers = SyntaxFactory.TokenList(method.Modifiers.Where(m => !m.IsKind(SyntaxKind.AsyncKeyword)));
        if (modifiers.Any(SyntaxKind.PartialKeyword)) return method.WithModifiers(modifiers);
        if (modifiers.Count > 0) return method.WithModifiers(modifiers.Add(Partial()));

        var first = method.ReturnType.GetFirstToken();
        var leading = method.Modifiers.Count > 0 ? method.Modifiers[0].LeadingTrivia : first.LeadingTrivia;
        return method
            .ReplaceToken(first, first.WithLeadingTrivia())
            .WithModifiers(SyntaxFactory.TokenList(Partial().WithLeadingTrivia(leading)));
    }

    private static SyntaxToken Partial() => SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
}
