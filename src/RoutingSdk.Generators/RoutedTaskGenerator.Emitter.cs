using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using RoutingSdk.Generators.Model;
using RoutingSdk.Planning;

namespace RoutingSdk.Generators;

/// <summary>
/// Planned tasks become source: one file per containing type (<see cref="GroupByType"/>, then <see cref="EmitType"/>,
/// each type its own output), and the routing table and the DI registration, which span every task
/// (<see cref="EmitAssembly"/>).
/// </summary>
internal static partial class Emitter
{
    private static readonly string GeneratedCode = "[global::System.CodeDom.Compiler.GeneratedCode(\"RoutingSdk\", \"" + ThisAssembly.Version + "\")]";

    /// <summary>
    /// The tasks in emit order (type, method name, parameter types) and the routing-table member of each routable task,
    /// named after the task and unique over the assembly (so given here, where every task is seen). Computed once for
    /// the type files and the assembly's files.
    /// </summary>
    public static ArrangedTasks Arrange(ImmutableArray<PlannedTask> tasks, System.Threading.CancellationToken cancellationToken)
    {
        if (tasks.IsDefaultOrEmpty) return ArrangedTasks.Empty;
        // The input's index breaks ties (Array.Sort is not stable), so that the same tasks always come out in the same order.
        var keys = new (string Type, PlannedTask Task, int Index)[tasks.Length];
        for (var i = 0; i < tasks.Length; i++) keys[i] = (TypeKey(tasks[i].Task), tasks[i], i);
        System.Array.Sort(keys, static (a, b) =>
        {
            var c = string.CompareOrdinal(a.Type, b.Type);
            if (c == 0) c = string.CompareOrdinal(a.Task.Task.MethodName, b.Task.Task.MethodName);
            if (c == 0) c = CompareParameterTypes(a.Task.Task.Parameters, b.Task.Task.Parameters);
            return c != 0 ? c : a.Index.CompareTo(b.Index);
        });
        cancellationToken.ThrowIfCancellationRequested();

        var ordered = new PlannedTask[keys.Length];
        var typeKeys = new string[keys.Length];
        var members = new string[keys.Length];
        var used = new HashSet<string>(System.StringComparer.Ordinal) { "Catalog", "All", CombineMember };
        for (var i = 0; i < keys.Length; i++)
        {
            ordered[i] = keys[i].Task;
            typeKeys[i] = keys[i].Type;
            members[i] = "";
            if (!IsRoutable(ordered[i])) continue;
            var baseName = Sanitize(ordered[i].Task.Spec.TaskName);
            var name = baseName;
            for (var n = 2; !used.Add(name); n++) name = baseName + "_" + n.ToString(CultureInfo.InvariantCulture);
            members[i] = name;
        }

        return new ArrangedTasks(new EquatableArray<PlannedTask>(ordered), new EquatableArray<string>(typeKeys), new EquatableArray<string>(members));
    }

    /// <summary>
    /// The tasks of every containing type that has a task with a body to write, each type with its hint name and the
    /// routing-table member of each routable task.
    /// </summary>
    public static ImmutableArray<TypeTasks> GroupByType(ArrangedTasks arranged, System.Threading.CancellationToken cancellationToken)
    {
        var groups = ImmutableArray.CreateBuilder<TypeTasks>();
        var tasks = new List<TypeTask>();
        string? current = null;
        for (var i = 0; i <= arranged.Ordered.Count; i++)
        {
            if (i < arranged.Ordered.Count && !arranged.Ordered[i].Task.CanEmitBody) continue;
            var key = i < arranged.Ordered.Count ? arranged.TypeKeys[i] : null;
            if (key != current && tasks.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                groups.Add(new TypeTasks(HintName(current!) + ".RoutedTasks.g.cs", tasks.ToEquatableArray()));
                tasks.Clear();
            }

            if (key is null) break;
            current = key;
            var member = arranged.Members[i];
            tasks.Add(new TypeTask(arranged.Ordered[i], member.Length == 0 ? null : member));
        }

        return groups.ToImmutable();
    }

    /// <summary>
    /// What the routing table and the registration need of every task (<see cref="AssemblyTasks"/>): the plans of the
    /// routable tasks with their member names, the catalog, and the types to register.
    /// </summary>
    public static AssemblyTasks Assemble(ArrangedTasks arranged, System.Threading.CancellationToken cancellationToken)
    {
        var plans = new List<TableEntry>();
        var registered = new List<string>();
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        var catalog = CatalogModel.BuiltIn;
        for (var i = 0; i < arranged.Ordered.Count; i++)
        {
            var planned = arranged.Ordered[i];
            if (arranged.Members[i].Length > 0)
            {
                if (plans.Count == 0) catalog = planned.Catalog;
                plans.Add(new TableEntry(arranged.Members[i], planned.Task.Spec, planned.Plan!));
            }

            cancellationToken.ThrowIfCancellationRequested();
            var task = planned.Task;
            var types = task.ContainingTypes;
            var last = types[types.Count - 1];
            if (last.IsStatic || last.IsAbstract || last.Keyword is not ("class" or "record") || types.Any(t => !t.IsAccessible)) continue;
            var name = "global::" + (task.Namespace.Length == 0 ? "" : task.Namespace + ".")
                + string.Join(".", types.Select(t => Parser.EscapeIdentifier(t.Name) + OpenGeneric(t.TypeParameters)));
            if (seen.Add(name)) registered.Add(name);
        }

        return new AssemblyTasks(catalog, plans.ToEquatableArray(), registered.ToEquatableArray());
    }

    /// <summary>The fully qualified name of a task's containing type, for hint names and grouping.</summary>
    private static string TypeKey(TaskModel task)
    {
        var text = new StringBuilder(64);
        if (task.Namespace.Length > 0) text.Append(task.Namespace).Append('.');
        for (var i = 0; i < task.ContainingTypes.Count; i++)
        {
            if (i > 0) text.Append('.');
            text.Append(task.ContainingTypes[i].Name).Append(task.ContainingTypes[i].TypeParameters);
        }

        return text.ToString();
    }

    /// <summary>Overloads in the order of their parameter types' names, compared one by one.</summary>
    private static int CompareParameterTypes(EquatableArray<ParameterInfo> a, EquatableArray<ParameterInfo> b)
    {
        for (var i = 0; i < a.Count && i < b.Count; i++)
        {
            var c = string.CompareOrdinal(a[i].Type, b[i].Type);
            if (c != 0) return c;
        }

        return a.Count.CompareTo(b.Count);
    }

    /// <summary>Whether a task gets a routing table entry: it can have a body, has no usage error and was planned without errors.</summary>
    internal static bool IsRoutable(PlannedTask task)
        => task.Task.CanEmitBody && task.Task.IsValid && task.Plan is { HasErrors: false, Chain.Count: > 0 };

    /// <summary>The source of one containing type: the body of each of its tasks.</summary>
    public static string EmitType(TypeTasks type)
    {
        var tasks = type.Tasks;
        var first = tasks[0].Planned.Task;
        var w = Header(1024 + tasks.Count * 768);
        if (first.Namespace.Length > 0) w.Open("namespace " + first.Namespace);
        foreach (var containing in first.ContainingTypes)
        {
            w.Start().Append(containing.IsStatic ? "static partial " : "partial ").Append(containing.Keyword).Append(' ')
                .Append(Parser.EscapeIdentifier(containing.Name)).Append(containing.TypeParameters).EndOpen();
        }

        var firstMethod = true;
        foreach (var task in tasks)
        {
            if (!firstMethod) w.Line();
            firstMethod = false;
            EmitMethod(w, task.Planned, task.Member);
        }

        foreach (var _ in first.ContainingTypes) w.Close();
        if (first.Namespace.Length > 0) w.Close();
        return w.ToString();
    }

    private static void EmitMethod(IndentedWriter w, PlannedTask planned, string? member)
    {
        var task = planned.Task;
        w.Start().Append("/// <summary>Routed task <c>").Append(Xml(task.Spec.TaskName)).Append("</c>: ");
        Describe(w, planned.Plan, xml: true);
        w.End("</summary>");
        w.Line(GeneratedCode);
        w.Start();
        if (task.Modifiers.Length > 0) w.Append(task.Modifiers).Append(' ');
        w.Append("partial ").Append(task.ReturnType).Append(' ').Append(task.MethodName).Append('(');
        for (var i = 0; i < task.Parameters.Count; i++)
        {
            var p = task.Parameters[i];
            if (i > 0) w.Append(", ");
            w.Append(p.Modifier).Append(p.Type).Append(' ').Append(p.Name);
        }

        w.Append(')').EndOpen();
        if (member is null)
        {
            var ids = string.Join(", ", planned.ErrorIds());
            // The router is read as the routed body would read it: a primary-constructor parameter that only the bodies of
            // tasks with errors use must not raise a second error (CS9113, unread parameter) next to the task's own.
            if (task.RouterAccess is not null) w.Start().Append("_ = ").Append(task.RouterAccess).End(";");
            w.Start().Append("throw new global::System.InvalidOperationException(")
                .Literal($"Routed task '{task.Spec.TaskName}' was not generated because of {ids}; see the build's diagnostics.").End(");");
            w.Close();
            return;
        }

        // The names the body declares are chosen so that no parameter of the task has them (a parameter named 'prompt'
        // gets a local 'prompt2'): a clash would not compile (CS0136).
        var prompt = FreeName(PromptLocal, task.Parameters);
        w.Start().Append("var ").Append(prompt).Append(" = ");
        PromptExpression(w, task);
        w.End(";");
        string? cancellation = null;
        foreach (var p in task.Parameters)
        {
            if (p.IsCancellationToken) { cancellation = p.Name; break; }
        }

        // ValueTask tasks use the router's ValueTask entry point (no task allocated when the tier answers synchronously);
        // a validator is passed as a Func<TResult, double>. A nullable text result keeps the Task entry point: the text
        // parser never yields null, and Task<string> converts to the nullable result with '!'.
        var nullableText = task.ResultKind == ResultKind.Text && task.ResultType.EndsWith("?", System.StringComparison.Ordinal);
        var valueEntry = task.ReturnsValueTask && !nullableText;
        var wrap = task.ReturnsValueTask && !valueEntry;
        w.Start().Append("return ");
        if (wrap) w.Append("new global::System.Threading.Tasks.ValueTask<").Append(task.ResultType).Append(">(");
        w.Append(task.RouterAccess!).Append(valueEntry ? ".RouteValueAsync(" : ".RouteAsync(")
            .Append("global::RoutingSdk.Generated.RoutingTable.").Append(member).Append(", ").Append(prompt).Append(", ");
        if (task.Instructions is null) w.Append("null");
        else w.Literal(task.Instructions);
        w.Append(", ");
        switch (task.ResultKind)
        {
            case ResultKind.Text: w.Append("global::RoutingSdk.AnswerParsers.Text"); break;
            case ResultKind.Enum: w.Append("global::RoutingSdk.AnswerParsers.Enum<").Append(task.ResultType).Append(">()"); break;
            // TEnum? reads like TEnum (by member name), not as JSON; the parser's type argument is the enum itself.
            case ResultKind.NullableEnum: w.Append("global::RoutingSdk.AnswerParsers.NullableEnum<").Append(task.ResultType.TrimEnd('?')).Append(">()"); break;
            default: w.Append("global::RoutingSdk.AnswerParsers.Json<").Append(task.ResultType).Append(">()"); break;
        }

        if (task.Validator is { } validator)
        {
            var answer = FreeName(AnswerParameter, task.Parameters);
            w.Append(", ").Append(answer).Append(" => ").Append(validator.Target).Append('(').Append(answer).Append(')');
            if (validator.ReturnsBool) w.Append(" ? 1d : 0d");
        }
        else if (valueEntry)
        {
            w.Append(", null");
        }

        w.Append(", ").Append(cancellation ?? "default").Append(')');
        if (nullableText) w.Append('!');
        if (wrap) w.Append(')');
        w.End(";");
        w.Close();
    }

    /// <summary>The name of the local that holds the prompt, unless a parameter has it.</summary>
    internal const string PromptLocal = "prompt";

    /// <summary>The name of the validator lambda's parameter, unless a parameter of the task has it.</summary>
    internal const string AnswerParameter = "__answer";

    /// <summary><paramref name="preferred"/>, or the first of preferred2, preferred3, ... that no parameter is named.</summary>
    internal static string FreeName(string preferred, EquatableArray<ParameterInfo> parameters)
    {
        var name = preferred;
        for (var i = 2; IsParameterName(parameters, name); i++) name = preferred + i.ToString(CultureInfo.InvariantCulture);
        return name;
    }

    private static bool IsParameterName(EquatableArray<ParameterInfo> parameters, string name)
    {
        foreach (var p in parameters)
        {
            // A parameter '@class' is named 'class'. A half-typed declaration can have a parameter without a name.
            var parameter = p.Name;
            if (parameter == name) return true;
            if (parameter.Length == name.Length + 1 && parameter[0] == '@' && string.CompareOrdinal(parameter, 1, name, 0, name.Length) == 0) return true;
        }

        return false;
    }

    /// <summary>
    /// The prompt as a chain of <c>+</c> on strings (literals, string parameters, <c>PromptValue.Format</c> of the others):
    /// the compiler binds a string <c>+</c> as a built-in operator, where a <c>string.Concat</c> call makes it resolve the
    /// overloads of <c>string.Concat</c> (objects, strings, spans, params) once per task; it emits the same calls.
    /// </summary>
    private static void PromptExpression(IndentedWriter w, TaskModel task)
    {
        var prompt = task.Prompt;
        if (prompt.Count == 0)
        {
            w.Append("\"\"");
            return;
        }

        // A lone string parameter: null makes an empty prompt, as concatenation would.
        if (prompt.Count == 1 && prompt[0].IsParameter && IsStringParameter(task.Parameters, prompt[0].Text))
        {
            w.Append(prompt[0].Text).Append(" ?? \"\"");
            return;
        }

        for (var i = 0; i < prompt.Count; i++)
        {
            if (i > 0) w.Append(" + ");
            var part = prompt[i];
            if (!part.IsParameter) w.Literal(part.Text);
            else if (IsStringParameter(task.Parameters, part.Text)) w.Append(part.Text);
            // A dynamic argument would make the call, the prompt and the router call dynamic (where 'default' has no type, CS8716).
            else w.Append("global::RoutingSdk.PromptValue.Format(").Append(IsDynamicParameter(task.Parameters, part.Text) ? "(object?)" : "").Append(part.Text).Append(')');
        }
    }

    private static bool IsDynamicParameter(EquatableArray<ParameterInfo> parameters, string name)
    {
        foreach (var p in parameters)
        {
            if (p.Name == name) return p.Type == "dynamic";
        }

        return false;
    }

    private static bool IsStringParameter(EquatableArray<ParameterInfo> parameters, string name)
    {
        foreach (var p in parameters)
        {
            if (p.Name == name) return p.IsString;
        }

        return false; // The Parser takes prompt parts from the parameters, so this is not reached.
    }

    /// <summary>The plan in a sentence, for the task's documentation comment (XML-escaped when <paramref name="xml"/>).</summary>
    private static void Describe(IndentedWriter w, TaskPlan? plan, bool xml)
    {
        if (plan is null || plan.Chain.Count == 0)
        {
            w.Append("not planned (see the build's diagnostics).");
            return;
        }

        for (var i = 0; i < plan.Chain.Count; i++)
        {
            if (i > 0) w.Append(xml ? " -&gt; " : " -> ");
            w.Append(xml ? Xml(plan.Chain[i]) : plan.Chain[i]);
        }

        w.Append(", projected quality ").Append(plan.ProjectedQuality.ToString("0.00", CultureInfo.InvariantCulture))
            .Append(", ").Append(Money.Format(plan.ProjectedUsdPerThousandCalls))
            .Append(" per 1,000 calls (all-frontier ").Append(Money.Format(plan.AllFrontierUsdPerThousandCalls)).Append(").");
    }

    /// <summary>
    /// The file header. Nullable annotations are on, so that the signatures match their declarations and the members keep
    /// their annotations, but nullable warnings are off: the compiler runs its nullable analysis only on code where the
    /// warnings are on, and on generated code that nobody edits, it is a large share of the compile's cost.
    /// </summary>
    private static IndentedWriter Header(int capacity = 1024)
        => new IndentedWriter(capacity).Line("// <auto-generated/>").Line("#nullable enable annotations").Line("#nullable disable warnings").Line();

    private static string OpenGeneric(string typeParameters)
        => typeParameters.Length == 0 ? "" : "<" + new string(',', typeParameters.Count(c => c == ',')) + ">";

    private static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name) builder.Append(char.IsLetterOrDigit(c) || c == '_' ? c : '_');
        return builder.ToString();
    }

    private static string HintName(string typeKey)
    {
        var builder = new StringBuilder(typeKey.Length);
        foreach (var c in typeKey) builder.Append(char.IsLetterOrDigit(c) || c is '.' or '_' ? c : '_');
        return builder.ToString();
    }

    private static string Literal(string text) => IndentedWriter.LiteralText(text);

    private static string Xml(string text)
        => text.IndexOfAny(XmlSpecial) < 0 ? text : text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static readonly char[] XmlSpecial = { '&', '<', '>' };

    private static string Number(double value) => IndentedWriter.NumberText(value);

    private static string Number(decimal value) => IndentedWriter.NumberText(value);
}
