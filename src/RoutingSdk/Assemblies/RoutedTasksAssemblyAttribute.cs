using System;
using System.ComponentModel;

namespace RoutingSdk;

/// <summary>
/// Written by the generator into every assembly that declares routed tasks: names the assembly's public registration
/// type, whose <c>Register(IServiceCollection)</c> registers the assembly's task classes and whose <c>Plans</c> lists
/// their plans, and carries the plans' figures as text. The generator of an application reads it from the assemblies the
/// application references, so that the application's one <c>AddRoutedTasks()</c> registers the tasks of every library,
/// <c>RoutingTable.All</c> lists their plans, its cost report includes them and a task name is checked for uniqueness
/// over the application (the ledger and budgets key by it). Not for use in code.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false, Inherited = false)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RoutedTasksAssemblyAttribute : Attribute
{
    /// <summary>Names the registration type of the assembly and publishes its plans.</summary>
    public RoutedTasksAssemblyAttribute(Type registration, string plans)
    {
        Registration = registration;
        Plans = plans;
    }

    /// <summary>The generated registration type.</summary>
    public Type Registration { get; }

    /// <summary>
    /// The plans' figures, one line per routed task: the task name, the chain (tier names separated by commas), the
    /// quality threshold, the projected quality, and the projected and all-frontier USD per 1,000 calls, separated by
    /// spaces, numbers in the invariant culture, names percent-escaped as URI data. The plans themselves are in the
    /// registration type's <c>Plans</c>.
    /// </summary>
    public string Plans { get; }
}
