using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace RoutingSdk.Generators.Analyzers;

/// <summary>
/// Reports every RoutingSdk diagnostic, in the IDE as you type and in the build: the Parser's usage errors
/// (RSDK0001–RSDK0006) and the Planner's findings (RSDK1xxx, RSDK2xxx) per [RoutedTask] method, and the tier
/// catalog's problems (RSDK0007) on the [assembly: ModelTier] attributes, and task names two tasks share (RSDK0010) and
/// referenced tasks that cannot join this assembly's (RSDK0020) at the end of the compilation. It derives no rule of its own: the same
/// Parser and Planner feed the generator.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RoutedTaskAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DiagnosticDescriptors.All;

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        // Generated code is not analyzed. Every diagnostic is reported in the user's source (on the task method, its
        // attribute arguments, its types, the [assembly: ModelTier] attributes), so the driver need not check each one
        // for generated code: with GeneratedCodeAnalysisFlags.None it would, per diagnostic, bind the declarations
        // around it and look for [GeneratedCode], which the partial methods carry from their generated bodies; that
        // check was 40% of this analyzer's time on a project with 1,000 tasks and 200 diagnostics.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            // Read once per compilation (the catalog when a task first needs it), not per method.
            var planning = PlanningContext.Create(start.Compilation, start.Options, start.CancellationToken);
            if (planning is null) return;
            start.RegisterSymbolAction(c => RoutedTaskAnalysis.Analyze(c, planning), SymbolKind.NamedType);
            // RSDK0010, RSDK0020: task names are unique across the compilation (and its references), so duplicates are known
            // once every type was seen.
            start.RegisterCompilationEndAction(end =>
            {
                foreach (var diagnostic in planning.DuplicateTaskNames().Concat(ReferencedTasksAnalysis.Analyze(end.Compilation, planning, end.CancellationToken)))
                {
                    if (diagnostic.Location.SourceTree is { } tree && GeneratedSource.IsGenerated(tree, end.Options, end.CancellationToken)) continue;
                    end.ReportDiagnostic(diagnostic);
                }
            });
            if (planning.CalibrationProblems.Count > 0)
                start.RegisterAdditionalFileAction(c => CalibrationFileAnalysis.Analyze(c, planning));
            // The catalog is read when first needed (see PlanningContext), so whether it has problems is not known here: the
            // action looks at the [assembly: ...] attributes of the source only, which the compiler has bound by then.
            start.RegisterSyntaxNodeAction(c => TierCatalogAnalysis.Analyze(c, planning), SyntaxKind.Attribute);
        });
    }
}
