using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using RoutingSdk.Generators.Model;

namespace RoutingSdk.Generators.Analyzers;

/// <summary>
/// What the analyzer works out once per compilation: the attribute types, the tier catalog and the calibration read
/// from the <c>routing.calibration.json</c> AdditionalFiles, with their problems as diagnostics. This is the one place
/// where planning inputs that are not on the method are gathered; <see cref="Plan"/> hands them to the Planner.
/// </summary>
/// <remarks>
/// Created at compilation start, it asks the compilation for nothing that needs its source: the attribute type comes
/// from the referenced RoutingSdk assembly and the calibration from the AdditionalFiles' text. The catalog needs the
/// source's <c>[assembly: ModelTier]</c> attributes, so it is read when a task is first analyzed: by then the compiler has
/// parsed every tree and bound the assembly's attributes for its own use, where reading it at compilation start would
/// make the analyzer parse the generated trees and build the declaration table for the compiler (docs/performance.md).
/// </remarks>
internal sealed class PlanningContext
{
    private readonly Lazy<(CatalogModel Catalog, IReadOnlyList<Diagnostic> Problems)> _catalog;

    private PlanningContext(INamedTypeSymbol routedTaskAttribute, Func<(CatalogModel, IReadOnlyList<Diagnostic>)> catalog,
        CalibrationModel calibration, IReadOnlyList<Diagnostic> calibrationProblems)
    {
        RoutedTaskAttribute = routedTaskAttribute;
        _catalog = new Lazy<(CatalogModel, IReadOnlyList<Diagnostic>)>(catalog, LazyThreadSafetyMode.ExecutionAndPublication);
        Calibration = calibration;
        CalibrationProblems = calibrationProblems;
    }

    /// <summary>The <c>RoutingSdk.RoutedTaskAttribute</c> type of this compilation.</summary>
    public INamedTypeSymbol RoutedTaskAttribute { get; }

    /// <summary>The assembly's tier catalog.</summary>
    public CatalogModel Catalog => _catalog.Value.Catalog;

    /// <summary>RSDK0007: the catalog's problems, each on the [assembly: ModelTier] attribute it was found at.</summary>
    public IReadOnlyList<Diagnostic> CatalogProblems => _catalog.Value.Problems;

    /// <summary>The project's calibration files, merged.</summary>
    public CalibrationModel Calibration { get; }

    /// <summary>RSDK0008: the calibration files' problems, each at its line and column.</summary>
    public IReadOnlyList<Diagnostic> CalibrationProblems { get; }

    /// <summary>The context of a compilation, or null when it does not reference RoutingSdk (nothing to analyze).</summary>
    public static PlanningContext? Create(Compilation compilation, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        if (RuntimeType(compilation, Parser.RoutedTaskAttribute) is not { } routedTask) return null;

        var calibrationProblems = new List<Diagnostic>();
        var calibration = CalibrationModel.Combine(options.AdditionalFiles
            .Where(f => CalibrationModel.IsCalibrationFile(f.Path))
            .Select(f => (f.Path, CalibrationModel.Read(f, cancellationToken, calibrationProblems)))
            .ToArray(), calibrationProblems);
        return new PlanningContext(routedTask, () => ReadCatalog(compilation, cancellationToken), calibration, calibrationProblems);
    }

    /// <summary>A type of the referenced RoutingSdk assembly, found without looking at the compilation's own source.</summary>
    private static INamedTypeSymbol? RuntimeType(Compilation compilation, string metadataName)
    {
        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            if (assembly.Identity.Name == ReferencedTasksReader.RuntimeAssembly && assembly.GetTypeByMetadataName(metadataName) is { } type) return type;
        }

        return null;
    }

    private static (CatalogModel, IReadOnlyList<Diagnostic>) ReadCatalog(Compilation compilation, CancellationToken cancellationToken)
    {
        var modelTier = RuntimeType(compilation, Parser.ModelTierAttribute);
        var attributes = modelTier is null
            ? new AttributeData[0]
            : compilation.Assembly.GetAttributes().Where(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, modelTier)).ToArray();
        var problems = new List<CatalogProblem>();
        var catalog = CatalogModel.Build(attributes.Select(Parser.ParseDeclaredTier).ToArray(), problems);
        var catalogProblems = problems
            .Select(p => Diagnostic.Create(p.Descriptor,
                attributes[p.Index].ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? Location.None,
                p.Argument is null ? new object[0] : new object[] { p.Argument }))
            .ToArray();
        return (catalog, catalogProblems);
    }

    /// <summary>Every task's name with where the task is declared, gathered as the types are analyzed (RSDK0010).</summary>
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(Location Location, string Type)>> _taskNames = new(StringComparer.Ordinal);

    /// <summary>Records a task's name (<c>Type.Method</c>) for <see cref="DuplicateTaskNames"/>.</summary>
    public void AddTaskName(string taskName, Location location, string type)
        => _taskNames.GetOrAdd(taskName, static _ => new ConcurrentQueue<(Location, string)>()).Enqueue((location, type));

    /// <summary>RSDK0010 on every task whose name another task of the compilation has too; call once every type was analyzed.</summary>
    public IEnumerable<Diagnostic> DuplicateTaskNames()
    {
        foreach (var pair in _taskNames)
        {
            var tasks = pair.Value.ToArray();
            if (tasks.Length < 2) continue;
            foreach (var (location, type) in tasks)
                yield return Diagnostic.Create(DiagnosticDescriptors.DuplicateTaskName, location, pair.Key, tasks.Length - 1, type);
        }
    }

    /// <summary>Every task name of this compilation with where its tasks are declared, once every type was analyzed.</summary>
    public IEnumerable<(string TaskName, Location[] Locations)> TaskNames()
        => _taskNames.Select(pair => (pair.Key, pair.Value.Select(t => t.Location).ToArray()));

    /// <summary>Plans a task on this compilation's catalog.</summary>
    public PlannedTask Plan(TaskModel task) => PlannedTask.Create(task, Catalog, Calibration);
}
