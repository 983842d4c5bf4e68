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

// The `[assembly: ModelTier]` attributes: each one as a tier, and which of its prices cannot be a price.
internal static partial class Parser
{
    /// <summary>One [assembly: ModelTier] attribute as a value.</summary>
    public static DeclaredTier ParseDeclaredTier(AttributeData attribute)
    {
        var tier = ParseTier(attribute, out var priceProblem);
        return new DeclaredTier(tier) { PriceProblem = priceProblem };
    }

    /// <summary>Reads one [assembly: ModelTier] attribute into a tier.</summary>
    public static TierSpec? ParseTier(AttributeData attribute) => ParseTier(attribute, out _);

    /// <summary>
    /// Reads one [assembly: ModelTier] attribute into a tier; <paramref name="priceProblem"/> says which price is not a
    /// finite number or is above <see cref="MaxPricePerMillion"/> (that price is read as 0 and the catalog is invalid).
    /// </summary>
    private static TierSpec? ParseTier(AttributeData attribute, out string? priceProblem)
    {
        priceProblem = null;
        if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not string name) return null;
        int rank = 0, latency = 0, longContextThreshold = 0, contextWindow = 0;
        double input = 0, output = 0, reasoning = 0;
        double? cached = null, longInput = null, longOutput = null, longCached = null;
        var thinking = false;
        var free = false;
        TierCapabilities? capabilities = null;
        string? modelId = null;
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Value.Kind == TypedConstantKind.Error) continue;
            var value = pair.Value.Value;
            switch (pair.Key)
            {
                case "Rank" when value is int i: rank = i; break;
                case "TypicalLatencyMs" when value is int i: latency = i; break;
                case "InputCostPerMillion": input = ToDouble(value); break;
                case "OutputCostPerMillion": output = ToDouble(value); break;
                case "ReasoningCostPerMillion": reasoning = ToDouble(value); break;
                case "CachedInputCostPerMillion": cached = ToDouble(value); break;
                case "LongContextThresholdTokens" when value is int i: longContextThreshold = i; break;
                case "LongContextInputCostPerMillion": longInput = ToDouble(value); break;
                case "LongContextOutputCostPerMillion": longOutput = ToDouble(value); break;
                case "LongContextCachedInputCostPerMillion": longCached = ToDouble(value); break;
                case "Free" when value is bool b: free = b; break;
                case "ContextWindowTokens" when value is int i: contextWindow = i; break;
                case "Capabilities" when value is int i: capabilities = (TierCapabilities)i; break;
                case "ExtendedThinking" when value is bool b: thinking = b; break;
                case "ModelId" when value is string s: modelId = s; break;
            }
        }

        priceProblem = PriceProblem(name, "InputCostPerMillion", input) ?? PriceProblem(name, "OutputCostPerMillion", output)
            ?? PriceProblem(name, "ReasoningCostPerMillion", reasoning) ?? PriceProblem(name, "CachedInputCostPerMillion", cached ?? 0)
            ?? PriceProblem(name, "LongContextInputCostPerMillion", longInput ?? 0) ?? PriceProblem(name, "LongContextOutputCostPerMillion", longOutput ?? 0)
            ?? PriceProblem(name, "LongContextCachedInputCostPerMillion", longCached ?? 0);
        return new TierSpec(name, rank, ToPrice(input), ToPrice(output), ToPrice(reasoning), latency, thinking, modelId)
        {
            CachedInputCostPerMillion = cached is { } c ? ToPrice(c) : null,
            LongContextThresholdTokens = longContextThreshold,
            LongContextInputCostPerMillion = longInput is { } li ? ToPrice(li) : null,
            LongContextOutputCostPerMillion = longOutput is { } lo ? ToPrice(lo) : null,
            LongContextCachedInputCostPerMillion = longCached is { } lc ? ToPrice(lc) : null,
            Free = free,
            ContextWindowTokens = contextWindow,
            Capabilities = capabilities,
        };
    }

    /// <summary>The largest price per million tokens a tier may declare (USD); larger ones overflow the exact cost arithmetic.</summary>
    internal const double MaxPricePerMillion = 1e15;

    /// <summary>What is wrong with a declared price that cannot be a price at all, or null (a negative one is <see cref="TierCatalog.Validate"/>'s).</summary>
    private static string? PriceProblem(string tier, string member, double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
            return $"{member} of tier '{tier}' is not a finite number ({value.ToString(System.Globalization.CultureInfo.InvariantCulture)})";
        if (value > MaxPricePerMillion)
            return string.Format(System.Globalization.CultureInfo.InvariantCulture,
                "{1} of tier '{0}' is {2:R}, above the largest supported price ({3:N0} USD per million tokens)", tier, member, value, MaxPricePerMillion);
        return null;
    }

    /// <summary>A declared price as a decimal: a value with a <see cref="PriceProblem"/> reads as 0 (the catalog is invalid anyway), a hugely negative one as -1 (negative).</summary>
    private static decimal ToPrice(double value)
        => double.IsNaN(value) || double.IsInfinity(value) || value > MaxPricePerMillion ? 0m : value < -MaxPricePerMillion ? -1m : (decimal)value;
}
