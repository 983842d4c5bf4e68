using System.Collections.Generic;
using RoutingSdk.Generators.Model;
using RoutingSdk.Planning;

namespace RoutingSdk.Generators;

/// <summary>
/// Every diagnostic about one task: the Parser's usage errors, then the Planner's findings placed on the argument
/// they concern. The generator uses the list to skip erroneous tasks; the analyzer reports it.
/// </summary>
internal static class TaskDiagnostics
{
    public static EquatableArray<DiagnosticInfo> Collect(TaskModel task, TaskPlan? plan)
    {
        if (plan is null || plan.Findings.Count == 0) return task.Diagnostics;
        var diagnostics = new List<DiagnosticInfo>(task.Diagnostics);
        foreach (var finding in plan.Findings)
        {
            // A justified task has accepted its pin or its thinking tier deliberately.
            if (task.Justification is not null && DiagnosticDescriptors.IsJustifiable(finding.Kind)) continue;
            var properties = finding.SuggestedTier is null
                ? default
                : new EquatableArray<DiagnosticProperty>(new[] { new DiagnosticProperty(DiagnosticDescriptors.SuggestedTierProperty, finding.SuggestedTier) });
            diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.For(finding.Kind).Id, task.LocationOf(finding.Target), finding.Message, properties));
        }

        return diagnostics.ToEquatableArray();
    }
}
