using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
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
    /// The tasks of every containing type that has a task with a body to write, each type with its hint name and the
    /// routing-table member of each routable task (member names are unique over the assembly, so they are given here,
    /// where every task is seen).
    /// </summary>
    public static ImmutableArray<TypeTasks> GroupByType(ImmutableArray<PlannedTask> tasks, System.Threading.CancellationToken cancellationToken)
    {
        if (tasks.IsDefaultOrEmpty) return ImmutableArray<TypeTasks>.Empty;
        var (ordered, members) = Arrange(tasks);
        var groups = ImmutableArray.CreateBuilder<TypeTasks>();
        foreach (var group in ordered.Where(t => t.Task.CanEmitBody).GroupBy(t => t.Task.TypeKey))
        {
            cancellationToken.ThrowIfCancellationRequested();
            groups.Add(new TypeTasks(HintName(group.Key) + ".RoutedTasks.g.cs",
                group.Select(t => new TypeTask(t, members.TryGetValue(t, out var member) ? member : null)).ToEquatableArray()));
        }

        return groups.ToImmutable();
    }

    /// <summary>
    /// What the routing table and the registration need of every task (<see cref="AssemblyTasks"/>): the plans of the
    /// routable tasks with their member names, the catalog, and the types to register.
    /// </summary>
    public static AssemblyTasks Assemble(ImmutableArray<PlannedTask> tasks, System.Threading.CancellationToken cancellationToken)
    {
        if (tasks.IsDefaultOrEmpty) return new AssemblyTasks(CatalogModel.BuiltIn, EquatableArray<TableEntry>.Empty, EquatableArray<string>.Empty);
        var (ordered, members) = Arrange(tasks);
        var plans = ordered.Where(IsRoutable).Select(t => new TableEntry(members[t], t.Task.Spec, t.Plan!)).ToEquatableArray();
        var catalog = plans.Count > 0 ? ordered.First(IsRoutable).Catalog : CatalogModel.BuiltIn;

        var registered = new List<string>();
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var task in ordered.Select(t => t.Task))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var types = task.ContainingTypes;
            var last = types[types.Count - 1];
            if (last.IsStatic || last.IsAbstract || last.Keyword is not ("class" or "record") || types.Any(t => !t.IsAccessible)) continue;
            var name = "global::" + (task.Namespace.Length == 0 ? "" : task.Namespace + ".")
                + string.Join(".", types.Select(t => Parser.EscapeIdentifier(t.Name) + OpenGeneric(t.TypeParameters)));
            if (seen.Add(name)) registered.Add(name);
        }

        return new AssemblyTasks(catalog, plans, registered.ToEquatableArray());
    }

    /// <summary>
    /// The tasks in emit order (type, method name, parameter types) and one static plan member per routable task,
    /// named after the task and unique. Looked up by reference: a PlannedTask's value equality hashes the whole model,
    /// which the pipeline needs but a lookup here does not.
    /// </summary>
    private static (PlannedTask[] Ordered, Dictionary<PlannedTask, string> Members) Arrange(ImmutableArray<PlannedTask> tasks)
    {
        var ordered = tasks
            .OrderBy(t => t.Task.TypeKey, System.StringComparer.Ordinal)
            .ThenBy(t => t.Task.MethodName, System.StringComparer.Ordinal)
            .ThenBy(t => string.Join(",", t.Task.Parameters.Select(p => p.Type)), System.StringComparer.Ordinal)
            .ToArray();

        var members = new Dictionary<PlannedTask, string>(ReferenceComparer.Instance);
        var used = new HashSet<string>(System.StringComparer.Ordinal) { "Catalog", "All", CombineMember };
        foreach (var task in ordered.Where(IsRoutable))
        {
            var baseName = Sanitize(task.Task.Spec.TaskName);
            var name = baseName;
            for (var i = 2; !used.Add(name); i++) name = baseName + "_" + i.ToString(CultureInfo.InvariantCulture);
            members[task] = name;
        }

        return (ordered, members);
    }

    /// <summary>Whether a task gets a routing table entry: it can have a body, has no usage error and was planned without errors.</summary>
    internal static bool IsRoutable(PlannedTask task)
        => task.Task.CanEmitBody && task.Task.IsValid && task.Plan is { HasErrors: false, Chain.Count: > 0 };

    /// <summary>The source of one containing type: the body of each of its tasks.</summary>
    public static string EmitType(TypeTasks type)
    {
        var tasks = type.Tasks;
        var first = tasks[0].Planned.Task;
        var w = Header(1024 + tasks.Count * 1024);
        if (first.Namespace.Length > 0) w.Open("namespace " + first.Namespace);
        foreach (var containing in first.ContainingTypes)
        {
            w.Open((containing.IsStatic ? "static " : "") + "partial " + containing.Keyword + " " + Parser.EscapeIdentifier(containing.Name) + containing.TypeParameters);
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
        var parameters = Parameters(task.Parameters);
        w.Line("/// <summary>Routed task <c>" + Xml(task.Spec.TaskName) + "</c>: " + Xml(Describe(planned.Plan)) + "</summary>");
        w.Line(GeneratedCode);
        w.Open((task.Modifiers.Length > 0 ? task.Modifiers + " " : "") + "partial " + task.ReturnType + " " + task.MethodName + "(" + parameters + ")");
        if (member is null)
        {
            var ids = string.Join(", ", planned.ErrorIds());
            // The router is read as the routed body would read it: a primary-constructor parameter that only the bodies of
            // tasks with errors use must not raise a second error (CS9113, unread parameter) next to the task's own.
            if (task.RouterAccess is not null) w.Line("_ = " + task.RouterAccess + ";");
            w.Line("throw new global::System.InvalidOperationException(" + Literal($"Routed task '{task.Spec.TaskName}' was not generated because of {ids}; see the build's diagnostics.") + ");");
            w.Close();
            return;
        }

        // The names the body declares are chosen so that no parameter of the task has them (a parameter named 'prompt'
        // gets a local 'prompt2'): a clash would not compile (CS0136).
        var prompt = FreeName(PromptLocal, task.Parameters);
        w.Line("var " + prompt + " = " + PromptExpression(task) + ";");
        var cancellation = task.Parameters.FirstOrDefault(p => p.IsCancellationToken)?.Name ?? "default";
        var parser = task.ResultKind switch
        {
            ResultKind.Text => "global::RoutingSdk.AnswerParsers.Text",
            ResultKind.Enum => "global::RoutingSdk.AnswerParsers.Enum<" + task.ResultType + ">()",
            // TEnum? reads like TEnum (by member name), not as JSON; the parser's type argument is the enum itself.
            ResultKind.NullableEnum => "global::RoutingSdk.AnswerParsers.NullableEnum<" + task.ResultType.TrimEnd('?') + ">()",
            _ => "global::RoutingSdk.AnswerParsers.Json<" + task.ResultType + ">()",
        };
        // ValueTask tasks use the router's ValueTask entry point (no task allocated when the tier answers synchronously);
        // a validator is passed as a Func<TResult, double>. A nullable text result keeps the Task entry point: the text
        // parser never yields null, and Task<string> converts to the nullable result with '!'.
        var nullableText = task.ResultKind == ResultKind.Text && task.ResultType.EndsWith("?", System.StringComparison.Ordinal);
        var valueEntry = task.ReturnsValueTask && !nullableText;
        var validator = task.Validator is { } v ? ValidatorLambda(v, task.Parameters) : null;
        var call = task.RouterAccess + (valueEntry ? ".RouteValueAsync" : ".RouteAsync") + "(global::RoutingSdk.Generated.RoutingTable." + member + ", " + prompt + ", "
            + (task.Instructions is null ? "null" : Literal(task.Instructions)) + ", " + parser
            + (validator is not null || valueEntry ? ", " + (validator ?? "null") : "") + ", " + cancellation + ")";
        if (nullableText) call += "!";
        if (task.ReturnsValueTask && !valueEntry) call = "new global::System.Threading.Tasks.ValueTask<" + task.ResultType + ">(" + call + ")";
        w.Line("return " + call + ";");
        w.Close();
    }

    /// <summary>The name of the local that holds the prompt, unless a parameter has it.</summary>
    internal const string PromptLocal = "prompt";

    /// <summary>The name of the validator lambda's parameter, unless a parameter of the task has it.</summary>
    internal const string AnswerParameter = "__answer";

    /// <summary>The validator as a <c>Func&lt;TResult, double&gt;</c> lambda.</summary>
    private static string ValidatorLambda(ValidatorCall validator, EquatableArray<ParameterInfo> parameters)
    {
        var answer = FreeName(AnswerParameter, parameters);
        return answer + " => " + validator.Target + "(" + answer + ")" + (validator.ReturnsBool ? " ? 1d : 0d" : "");
    }

    /// <summary><paramref name="preferred"/>, or the first of preferred2, preferred3, ... that no parameter is named.</summary>
    internal static string FreeName(string preferred, EquatableArray<ParameterInfo> parameters)
    {
        var name = preferred;
        for (var i = 2; parameters.Any(p => p.Name.TrimStart('@') == name); i++) name = preferred + i.ToString(CultureInfo.InvariantCulture);
        return name;
    }

    private static string Parameters(EquatableArray<ParameterInfo> parameters)
    {
        var text = new StringBuilder(parameters.Count * 48);
        foreach (var p in parameters)
        {
            if (text.Length > 0) text.Append(", ");
            text.Append(p.Modifier).Append(p.Type).Append(' ').Append(p.Name);
        }

        return text.ToString();
    }

    /// <summary>
    /// The prompt as a chain of <c>+</c> on strings (literals, string parameters, <c>PromptValue.Format</c> of the others):
    /// the compiler binds a string <c>+</c> as a built-in operator, where a <c>string.Concat</c> call makes it resolve the
    /// overloads of <c>string.Concat</c> (objects, strings, spans, params) once per task; it emits the same calls.
    /// </summary>
    private static string PromptExpression(TaskModel task)
    {
        var prompt = task.Prompt;
        if (prompt.Count == 0) return "\"\"";
        if (prompt.Count == 1 && !prompt[0].IsParameter) return Literal(prompt[0].Text);
        // A lone string parameter: null makes an empty prompt, as concatenation would.
        if (prompt.Count == 1 && IsStringParameter(task.Parameters, prompt[0].Text)) return prompt[0].Text + " ?? \"\"";
        var text = new StringBuilder(128);
        for (var i = 0; i < prompt.Count; i++)
        {
            if (i > 0) text.Append(" + ");
            var part = prompt[i];
            if (!part.IsParameter) text.Append(Literal(part.Text));
            else if (IsStringParameter(task.Parameters, part.Text)) text.Append(part.Text);
            else text.Append("global::RoutingSdk.PromptValue.Format(").Append(part.Text).Append(')');
        }

        return text.ToString();
    }

    private static bool IsStringParameter(EquatableArray<ParameterInfo> parameters, string name)
    {
        foreach (var p in parameters)
        {
            if (p.Name == name) return p.IsString;
        }

        return false; // The Parser takes prompt parts from the parameters, so this is not reached.
    }

    private static string Describe(TaskPlan? plan)
    {
        if (plan is null || plan.Chain.Count == 0) return "not planned (see the build's diagnostics).";
        return string.Format(CultureInfo.InvariantCulture, "{0}, projected quality {1:0.00}, {2} per 1,000 calls (all-frontier {3}).",
            string.Join(" -> ", plan.Chain), plan.ProjectedQuality, Money.Format(plan.ProjectedUsdPerThousandCalls), Money.Format(plan.AllFrontierUsdPerThousandCalls));
    }

    /// <summary>
    /// The file header. Nullable annotations are on, so that the signatures match their declarations and the members keep
    /// their annotations, but nullable warnings are off: the compiler runs its nullable analysis only on code where the
    /// warnings are on, and on generated code that nobody edits, it is a large share of the compile's cost.
    /// </summary>
    private static IndentedWriter Header(int capacity = 1024)
        => new IndentedWriter(capacity).Line("// <auto-generated/>").Line("#nullable enable annotations").Line("#nullable disable warnings").Line();

    /// <summary>The chain as string literals: "small", "mid".</summary>
    private static string Join(IReadOnlyList<string> chain)
    {
        var text = new StringBuilder(chain.Count * 16);
        for (var i = 0; i < chain.Count; i++)
        {
            if (i > 0) text.Append(", ");
            text.Append(Literal(chain[i]));
        }

        return text.ToString();
    }

    /// <summary>Reference identity for the member names of one Emit call.</summary>
    private sealed class ReferenceComparer : IEqualityComparer<PlannedTask>
    {
        public static readonly ReferenceComparer Instance = new();

        public bool Equals(PlannedTask? x, PlannedTask? y) => ReferenceEquals(x, y);

        public int GetHashCode(PlannedTask obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }

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

    private static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);

    private static string Xml(string text)
        => text.IndexOfAny(XmlSpecial) < 0 ? text : text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static readonly char[] XmlSpecial = { '&', '<', '>' };

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture) + "m";
}
