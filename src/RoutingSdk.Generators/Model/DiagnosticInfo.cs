using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace RoutingSdk.Generators.Model;

/// <summary>Where a diagnostic goes, as plain values (a <see cref="Location"/> must not cross pipeline steps).</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    /// <summary>The location in <paramref name="tree"/> when it is this file, else in the compilation's tree of this path, else none.</summary>
    public Location ToLocation(SyntaxTree tree, Compilation compilation)
    {
        if (tree.FilePath == FilePath) return Location.Create(tree, Span);
        foreach (var other in compilation.SyntaxTrees)
        {
            if (other.FilePath == FilePath) return Location.Create(other, Span);
        }

        return Location.None;
    }

    public static LocationInfo? From(SyntaxNode? node) => node is null ? null : From(node.GetLocation());

    public static LocationInfo? From(SyntaxToken token) => From(token.GetLocation());

    public static LocationInfo? From(Location location)
        => location.SourceTree is null ? null : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
}

/// <summary>One entry of a diagnostic's properties (what a code fix needs, such as the planned tier).</summary>
internal sealed record DiagnosticProperty(string Key, string Value);

/// <summary>A diagnostic as plain values: the descriptor's ID, where, the message argument and the properties for code fixes.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, string Message, EquatableArray<DiagnosticProperty> Properties = default)
{
    /// <summary>The diagnostic at <paramref name="location"/> (a location in a syntax tree of the compilation, so that #pragma and suppressions apply).</summary>
    public Diagnostic ToDiagnostic(Location location)
        => Diagnostic.Create(DiagnosticDescriptors.ById(Id), location,
            Properties.Count == 0 ? null : Properties.ToImmutableDictionary(p => p.Key, p => (string?)p.Value), Message);
}
