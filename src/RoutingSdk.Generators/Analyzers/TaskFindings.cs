using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RoutingSdk.Generators.Model;
using RoutingSdk.Planning;

namespace RoutingSdk.Generators.Analyzers;

/// <summary>
/// The Planner's findings about one task as diagnostics, each placed on the attribute argument it concerns: the
/// argument itself, else the Tier argument, else the method's name. A task whose Justification is set has accepted
/// its pin or its thinking tier deliberately: those findings are left out.
/// </summary>
internal static class TaskFindings
{
    public static void Add(List<Diagnostic> diagnostics, TaskModel task, TaskPlan? plan, MethodDeclarationSyntax method, AttributeSyntax? attribute)
    {
        if (plan is null || plan.Findings.Count == 0) return;
        foreach (var finding in plan.Findings)
        {
            if (task.Justification is not null && DiagnosticDescriptors.IsJustifiable(finding.Kind)) continue;
            var properties = finding.SuggestedTier is null
                ? null
                : ImmutableDictionary<string, string?>.Empty.Add(DiagnosticDescriptors.SuggestedTierProperty, finding.SuggestedTier);
            diagnostics.Add(DiagnosticDescriptors.Create(finding, LocationOf(finding.Target, method, attribute), properties));
        }
    }

    private static Location LocationOf(FindingTarget target, MethodDeclarationSyntax method, AttributeSyntax? attribute)
    {
        AttributeArgumentSyntax? tier = null;
        if (attribute?.ArgumentList is { } list)
        {
            foreach (var argument in list.Arguments)
            {
                var name = argument.NameEquals?.Name.Identifier.ValueText;
                if (name is null || !Enum.TryParse<FindingTarget>(name, out var named) || named == FindingTarget.Method) continue;
                if (named == target) return argument.GetLocation();
                if (named == FindingTarget.Tier) tier = argument;
            }
        }

        return tier?.GetLocation() ?? method.Identifier.GetLocation();
    }
}
