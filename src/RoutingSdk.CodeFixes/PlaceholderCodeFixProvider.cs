using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;
using RoutingSdk.Generators;

namespace RoutingSdk.CodeFixes;

/// <summary>RSDK0004: replace a misspelled <c>{placeholder}</c> with the closest parameter name the analyzer found.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PlaceholderCodeFixProvider)), Shared]
public sealed class PlaceholderCodeFixProvider : DocumentCodeFixProvider
{
    /// <summary>Equivalence key of the fix.</summary>
    public const string UseClosestParameter = "RoutingSdk.UseClosestParameter";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.UnknownPlaceholder.Id);

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var text = await context.Document.GetTextAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (Replacement(text, diagnostic) is { } change) Register(context, diagnostic, $"Change {text.GetSubText(change.Span)} to {change.NewText}", UseClosestParameter);
        }
    }

    /// <inheritdoc />
    protected override async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        var changes = diagnostics.Select(d => Replacement(text, d)).OfType<TextChange>().GroupBy(c => c.Span).Select(g => g.First()).ToArray();
        return changes.Length == 0 ? document : document.WithText(text.WithChanges(changes));
    }

    /// <summary>The change, when the diagnostic sits on the placeholder itself (not on the whole Prompt) and has a suggestion.</summary>
    private static TextChange? Replacement(SourceText text, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(Parser.ClosestParameterProperty, out var name) || name is null) return null;
        var span = diagnostic.Location.SourceSpan;
        if (span.End > text.Length) return null;
        var current = text.ToString(span);
        if (current.Length < 2 || current[0] != '{' || current[current.Length - 1] != '}') return null;
        return new TextChange(span, "{" + name + "}");
    }
}
