using System.Globalization;
using System.IO;
using System.Text;
using Microsoft.CodeAnalysis;

namespace RoutingSdk.Generators.Tests.Robustness;

/// <summary>The fuzzed inputs of one family: [assembly: ModelTier] catalogs.</summary>
internal static partial class FuzzedInputs
{
    private static readonly string[] TierNames = { "\"small\"", "\"small\"", "\"mid\"", "\"frontier\"", "\"\"", "\" \"", "\"tier \\\"quoted\\\"\"", "\"ünï😀\"", "\"class\"", "\"a\\nb\"", "null", "\"x\" + \"y\"", "1", "Tiers.Name" };

    private static readonly string[] Prices =
    {
        "0", "0.25", "-1", "double.MaxValue", "double.MinValue", "double.NaN", "double.PositiveInfinity", "double.NegativeInfinity", "1e15", "1e16", "1e-300",
        "5e-324", "79228162514264337593543950335.0", "-0.0", "1 / 3.0", "Tiers.Price", "\"1\"",
    };

    private static readonly string[] Ints = { "0", "1", "-1", "int.MaxValue", "int.MinValue", "2", "2", "1 << 30", "Tiers.Rank", "1.5" };

    private static Case TierCase(int seed)
    {
        var random = new Random(seed);
        T Pick<T>(T[] items) => items[random.Next(items.Length)];
        var attributes = new List<string>();
        var names = new List<string>();
        for (int i = 0, count = random.Next(1, 6); i < count; i++)
        {
            var name = Pick(TierNames);
            names.Add(name);
            var arguments = new List<string> { name };
            if (random.Next(4) > 0) arguments.Add("Rank = " + (random.Next(2) == 0 ? i.ToString(CultureInfo.InvariantCulture) : Pick(Ints)));
            if (random.Next(4) > 0) arguments.Add("InputCostPerMillion = " + Pick(Prices));
            if (random.Next(4) > 0) arguments.Add("OutputCostPerMillion = " + Pick(Prices));
            if (random.Next(3) == 0) arguments.Add("ReasoningCostPerMillion = " + Pick(Prices));
            if (random.Next(3) == 0) arguments.Add("CachedInputCostPerMillion = " + Pick(Prices));
            if (random.Next(4) == 0) arguments.Add("LongContextThresholdTokens = " + Pick(Ints));
            if (random.Next(4) == 0) arguments.Add("LongContextInputCostPerMillion = " + Pick(Prices));
            if (random.Next(4) == 0) arguments.Add("LongContextOutputCostPerMillion = " + Pick(Prices));
            if (random.Next(4) == 0) arguments.Add("LongContextCachedInputCostPerMillion = " + Pick(Prices));
            if (random.Next(3) == 0) arguments.Add("TypicalLatencyMs = " + Pick(Ints));
            if (random.Next(3) == 0) arguments.Add("ContextWindowTokens = " + Pick(Ints));
            if (random.Next(4) == 0) arguments.Add("ExtendedThinking = " + (random.Next(3) == 0 ? "1" : "true"));
            if (random.Next(4) == 0) arguments.Add("Free = true");
            if (random.Next(4) == 0) arguments.Add("Capabilities = (TierCapabilities)" + Pick(Ints));
            if (random.Next(4) == 0) arguments.Add("ModelId = " + Pick(new[] { "\"gpt \\\"x\\\"\"", "null", "\"\"", "\"a\\nb\"", "\"ünï\"" }));
            attributes.Add("[assembly: ModelTier(" + string.Join(", ", Shuffle(arguments, random)) + ")]");
        }

        var pinned = random.Next(3) == 0 ? ", Tier = " + Pick(names.ToArray()) : random.Next(3) == 0 ? ", MaxTier = " + Pick(names.ToArray()) : "";
        var source = "using System.Threading.Tasks;\nusing RoutingSdk;\n\n" + string.Join("\n", attributes) + """


            public static class Tiers
            {
                public const string Name = "const";
                public const double Price = 2.5;
                public const int Rank = 7;
            }

            public sealed partial class Catalogued(TaskRouter router)
            {
                [RoutedTask(TaskKind.Extraction, Complexity.Medium, QualityThreshold = 0.7, ExpectedInputTokens = 100000, MaxCostPerThousandCalls = 5
            """ + pinned + """
            )]
                public partial Task<string> ExtractAsync(string text);

                [RoutedTask(TaskKind.Reasoning, Complexity.Extreme)]
                public partial Task<int> ReasonAsync(string text);
            }
            """;
        return new Case("model tiers", seed, new[] { source }, null, Array.Empty<Library>());
    }
}
