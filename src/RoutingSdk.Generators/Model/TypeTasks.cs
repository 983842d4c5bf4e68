namespace RoutingSdk.Generators.Model;

/// <summary>
/// The routed tasks of one containing type, in emit order: what one <c>&lt;Type&gt;.RoutedTasks.g.cs</c> is written
/// from. Each type is a value of its own in the pipeline, so a change to one type's tasks re-emits that type's file only.
/// </summary>
/// <param name="HintName">The file's hint name, stable per type (<c>Demo.SupportDesk.RoutedTasks.g.cs</c>).</param>
/// <param name="Tasks">The type's tasks, with the routing-table member each routable one calls.</param>
internal sealed record TypeTasks(string HintName, EquatableArray<TypeTask> Tasks);

/// <summary>A task of a type's file, and the routing-table member its body calls (null: it is not routable and its body throws).</summary>
internal sealed record TypeTask(PlannedTask Planned, string? Member);

/// <summary>
/// Every task of the assembly in emit order (type, method name, parameter types), with each one's containing-type key and
/// routing-table member (empty: it is not routable): what the type files and the assembly's files are arranged from.
/// </summary>
internal sealed record ArrangedTasks(EquatableArray<PlannedTask> Ordered, EquatableArray<string> TypeKeys, EquatableArray<string> Members)
{
    public static readonly ArrangedTasks Empty = new(EquatableArray<PlannedTask>.Empty, EquatableArray<string>.Empty, EquatableArray<string>.Empty);
}
