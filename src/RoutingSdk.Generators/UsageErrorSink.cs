using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using RoutingSdk.Generators.Model;

namespace RoutingSdk.Generators;

/// <summary>
/// Where the Parser puts the usage errors of one task. The generator needs only their IDs (a task with one gets a body
/// that throws and names them), so that is all it keeps; the analyzer passes a list and receives each error as a
/// diagnostic at the smallest syntax that is wrong. One Parser, so a rule of usage exists once.
/// </summary>
internal sealed class UsageErrorSink
{
    private readonly List<string> _ids = new();
    private readonly List<Diagnostic>? _diagnostics;

    /// <param name="diagnostics">The analyzer's list of diagnostics, or null (the generator).</param>
    public UsageErrorSink(List<Diagnostic>? diagnostics) => _diagnostics = diagnostics;

    /// <summary>Whether the diagnostics are wanted (their locations and message arguments need to be worked out).</summary>
    public bool WantsDiagnostics => _diagnostics is not null;

    /// <summary>Records an error: its ID always, the diagnostic when wanted.</summary>
    public void Add(DiagnosticDescriptor descriptor, Location? location, params object?[] arguments)
        => AddWithProperties(descriptor, location, null, arguments);

    /// <summary>Records an error with the properties a code fix reads.</summary>
    public void AddWithProperties(DiagnosticDescriptor descriptor, Location? location, ImmutableDictionary<string, string?>? properties, params object?[] arguments)
    {
        _ids.Add(descriptor.Id);
        _diagnostics?.Add(Diagnostic.Create(descriptor, location ?? Location.None, properties, arguments));
    }

    /// <summary>The IDs recorded, in order.</summary>
    public EquatableArray<string> Ids => _ids.ToEquatableArray();
}
