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

/// <summary>
/// Syntax and symbols of one [RoutedTask] method become a <see cref="TaskModel"/> (values only); usage errors become
/// diagnostics when the caller asks for them. Shared by the generator (which emits from the model) and the analyzer
/// (which reports the diagnostics).
/// </summary>
/// <remarks>
/// The one place where a task method's syntax and symbols are read, every attribute argument and every usage rule of its
/// signature side by side, so that the generator and the analyzer cannot read a task two ways. Its prompt template is
/// read in <c>RoutedTaskGenerator.Parser.Prompt.cs</c>, the <c>[assembly: ModelTier]</c> attributes in
/// <c>RoutedTaskGenerator.Parser.Tiers.cs</c>, type and identifier names in <c>RoutedTaskGenerator.Parser.Names.cs</c>, the
/// router the body calls through in <c>RoutedTaskGenerator.Parser.Router.cs</c>.
/// </remarks>
internal static partial class Parser
{
    public const string RoutedTaskAttribute = "RoutingSdk.RoutedTaskAttribute";
    public const string ModelTierAttribute = "RoutingSdk.ModelTierAttribute";

    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>Property key of a diagnostic that a code fix can act on: which fix applies.</summary>
    public const string FixProperty = "Fix";

    /// <summary><see cref="FixProperty"/> value: the method and its containing types can be made partial.</summary>
    public const string MakePartialFix = "MakePartial";

    /// <summary><see cref="FixProperty"/> value: a <c>TaskRouter router</c> primary-constructor parameter can be added.</summary>
    public const string AddRouterParameterFix = "AddRouterParameter";

    /// <summary>Property key of RSDK0004: the parameter name closest to the misspelled placeholder.</summary>
    public const string ClosestParameterProperty = "ClosestParameter";

    /// <summary>The generator's entry: the method the attribute sits on, as values only (no diagnostics).</summary>
    public static TaskModel? ParseTask(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not IMethodSymbol method || context.TargetNode is not MethodDeclarationSyntax syntax) return null;
        var attribute = context.Attributes.FirstOrDefault();
        if (attribute is null) return null;
        return ParseTask(method, syntax, attribute, cancellationToken);
    }

    /// <summary>
    /// Reads one [RoutedTask] method: the spec the Planner needs, what the emitter writes, and every usage error.
    /// The generator and the analyzer both call this, so a rule of usage exists once: the generator keeps the errors'
    /// IDs in the model, the analyzer also receives them as diagnostics in <paramref name="diagnostics"/>.
    /// </summary>
    /// <param name="method">The method the attribute sits on.</param>
    /// <param name="syntax">The method's declaration that carries the attribute.</param>
    /// <param name="attribute">The [RoutedTask] attribute.</param>
    /// <param name="cancellationToken">Cancels the parse.</param>
    /// <param name="forEmitter">
    /// False for the analyzer, which needs the spec, the locations and the diagnostics but not the source text the
    /// emitter writes: the display strings of the return and parameter types and the modifiers are then left empty,
    /// which saves most of the Parser's time. Every diagnostic is the same either way.
    /// </param>
    /// <param name="diagnostics">The analyzer's list, which receives each usage error as a diagnostic; null for the generator.</param>
    public static TaskModel ParseTask(IMethodSymbol method, MethodDeclarationSyntax syntax, AttributeData attribute, CancellationToken cancellationToken,
        bool forEmitter = true, List<Diagnostic>? diagnostics = null)
    {
        cancellationToken.ThrowIfCancellationRequested();

        var errors = new UsageErrorSink(diagnostics);
        var methodLocation = syntax.Identifier.GetLocation();
        var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;

        // RSDK0001: partial, non-generic method in partial types.
        var canEmit = true;
        var isPartial = syntax.Modifiers.Any(SyntaxKind.PartialKeyword);
        if (!isPartial)
        {
            errors.AddWithProperties(DiagnosticDescriptors.NotPartial, methodLocation, MakePartial, method.Name);
            canEmit = false;
        }
        else if (syntax.Body is not null || syntax.ExpressionBody is not null)
        {
            errors.Add(DiagnosticDescriptors.MethodHasBody, methodLocation, method.Name);
            canEmit = false;
        }

        if (method.IsGenericMethod)
        {
            errors.Add(DiagnosticDescriptors.GenericMethod, syntax.TypeParameterList?.GetLocation() ?? methodLocation, method.Name,
                syntax.TypeParameterList?.ToString() ?? "<" + string.Join(", ", method.TypeParameters.Select(t => t.Name)) + ">");
        }

        var types = new List<ContainingTypeInfo>();
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            var declaration = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<TypeDeclarationSyntax>().FirstOrDefault();
            if (declaration is null || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                errors.AddWithProperties(DiagnosticDescriptors.TypeNotPartial, (declaration?.Identifier ?? syntax.Identifier).GetLocation(),
                    declaration is null ? null : MakePartial, type.Name);
                canEmit = false;
            }
            else if (declaration.Modifiers.Any(SyntaxKind.FileKeyword))
            {
                // A file-local type's parts must all be in one file: a generated part in its own file is another type.
                errors.Add(DiagnosticDescriptors.FileLocalType, declaration.Identifier.GetLocation(), type.Name);
                canEmit = false;
            }

            types.Insert(0, new ContainingTypeInfo(Keyword(declaration), type.Name, TypeParameters(type), type.IsStatic, type.IsAbstract,
                type.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal));
        }

        // RSDK0003: Task<T> or ValueTask<T>, no ref/out parameters.
        var (resultType, resultKind, returnsValueTask, returnOk) = ClassifyReturn(method.ReturnType, forEmitter);
        if (!returnOk)
        {
            errors.Add(DiagnosticDescriptors.UnsupportedSignature, syntax.ReturnType.GetLocation(), method.Name, method.ReturnType.ToDisplayString());
        }

        var parameters = new List<ParameterInfo>(method.Parameters.Length);
        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind is RefKind.Ref or RefKind.Out)
            {
                var parameterSyntax = parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken);
                errors.Add(DiagnosticDescriptors.ByReferenceParameter, parameterSyntax?.GetLocation() ?? methodLocation,
                    parameter.Name, method.Name, parameter.RefKind == RefKind.Ref ? "ref" : "out");
            }
            else if (parameter.Type.IsRefLikeType)
            {
                // A span cannot be formatted into the prompt (PromptValue.Format is generic; a ref struct is no type argument).
                var parameterSyntax = parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken);
                errors.Add(DiagnosticDescriptors.RefStructParameter, parameterSyntax?.GetLocation() ?? methodLocation,
                    parameter.Name, method.Name, parameter.Type.ToDisplayString());
            }

            // Every modifier is kept, so that the body that throws (the task is not routable) still matches the declaration:
            // ref/out/in/ref readonly and an explicit 'scoped' (CS0759, CS8988 otherwise).
            var modifier = parameter.IsParams ? "params " : parameter.RefKind switch
            {
                RefKind.In => "in ",
                RefKind.Ref => "ref ",
                RefKind.Out => "out ",
                RefKind.RefReadOnlyParameter => "ref readonly ",
                _ => method.IsExtensionMethod && parameter.Ordinal == 0 ? "this " : "",
            };
            if (parameter.ScopedKind != ScopedKind.None && IsDeclaredScoped(parameter, cancellationToken)) modifier = "scoped " + modifier;
            parameters.Add(new ParameterInfo(EscapeIdentifier(parameter.Name), forEmitter ? TypeDisplay(parameter.Type) : "", modifier,
                parameter.Type.SpecialType == SpecialType.System_String,
                IsType(parameter.Type, "CancellationToken", "Threading", "System")));
        }

        // RSDK0002: a TaskRouter field, property or primary-constructor parameter.
        var router = FindRouter(method, cancellationToken, out var hiddenBy, out var shadowedBy);
        if (shadowedBy is not null)
        {
            // On the method (the analyzer reports a task's diagnostics within its declaration); the message names the member.
            errors.Add(DiagnosticDescriptors.RouterShadowedByMember, methodLocation, method.Name, shadowedBy.Name, method.ContainingType.Name);
        }
        else if (hiddenBy is not null)
        {
            // A parameter named like the primary-constructor parameter that holds the router hides it: the body cannot reach it.
            var parameterSyntax = hiddenBy.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken);
            errors.Add(DiagnosticDescriptors.RouterHidden, parameterSyntax?.GetLocation() ?? methodLocation, method.Name, hiddenBy.Name);
        }
        else if (router is null)
        {
            errors.AddWithProperties(method.IsStatic ? DiagnosticDescriptors.NoStaticRouter : DiagnosticDescriptors.NoRouter, methodLocation,
                errors.WantsDiagnostics && CanAddRouterParameter(method, cancellationToken) ? AddRouterParameter : null,
                method.Name, method.ContainingType.Name);
        }

        // The attribute's values; a malformed argument is skipped (the compiler reports it).
        var spec = ReadSpec(attribute, method, types, attributeSyntax, errors, out var prompt, out var instructions, out var justification);
        if (resultKind == ResultKind.Json && returnOk) spec = spec with { StructuredResult = true };
        var promptParts = ReadPrompt(prompt, method, parameters, attributeSyntax, errors);
        var validator = returnOk ? ValidatorReader.Read(attribute, method, attributeSyntax, errors, cancellationToken) : null;

        return new TaskModel(
            forEmitter && method.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : "",
            types.ToEquatableArray(),
            EscapeIdentifier(method.Name),
            forEmitter ? Modifiers(syntax) : "",
            forEmitter ? TypeDisplay(method.ReturnType) : "",
            resultType,
            resultKind,
            returnsValueTask,
            parameters.ToEquatableArray(),
            router,
            promptParts.ToEquatableArray(),
            instructions,
            spec,
            errors.Ids,
            canEmit && !method.IsGenericMethod,
            string.IsNullOrWhiteSpace(justification) ? null : justification)
        {
            Validator = validator,
        };
    }

    private static readonly ImmutableDictionary<string, string?> MakePartial = Properties(FixProperty, MakePartialFix);

    private static readonly ImmutableDictionary<string, string?> AddRouterParameter = Properties(FixProperty, AddRouterParameterFix);

    private static ImmutableDictionary<string, string?> Properties(string key, string value) => ImmutableDictionary<string, string?>.Empty.Add(key, value);

    private static TaskSpec ReadSpec(AttributeData attribute, IMethodSymbol method, List<ContainingTypeInfo> types, AttributeSyntax? attributeSyntax,
        UsageErrorSink errors, out string? prompt, out string? instructions, out string? justification)
    {
        var kind = TaskKind.General;
        var complexity = Complexity.Medium;
        if (attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is int k)
        {
            kind = IsDefined<TaskKind>(k) ? (TaskKind)k : Declared(k, TaskKind.General, "kind", method, ConstructorArgument(attribute, attributeSyntax, 0), errors);
        }

        if (attribute.ConstructorArguments.Length > 1 && attribute.ConstructorArguments[1].Value is int c)
        {
            complexity = IsDefined<Complexity>(c) ? (Complexity)c : Declared(c, Complexity.Medium, "complexity", method, ConstructorArgument(attribute, attributeSyntax, 1), errors);
        }

        var taskName = string.Join(".", types.Select(t => t.Name)) + "." + method.Name;
        var spec = new TaskSpec(taskName, method.Name, kind, complexity);
        prompt = null;
        instructions = null;
        justification = null;
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Value.Kind == TypedConstantKind.Error) continue;
            var value = pair.Value.Value;
            spec = pair.Key switch
            {
                "QualityThreshold" => spec with { QualityThreshold = ToDouble(value) },
                "Tier" => spec with { Tier = value as string },
                "MaxTier" => spec with { MaxTier = value as string },
                "Escalation" when value is int e => spec with { Escalation = Declared(e, Escalation.Cascade, "Escalation", method, NamedArgument(attributeSyntax, "Escalation"), errors) },
                "LatencyBudgetMs" when value is int i => spec with { LatencyBudgetMs = i },
                "MaxCostPerThousandCalls" => spec with { MaxCostPerThousandCalls = ToDouble(value) },
                "ExpectedInputTokens" when value is int i => spec with { ExpectedInputTokens = i },
                "ExpectedOutputTokens" when value is int i => spec with { ExpectedOutputTokens = i },
                _ => spec,
            };
            if (pair.Key == "Prompt") prompt = value as string;
            if (pair.Key == "Instructions") instructions = value as string;
            if (pair.Key == "Justification") justification = value as string;
        }

        return spec;
    }

    /// <summary>Whether <paramref name="value"/> is a member of <typeparamref name="TEnum"/>; checked before the location of a report is looked up.</summary>
    private static bool IsDefined<TEnum>(int value) where TEnum : struct, Enum => Enum.IsDefined(typeof(TEnum), value);

    /// <summary>
    /// RSDK0006: <paramref name="value"/> as a declared member of <typeparamref name="TEnum"/>; a cast of any other number
    /// (<c>(TaskKind)999</c>) is reported at the argument and replaced by <paramref name="fallback"/>, so that nothing
    /// downstream (the Planner, the routing table's <c>TaskKind.Name</c>) ever sees an undeclared value.
    /// </summary>
    private static TEnum Declared<TEnum>(int value, TEnum fallback, string setting, IMethodSymbol method, Location? location, UsageErrorSink errors)
        where TEnum : struct, Enum
    {
        if (Enum.IsDefined(typeof(TEnum), value)) return (TEnum)Enum.ToObject(typeof(TEnum), value);
        var members = (TEnum[])Enum.GetValues(typeof(TEnum));
        errors.Add(DiagnosticDescriptors.UndefinedEnumValue, location, setting, method.Name, typeof(TEnum).Name,
            value.ToString(System.Globalization.CultureInfo.InvariantCulture), members[0].ToString(), members[members.Length - 1].ToString());
        return fallback;
    }

    /// <summary>The attribute's constructor argument <paramref name="index"/> (by its name, <c>complexity: ...</c>, or by position), or the attribute.</summary>
    private static Location? ConstructorArgument(AttributeData attribute, AttributeSyntax? attributeSyntax, int index)
    {
        var arguments = attributeSyntax?.ArgumentList?.Arguments;
        if (arguments is null) return attributeSyntax?.GetLocation();
        var parameterName = attribute.AttributeConstructor is { } constructor && index < constructor.Parameters.Length ? constructor.Parameters[index].Name : null;
        var named = arguments.Value.FirstOrDefault(a => a.NameColon is { } colon && colon.Name.Identifier.ValueText == parameterName);
        if (named is not null) return named.GetLocation();
        var positional = arguments.Value.Where(a => a.NameColon is null && a.NameEquals is null).ElementAtOrDefault(index);
        return positional?.GetLocation() ?? attributeSyntax!.GetLocation();
    }

    /// <summary>The attribute's named argument <paramref name="name"/> (<c>Escalation = ...</c>), or the attribute.</summary>
    private static Location? NamedArgument(AttributeSyntax? attributeSyntax, string name)
        => attributeSyntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name)?.GetLocation()
            ?? attributeSyntax?.GetLocation();

    private static (string ResultType, ResultKind Kind, bool ValueTask, bool Ok) ClassifyReturn(ITypeSymbol returnType, bool forEmitter)
    {
        if (returnType is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
            && named.Name is "Task" or "ValueTask"
            && IsNamespace(named.ContainingNamespace, "Tasks", "Threading", "System"))
        {
            var result = named.TypeArguments[0];
            var kind = result.SpecialType == SpecialType.System_String ? ResultKind.Text
                : result.TypeKind == TypeKind.Enum ? ResultKind.Enum
                : IsNullableEnum(result) ? ResultKind.NullableEnum
                : ResultKind.Json;
            var ok = result.TypeKind is not (TypeKind.Error or TypeKind.TypeParameter or TypeKind.Pointer or TypeKind.FunctionPointer);
            return (forEmitter ? TypeDisplay(result) : "", kind, named.Name == "ValueTask", ok);
        }

        return ("object", ResultKind.Json, false, false);
    }

    /// <summary>True for <c>TEnum?</c> (<see cref="System.Nullable{T}"/> of an enum).</summary>
    private static bool IsNullableEnum(ITypeSymbol type) =>
        type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T, TypeArguments.Length: 1 } nullable
        && nullable.TypeArguments[0].TypeKind == TypeKind.Enum;

    /// <summary>Whether a parameter is declared with the 'scoped' keyword (an out parameter is scoped without it).</summary>
    private static bool IsDeclaredScoped(IParameterSymbol parameter, CancellationToken cancellationToken)
        => parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is ParameterSyntax syntax && syntax.Modifiers.Any(SyntaxKind.ScopedKeyword);

    private static string Modifiers(MethodDeclarationSyntax syntax)
    {
        var text = "";
        foreach (var modifier in syntax.Modifiers)
        {
            if (modifier.IsKind(SyntaxKind.PartialKeyword) || modifier.IsKind(SyntaxKind.AsyncKeyword)) continue;
            text = text.Length == 0 ? modifier.Text : text + " " + modifier.Text;
        }

        return text;
    }
}
