using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace RoutingSdk.Generators.Model;

/// <summary>Where a diagnostic goes, as plain values (a <see cref="Location"/> must not cross pipeline steps).</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(SyntaxNode? node) => node is null ? null : From(node.GetLocation());

    public static LocationInfo? From(SyntaxToken token) => From(token.GetLocation());

    public static LocationInfo? From(Location location)
        => location.SourceTree is null ? null : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
}

/// <summary>A diagnostic as plain values: the descriptor's ID, where, and the message argument.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, string Message)
{
    public Diagnostic ToDiagnostic()
        => Diagnostic.Create(DiagnosticDescriptors.ById(Id), Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None, Message);
}
