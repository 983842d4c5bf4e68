using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace RoutingSdk.Generators.Analyzers;

/// <summary>
/// RSDK0020, at the end of the compilation: what keeps the routed tasks of referenced assemblies from joining this
/// assembly's as they are. A task name declared in two assemblies (this one and a library, or two libraries) would merge
/// two tasks in the ledger and the budgets; a library built with a RoutingSdk version that does not publish its tasks
/// is left out of <c>AddRoutedTasks()</c> and <c>RoutingTable.All</c>, and so is one whose registration attribute this
/// version cannot use (a registration type without <c>Plans</c> and <c>Register</c>, a plans text in another format).
/// The referenced tasks are read as the generator reads them (<see cref="ReferencedTasksReader"/>).
/// </summary>
internal static class ReferencedTasksAnalysis
{
    public static IEnumerable<Diagnostic> Analyze(Compilation compilation, PlanningContext planning, System.Threading.CancellationToken cancellationToken)
    {
        var referenced = ReferencedTasksReader.Read(compilation, cancellationToken);
        var declaredIn = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var assembly in referenced.Assemblies)
        {
            foreach (var plan in assembly.Plans)
            {
                if (!declaredIn.TryGetValue(plan.TaskName, out var assemblies)) declaredIn[plan.TaskName] = assemblies = new List<string>();
                if (!assemblies.Contains(assembly.Name)) assemblies.Add(assembly.Name);
            }
        }

        var own = planning.TaskNames().ToDictionary(t => t.TaskName, t => t.Locations, StringComparer.Ordinal);
        foreach (var pair in declaredIn.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (own.TryGetValue(pair.Key, out var locations))
            {
                var where = "this assembly and " + Names(pair.Value);
                foreach (var location in locations) yield return Diagnostic.Create(DiagnosticDescriptors.SharedTaskName, location, pair.Key, where);
            }
            else if (pair.Value.Count > 1)
            {
                yield return Diagnostic.Create(DiagnosticDescriptors.SharedTaskName, Location.None, pair.Key, Names(pair.Value));
            }
        }

        foreach (var (name, problem) in ReferencedTasksReader.Unpublished(compilation, cancellationToken))
        {
            yield return problem is null
                ? Diagnostic.Create(DiagnosticDescriptors.UnpublishedTasks, Location.None, name)
                : Diagnostic.Create(DiagnosticDescriptors.MalformedPublishedTasks, Location.None, name, problem);
        }
    }

    private static string Names(List<string> assemblies) => string.Join(" and ", assemblies.Select(a => "'" + a + "'"));
}
