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
/// registration: Parser -> equatable model -> Planner -> Emitter.
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
                static (ctx, _) => ctx.Attributes.Select(a => new DeclaredTier(Parser.ParseTier(a), LocationInfo.From(a.ApplicationSyntaxReference?.GetSyntax()))).ToEquatableArray())
            .WithTrackingName(TrackingNames.TierAttributes)
            .Collect()
            .Select(static (declared, _) => BuildCatalog(declared))
            .WithTrackingName(TrackingNames.Catalog);

        var planned = tasks
            .Combine(catalog)
            .Select(static (pair, ct) => Plan(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Planned);

        context.RegisterSourceOutput(catalog, static (spc, model) =>
        {
            foreach (var diagnostic in model.Diagnostics) spc.ReportDiagnostic(diagnostic.ToDiagnostic());
        });

        context.RegisterSourceOutput(planned, static (spc, task) =>
        {
            foreach (var diagnostic in task.Diagnostics) spc.ReportDiagnostic(diagnostic.ToDiagnostic());
        });

        var all = planned.Collect().WithTrackingName(TrackingNames.AllPlanned);
        context.RegisterSourceOutput(all, static (spc, tasks) => Emitter.Emit(spc, tasks));
        CostReportOutput.Register(context, all);
    }

    private static CatalogModel BuildCatalog(ImmutableArray<EquatableArray<DeclaredTier>> declared)
    {
        var tiers = declared.SelectMany(d => d).Distinct().ToArray();
        if (tiers.Length == 0) return CatalogModel.BuiltIn;

        var location = tiers.Select(t => t.Location).FirstOrDefault(l => l is not null);
        var diagnostics = new List<DiagnosticInfo>();
        foreach (var tier in tiers.Where(t => t.Tier is null))
            diagnostics.Add(new DiagnosticInfo("RSDK0007", tier.Location, "a [ModelTier] attribute needs a tier name"));

        var catalog = new TierCatalog(tiers.Where(t => t.Tier is not null).Select(t => t.Tier!));
        foreach (var problem in catalog.Validate())
            diagnostics.Add(new DiagnosticInfo("RSDK0007", location, "the tier catalog is invalid: " + problem));

        return new CatalogModel(true, catalog.Tiers.ToEquatableArray(), diagnostics.ToEquatableArray());
    }

    private static PlannedTask Plan(TaskModel task, CatalogModel catalog)
    {
        var diagnostics = new List<DiagnosticInfo>(task.Diagnostics);
        TaskPlan? plan = null;
        if (catalog.Diagnostics.Count == 0)
        {
            plan = Planner.Plan(task.Spec, catalog.ToCatalog());
            foreach (var finding in plan.Findings)
            {
                var location = task.Targets.FirstOrDefault(t => t.Target == finding.Target)?.Location
                    ?? task.Targets.FirstOrDefault(t => t.Target == FindingTarget.Tier)?.Location
                    ?? task.MethodLocation;
                diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.For(finding.Kind).Id, location, finding.Message));
            }
        }

        return new PlannedTask(task, plan, catalog, diagnostics.ToEquatableArray());
    }

    /// <summary>One [assembly: ModelTier] as read, with where it was written.</summary>
    internal sealed record DeclaredTier(TierSpec? Tier, LocationInfo? Location);
}
