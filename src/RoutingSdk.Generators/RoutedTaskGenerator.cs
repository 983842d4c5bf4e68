using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RoutingSdk.Generators.Model;
using RoutingSdk.Planning;

namespace RoutingSdk.Generators;

/// <summary>
/// Plans every [RoutedTask] method onto a model tier and writes its body, the routing table and the DI
/// registration: Parser -> equatable model -> Planner -> Emitter. It reports no diagnostic: a task with a usage error
/// is skipped (or given a body that throws), and <see cref="Analyzers.RoutedTaskAnalyzer"/> reports why.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class RoutedTaskGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var tasks = context.SyntaxProvider
            .ForAttributeWithMetadataName(Parser.RoutedTaskAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, ct) => Parser.ParseTask(ctx, ct))
            .Where(static t => t is not null)
            .Select(static (t, _) => t!)
            .WithTrackingName(TrackingNames.Tasks);

        var catalog = context.SyntaxProvider
            .ForAttributeWithMetadataName(Parser.ModelTierAttribute,
                static (node, _) => node is CompilationUnitSyntax,
                static (ctx, ct) => ctx.Attributes.Select(a => Parser.ParseDeclaredTier(a, ct)).ToEquatableArray())
            .WithTrackingName(TrackingNames.TierAttributes)
            .Collect()
            .Select(static (declared, _) => CatalogModel.Build(declared.SelectMany(d => d)))
            .WithTrackingName(TrackingNames.Catalog);

        // Measured figures: every routing.calibration.json the project lists as an AdditionalFiles item.
        var calibrationFiles = context.AdditionalTextsProvider
            .Where(static file => CalibrationModel.IsCalibrationFile(file.Path))
            .Select(static (file, ct) => (file.Path, Model: CalibrationModel.Read(file, ct)))
            .Collect();
        var calibration = calibrationFiles
            .Select(static (files, _) => CalibrationModel.Combine(files))
            .WithTrackingName(TrackingNames.Calibration);

        var planned = tasks
            .Combine(catalog)
            .Combine(calibration)
            .Select(static (pair, _) => PlannedTask.Create(pair.Left.Left, pair.Left.Right, pair.Right))
            .WithTrackingName(TrackingNames.Planned);

        // Diagnostics are the analyzer's job (RoutedTaskAnalyzer reports usage errors, catalog problems and Planner
        // findings from the same Parser and Planner); the generator only skips what it cannot emit.
        var all = planned.Collect().WithTrackingName(TrackingNames.AllPlanned);
        context.RegisterSourceOutput(all, static (spc, tasks) => Emitter.Emit(spc, tasks));
        CostReportOutput.Register(context, all);
    }
}
