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
/// What the analyzer works out once per compilation, before any method is looked at: the attribute types and the
/// tier catalog and the calibration read from the <c>routing.calibration.json</c> AdditionalFiles, with their problems
/// as diagnostics. This is the one place where planning inputs that are not on the method are gathered;
/// <see cref="Plan"/> hands them to the Planner.
/// </summary>
internal sealed class PlanningContext
{
    private PlanningContext(INamedTypeSymbol routedTaskAttribute, CatalogModel catalog, IReadOnlyList<Diagnostic> catalogProblems,
        CalibrationModel calibration, IReadOnlyList<Diagnostic> calibrationProblems)
    {
        RoutedTaskAttribute = routedTaskAttribute;
        Catalog = catalog;
        CatalogProblems = catalogProblems;
        Calibration = calibration;
        CalibrationProblems = calibrationProblems;
    }

    /// <summary>The <c>RoutingSdk.RoutedTaskAttribute</c> type of this compilation.</summary>
    public INamedTypeSymbol RoutedTaskAttribute { get; }

    /// <summary>The assembly's tier catalog.</summary>
    public CatalogModel Catalog { get; }

    /// <summary>RSDK0007: the catalog's problems, each on the [assembly: ModelTier] attribute it was found at.</summary>
    public IReadOnlyList<Diagnostic> CatalogProblems { get; }

    /// <summary>The project's calibration files, merged.</summary>
    public CalibrationModel Calibration { get; }

    /// <summary>RSDK0008: the calibration files' problems, each at its line and column.</summary>
    public IReadOnlyList<Diagnostic> CalibrationProblems { get; }

    /// <summary>The context of a compilation, or null when it does not reference RoutingSdk (nothing to analyze).</summary>
    public static PlanningContext? Create(Compilation compilation, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        var routedTask = compilation.GetTypeByMetadataName(Parser.RoutedTaskAttribute);
        if (routedTask is null) return null;

        var modelTier = compilation.GetTypeByMetadataName(Parser.ModelTierAttribute);
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

        var calibrationProblems = new List<Diagnostic>();
        var calibration = CalibrationModel.Combine(options.AdditionalFiles
            .Where(f => CalibrationModel.IsCalibrationFile(f.Path))
            .Select(f => (f.Path, CalibrationModel.Read(f, cancellationToken, calibrationProblems)))
            .ToArray(), calibrationProblems);
        return new PlanningContext(routedTask, catalog, catalogProblems, calibration, calibrationProblems);
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
