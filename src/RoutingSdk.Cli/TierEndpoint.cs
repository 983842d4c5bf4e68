using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using RoutingSdk.Planning;

namespace RoutingSdk.Cli;

/// <summary>
/// One tier of <c>routing try</c> on a real model: an OpenAI-compatible endpoint and a model id, given on the command
/// line as <c>--tier NAME=URL#MODEL</c>, with its prices and the environment variable that holds its key.
/// </summary>
internal sealed record TierEndpoint(TierSpec Tier, Uri Endpoint, string Model, string KeyVariable)
{
    /// <summary>The default environment variable of the key.</summary>
    public const string DefaultKeyVariable = "OPENAI_API_KEY";

    /// <summary>What a spec looks like, for error messages and help.</summary>
    public const string SpecForm = "NAME=URL#MODEL, for example small=https://api.openai.com/v1#gpt-4o-mini";

    /// <summary>
    /// The tiers of the command line, ranked in the order given (cheapest first). Prices come from <paramref name="prices"/>
    /// (<c>NAME=INPUT/OUTPUT</c>, USD per million tokens) or, for a built-in tier name, from the built-in catalog; the key
    /// variable from <paramref name="keyVariables"/> (<c>VAR</c> for every tier, <c>NAME=VAR</c> for one).
    /// </summary>
    /// <exception cref="UsageException">A spec, price or key variable is malformed, names no given tier, or a tier has no price.</exception>
    public static IReadOnlyList<TierEndpoint> Parse(IReadOnlyList<string> specs, IReadOnlyList<string> prices, IReadOnlyList<string> keyVariables)
    {
        var priced = new Dictionary<string, (decimal Input, decimal Output)>(StringComparer.Ordinal);
        foreach (var price in prices)
        {
            var (name, value) = Split(price, '=', "--price", "NAME=INPUT/OUTPUT (USD per million tokens), for example small=0.15/0.6");
            var parts = value.Split('/');
            if (parts.Length != 2 || !TryPrice(parts[0], out var input) || !TryPrice(parts[1], out var output))
                throw new UsageException($"--price '{price}': give NAME=INPUT/OUTPUT in USD per million tokens, two numbers of 0 or more, for example small=0.15/0.6");
            priced[name] = (input, output);
        }

        var defaultKey = DefaultKeyVariable;
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in keyVariables)
        {
            if (key.IndexOf('=') < 0) defaultKey = Variable(key, key);
            else
            {
                var (name, variable) = Split(key, '=', "--api-key-env", "VAR or NAME=VAR");
                keys[name] = Variable(variable, key);
            }
        }

        var tiers = new List<TierEndpoint>();
        foreach (var spec in specs)
        {
            var (name, rest) = Split(spec, '=', "--tier", SpecForm);
            var hash = rest.LastIndexOf('#');
            if (hash <= 0 || hash == rest.Length - 1)
                throw new UsageException($"--tier '{spec}' has no model id: give {SpecForm}");
            var url = rest.Substring(0, hash);
            var model = rest.Substring(hash + 1);
            if (!Uri.TryCreate(url, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
                throw new UsageException($"--tier '{spec}': '{url}' is not an http or https URL: give {SpecForm}");
            if (tiers.Any(t => t.Tier.Name == name)) throw new UsageException($"--tier names tier '{name}' twice; give each tier once");
            if (!priced.TryGetValue(name, out var cost))
            {
                var builtIn = TierCatalog.BuiltIn.Find(name)
                    ?? throw new UsageException($"tier '{name}' has no price: give --price {name}=INPUT/OUTPUT (USD per million tokens; the built-in prices exist only for {string.Join(", ", TierCatalog.BuiltIn.Tiers.Select(t => t.Name))})");
                cost = (builtIn.InputCostPerMillion, builtIn.OutputCostPerMillion);
            }

            tiers.Add(new TierEndpoint(new TierSpec(name, tiers.Count, cost.Input, cost.Output, modelId: model), endpoint, model, keys.TryGetValue(name, out var k) ? k : defaultKey));
        }

        foreach (var name in priced.Keys.Concat(keys.Keys))
        {
            if (tiers.All(t => t.Tier.Name != name)) throw new UsageException($"'{name}' is given a price or key variable but no --tier");
        }

        return tiers;
    }

    /// <summary>The key from the tier's environment variable.</summary>
    /// <exception cref="UsageException">The variable is not set or empty.</exception>
    public string ReadKey()
    {
        var key = Environment.GetEnvironmentVariable(KeyVariable);
        if (string.IsNullOrWhiteSpace(key))
            throw new UsageException($"tier '{Tier.Name}' needs an API key in the environment variable {KeyVariable}, which is not set; set it (any non-empty value for a server without keys), or name another variable with --api-key-env");
        return key;
    }

    /// <summary>How the tier is shown in output: name, model and endpoint (never the key).</summary>
    public override string ToString() => $"{Tier.Name}={Endpoint}#{Model}";

    private static (string Name, string Value) Split(string text, char separator, string option, string form)
    {
        var at = text.IndexOf(separator);
        if (at <= 0 || at == text.Length - 1) throw new UsageException($"{option} '{text}': give {form}");
        return (text.Substring(0, at).Trim(), text.Substring(at + 1).Trim());
    }

    private static string Variable(string name, string given)
    {
        if (name.Length == 0 || !name.All(c => char.IsLetterOrDigit(c) || c == '_'))
            throw new UsageException($"--api-key-env '{given}': '{name}' is not an environment variable name (letters, digits and _)");
        return name;
    }

    private static bool TryPrice(string text, out decimal value)
        => decimal.TryParse(text.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out value) && value >= 0;
}
