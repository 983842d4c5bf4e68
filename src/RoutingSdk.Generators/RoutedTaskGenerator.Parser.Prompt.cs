using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RoutingSdk.Generators.Model;
using RoutingSdk.Planning;

namespace RoutingSdk.Generators;

// A task's `Prompt` template: its literal parts and placeholders, each placeholder checked against the parameters (RSDK0004).
internal static partial class Parser
{
    private static List<PromptPart> ReadPrompt(string? prompt, IMethodSymbol method, List<ParameterInfo> parameters, AttributeSyntax? attributeSyntax, UsageErrorSink errors)
    {
        var parts = new List<PromptPart>();
        var inputs = parameters.Where(p => !p.IsCancellationToken).ToArray();
        if (prompt is null)
        {
            // No template: the prompt is the single input itself, or one "name: value" line per input.
            if (inputs.Length == 1)
            {
                parts.Add(new PromptPart(inputs[0].Name, true));
                return parts;
            }

            for (var i = 0; i < inputs.Length; i++)
            {
                parts.Add(new PromptPart((i == 0 ? "" : "\n") + inputs[i].Name.TrimStart('@') + ": ", false));
                parts.Add(new PromptPart(inputs[i].Name, true));
            }

            return parts;
        }

        var promptArgument = attributeSyntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Prompt");
        var template = PromptTemplate.Parse(prompt);
        foreach (var error in template.Errors)
        {
            errors.Add(DiagnosticDescriptors.MalformedPrompt, promptArgument?.Expression.GetLocation(), method.Name, error);
        }

        foreach (var segment in template.Segments)
        {
            if (!segment.IsPlaceholder)
            {
                parts.Add(new PromptPart(segment.Text, false));
                continue;
            }

            // "{class}" and "{@class}" both name the parameter declared as '@class'.
            var parameter = Parameter(method, segment.Text.TrimStart('@'));
            if (parameter is null)
            {
                if (segment.Text.Length == 0) continue;
                var names = inputs.Select(p => p.Name.TrimStart('@')).ToArray();
                var candidates = string.Join(", ", names.Select(n => "'" + n + "'"));
                var closest = EditDistance.Closest(segment.Text.TrimStart('@'), names);
                var location = errors.WantsDiagnostics ? PlaceholderLocation(promptArgument, segment.Text) : null;
                if (closest is null)
                    errors.Add(DiagnosticDescriptors.UnknownPlaceholderNoMatch, location, segment.Text, method.Name, candidates.Length == 0 ? "none" : candidates);
                else
                    errors.AddWithProperties(DiagnosticDescriptors.UnknownPlaceholder, location, Properties(ClosestParameterProperty, closest),
                        segment.Text, method.Name, candidates.Length == 0 ? "none" : candidates, closest);
                continue;
            }

            if (IsType(parameter.Type, "CancellationToken", "Threading", "System"))
            {
                // The caller's token is not an input: "{ct}" would send "System.Threading.CancellationToken" to the model.
                var names = string.Join(", ", inputs.Select(p => "'" + p.Name.TrimStart('@') + "'"));
                errors.Add(DiagnosticDescriptors.CancellationTokenPlaceholder, errors.WantsDiagnostics ? PlaceholderLocation(promptArgument, segment.Text) : null,
                    segment.Text, method.Name, names.Length == 0 ? "none" : names);
                continue;
            }

            parts.Add(new PromptPart(EscapeIdentifier(parameter.Name), true));
        }

        return parts;
    }

    private static IParameterSymbol? Parameter(IMethodSymbol method, string name)
    {
        foreach (var parameter in method.Parameters)
        {
            if (parameter.Name == name) return parameter;
        }

        return null;
    }

    /// <summary>The placeholder inside the string literal when it can be found there, else the whole argument.</summary>
    private static Location? PlaceholderLocation(AttributeArgumentSyntax? argument, string name)
    {
        if (argument?.Expression is LiteralExpressionSyntax literal)
        {
            var token = literal.Token;
            var index = token.Text.IndexOf("{" + name + "}", StringComparison.Ordinal);
            if (index >= 0)
            {
                return Location.Create(literal.SyntaxTree, new Microsoft.CodeAnalysis.Text.TextSpan(token.SpanStart + index, name.Length + 2));
            }
        }

        return argument?.Expression.GetLocation();
    }
}
