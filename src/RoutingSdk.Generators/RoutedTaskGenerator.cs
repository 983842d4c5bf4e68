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
/// registration (which also take in the routed tasks of referenced assemblies): Parser -> equatable model -> Planner -> Emitter. It reports no diagnostic: a task with a usage error
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
                static (ctx, _) => ctx.Attributes.Select(Parser.ParseDeclaredTier).ToEquatableArray())
            .WithTrackingName(TrackingNames.TierAttributes)
            .Collect()
            .Select(static (declared, _) => CatalogModel.Build(declared.SelectMany(d => d).ToArray()))
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
        // findings from the same Parser and Planner); the generator only skips what it cannot emit, and nothing in its
        // pipeline holds a symbol, a syntax node, a location or a diagnostic.
        // A task name two tasks would share (RSDK0010) routes neither: each gets a body that throws, and no plan.
        var all = planned.Collect().WithTrackingName(TrackingNames.AllPlanned)
            .Select(static (tasks, ct) => TaskNames.MarkDuplicates(tasks, ct));

        // One output per containing type: a type whose tasks did not change keeps its file cached. The Collect above is
        // for what spans every task: the unique routing-table member names, the table, the registration, the report.
        var arranged = all
            .Select(static (tasks, ct) => Emitter.Arrange(tasks, ct))
            .WithTrackingName(TrackingNames.Arranged);
        var types = arranged
            .SelectMany(static (tasks, ct) => Emitter.GroupByType(tasks, ct))
            .WithTrackingName(TrackingNames.Types);
        context.RegisterSourceOutput(types, static (spc, type) => spc.AddSource(type.HintName, Emitter.EmitType(type)));
        var assembly = arranged
            .Select(static (tasks, ct) => Emitter.Assemble(tasks, ct))
            .WithTrackingName(TrackingNames.Assembly);

        // The routed tasks of referenced assemblies (libraries of the solution, packages), read from their assembly
        // attributes: the registration and the table call theirs, the cost report lists them. The compilation changes on
        // every edit; the value read from it changes only when the references do.
        var references = context.CompilationProvider
            .Select(static (compilation, ct) => ReferencedTasksReader.Read(compilation, ct))
            .WithTrackingName(TrackingNames.References);
        context.RegisterSourceOutput(assembly.Combine(references), static (spc, pair) => Emitter.EmitAssembly(spc, pair.Left, pair.Right));
        CostReportOutput.Register(context, all, references);
    }
}
