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
using Microsoft.CodeAnalysis.Simplification;
using RoutingSdk.Generators;

namespace RoutingSdk.CodeFixes;

/// <summary>RSDK0002: add a <c>TaskRouter router</c> primary-constructor parameter to the type that declares the task.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddRouterCodeFixProvider)), Shared]
public sealed class AddRouterCodeFixProvider : DocumentCodeFixProvider
{
    /// <summary>Equivalence key of the fix.</summary>
    public const string AddRouterParameter = "RoutingSdk.AddRouterParameter";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.NoRouter.Id);

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (Target(root, model, diagnostic, context.CancellationToken) is { } type)
                Register(context, diagnostic, $"Add a 'TaskRouter router' primary-constructor parameter to '{type.Identifier.ValueText}'", AddRouterParameter);
        }
    }

    /// <inheritdoc />
    protected override async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var types = new HashSet<TypeDeclarationSyntax>();
        foreach (var diagnostic in diagnostics)
        {
            if (Target(root, model, diagnostic, cancellationToken) is { } type) types.Add(type);
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        foreach (var type in types) editor.ReplaceNode(type, (current, _) => AddParameter((TypeDeclarationSyntax)current));
        return editor.GetChangedDocument();
    }

    /// <summary>
    /// The declaration to extend: the one around the method, unless another part of the type already has the primary
    /// constructor (then that part, when it is in this document, else none).
    /// </summary>
    private static TypeDeclarationSyntax? Target(SyntaxNode? root, SemanticModel? model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (root is null || model is null || !diagnostic.Properties.TryGetValue(Parser.FixProperty, out var fix) || fix != Parser.AddRouterParameterFix) return null;
        var declaration = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<TypeDeclarationSyntax>();
        if (declaration is null || model.GetDeclaredSymbol(declaration, cancellationToken) is not { } symbol) return null;

        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax { ParameterList: not null } primary)
                return primary.SyntaxTree == root.SyntaxTree ? primary : null;
        }

        return declaration;
    }

    private static TypeDeclarationSyntax AddParameter(TypeDeclarationSyntax type)
    {
        var parameter = SyntaxFactory.Parameter(SyntaxFactory.Identifier("router"))
            .WithType(SyntaxFactory.ParseTypeName("global::RoutingSdk.TaskRouter").WithAdditionalAnnotations(Simplifier.Annotation).WithTrailingTrivia(SyntaxFactory.Space));
        if (type.ParameterList is { } existing) return type.WithParameterList(existing.AddParameters(parameter));

        // The new list goes right after the name (and type parameters), taking over their trailing trivia.
        var list = SyntaxFactory.ParameterList(SyntaxFactory.SingletonSeparatedList(parameter));
        if (type.TypeParameterList is { } typeParameters)
            return type.WithTypeParameterList(typeParameters.WithoutTrailingTrivia()).WithParameterList(list.WithTrailingTrivia(typeParameters.GetTrailingTrivia()));
        return type.WithIdentifier(type.Identifier.WithTrailingTrivia()).WithParameterList(list.WithTrailingTrivia(type.Identifier.TrailingTrivia));
    }
}
