using System;
using System.ComponentModel;

namespace RoutingSdk;

/// <summary>
/// Written by the generator into every assembly that declares routed tasks: names the assembly's public registration
/// type, whose <c>Register(IServiceCollection)</c> registers the assembly's task classes and whose <c>Plans</c> lists
/// their plans. The generator of an application reads it from the assemblies the application references, so that the
/// application's one <c>AddRoutedTasks()</c> registers the tasks of every library and <c>RoutingTable.All</c> lists
/// their plans. Not for use in code.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false, Inherited = false)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RoutedTasksAssemblyAttribute : Attribute
{
    /// <summary>Names the registration type of the assembly.</summary>
    public RoutedTasksAssemblyAttribute(Type registration) => Registration = registration;

    /// <summary>The generated registration type.</summary>
    public Type Registration { get; }
}
