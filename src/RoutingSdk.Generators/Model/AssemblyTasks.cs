using RoutingSdk.Planning;

namespace RoutingSdk.Generators.Model;

/// <summary>
/// What the routing table and the DI registration are written from: the plans of the routable tasks and the types to
/// register, and nothing of the tasks' bodies, so that an edit of a prompt or a parameter leaves both files cached.
/// </summary>
/// <param name="Catalog">The catalog the plans were made on.</param>
/// <param name="Plans">One entry per routable task, in emit order (empty: neither file is written).</param>
/// <param name="Registered">The types <c>AddRoutedTasks()</c> registers, as <c>global::</c> names, each once.</param>
internal sealed record AssemblyTasks(CatalogModel Catalog, EquatableArray<TableEntry> Plans, EquatableArray<string> Registered);

/// <summary>One plan of the routing table: the static member that holds it, the task's spec and its plan.</summary>
internal sealed record TableEntry(string Member, TaskSpec Spec, TaskPlan Plan);
