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
/// RSDK1001 (overspend) and RSDK2003 (underspend): remove the pin and let the plan choose (offered first), or set the
/// pinned tier to the one the Planner says meets the threshold. RSDK1002 (extended thinking on a simple task): cap MaxTier at the tier
/// the Planner names below the thinking tier, or remove the Tier that pins it.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TierArgumentCodeFixProvider)), Shared]
public sealed class TierArgumentCodeFixProvider : DocumentCodeFixProvider
{
    /// <summary>Equivalence key of "set Tier to the planned tier".</summary>
    public const string UsePlannedTier = "RoutingSdk.UsePlannedTier";

    /// <summary>Equivalence key of "remove the Tier pin".</summary>
    public const string RemovePin = "RoutingSdk.RemovePin";

    /// <summary>Equivalence key of "drop the extended-thinking tier".</summary>
    public const string DropThinkingTier = "RoutingSdk.DropThinkingTier";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.Overspend.Id, DiagnosticDescriptors.Underspend.Id, DiagnosticDescriptors.ThinkingOnSimpleTask.Id);

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (Argument(root, diagnostic) is not { } argument) continue;
            var name = ArgumentName(argument);
            diagnostic.Properties.TryGetValue(DiagnosticDescriptors.SuggestedTierProperty, out var tier);
            if (diagnostic.Id == DiagnosticDescriptors.ThinkingOnSimpleTask.Id)
            {
                Register(context, diagnostic, name == "MaxTier" && tier is not null ? $"Cap MaxTier at '{tier}'" : $"Remove {name} = {argument.Expression}", DropThinkingTier);
                continue;
            }

            if (name != "Tier") continue;
            // The removal first: it is the fix batch tools apply (dotnet format and Fix All without a choice take the first
            // action), and it lets the plan choose and escalate where a pin, even on the planned tier, would fix one tier.
            Register(context, diagnostic, "Remove the Tier pin and let the plan choose", RemovePin);
            if (tier is not null) Register(context, diagnostic, $"Use the planned tier: Tier = \"{tier}\"", UsePlannedTier);
        }
    }

    /// <inheritdoc />
    protected override async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var done = new System.Collections.Generic.HashSet<AttributeArgumentSyntax>();
        foreach (var diagnostic in diagnostics)
        {
            if (Argument(root, diagnostic) is not { } argument || !done.Add(argument)) continue;
            diagnostic.Properties.TryGetValue(DiagnosticDescriptors.SuggestedTierProperty, out var tier);
            var name = ArgumentName(argument);
            var replace = equivalenceKey switch
            {
                UsePlannedTier => name == "Tier" ? tier : null,
                DropThinkingTier => name == "MaxTier" ? tier : null,
                _ => null,
            };

            if (replace is not null)
                editor.ReplaceNode(argument.Expression, SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(replace)).WithTriviaFrom(argument.Expression));
            else if (equivalenceKey is RemovePin or DropThinkingTier)
                editor.RemoveNode(argument, SyntaxRemoveOptions.KeepNoTrivia);
        }

        return editor.GetChangedDocument();
    }

    private static AttributeArgumentSyntax? Argument(SyntaxNode? root, Diagnostic diagnostic)
        => root?.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<AttributeArgumentSyntax>() is { NameEquals: not null } argument ? argument : null;

    private static string ArgumentName(AttributeArgumentSyntax argument) => argument.NameEquals!.Name.Identifier.ValueText;
}
