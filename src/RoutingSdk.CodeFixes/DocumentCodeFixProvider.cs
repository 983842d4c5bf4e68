using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace RoutingSdk.CodeFixes;

/// <summary>
/// A code fix that edits one document and fixes any number of its diagnostics in one pass, so that Fix All is the same
/// code as the single fix: diagnostics that touch the same syntax (several tasks of one type that is not partial) are
/// merged, not applied twice.
/// </summary>
public abstract class DocumentCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc />
    public sealed override FixAllProvider GetFixAllProvider()
        => FixAllProvider.Create(async (context, document, diagnostics) => await FixAsync(document, diagnostics, context.CodeActionEquivalenceKey ?? "", context.CancellationToken).ConfigureAwait(false));

    /// <summary>Applies the action named <paramref name="equivalenceKey"/> for every diagnostic of the document.</summary>
    protected abstract Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken);

    /// <summary>Offers one action for one diagnostic.</summary>
    protected void Register(CodeFixContext context, Diagnostic diagnostic, string title, string equivalenceKey)
        => context.RegisterCodeFix(
            CodeAction.Create(title, ct => FixAsync(context.Document, ImmutableArray.Create(diagnostic), equivalenceKey, ct), equivalenceKey),
            diagnostic);
}
