using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using RoutingSdk.Generators.Model;

namespace RoutingSdk.Generators.Analyzers;

/// <summary>
/// What the analyzer works out once per compilation, before any method is looked at: the attribute types and the
/// tier catalog and the calibration read from the <c>routing.calibration.json</c> AdditionalFiles. This is the one place
/// where planning inputs that are not on the method are gathered; <see cref="Plan"/> hands them to the Planner.
/// </summary>
internal sealed class PlanningContext
{
    private PlanningContext(INamedTypeSymbol routedTaskAttribute, CatalogModel catalog, CalibrationModel calibration)
    {
        RoutedTaskAttribute = routedTaskAttribute;
        Catalog = catalog;
        Calibration = calibration;
    }

    /// <summary>The <c>RoutingSdk.RoutedTaskAttribute</c> type of this compilation.</summary>
    public INamedTypeSymbol RoutedTaskAttribute { get; }

    /// <summary>The assembly's tier catalog, with its RSDK0007 problems.</summary>
    public CatalogModel Catalog { get; }

    /// <summary>The project's calibration files, merged, with their RSDK0008 problems.</summary>
    public CalibrationModel Calibration { get; }

    /// <summary>The context of a compilation, or null when it does not reference RoutingSdk (nothing to analyze).</summary>
    public static PlanningContext? Create(Compilation compilation, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        var routedTask = compilation.GetTypeByMetadataName(Parser.RoutedTaskAttribute);
        if (routedTask is null) return null;

        var modelTier = compilation.GetTypeByMetadataName(Parser.ModelTierAttribute);
        var declared = modelTier is null
            ? Enumerable.Empty<DeclaredTier>()
            : compilation.Assembly.GetAttributes()
                .Where(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, modelTier))
                .Select(a => Parser.ParseDeclaredTier(a, cancellationToken))
                .ToArray();
        var calibration = CalibrationModel.Combine(options.AdditionalFiles
            .Where(f => CalibrationModel.IsCalibrationFile(f.Path))
            .Select(f => (f.Path, CalibrationModel.Read(f, cancellationToken))));
        return new PlanningContext(routedTask, CatalogModel.Build(declared), calibration);
    }

    /// <summary>Plans a task on this compilation's catalog and collects every diagnostic about it.</summary>
    public PlannedTask Plan(TaskModel task) => PlannedTask.Create(task, Catalog, Calibration);
}
