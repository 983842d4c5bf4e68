using System;

namespace RoutingSdk.Planning;

/// <summary>
/// The built-in expected quality of a tier on a task, from the scaling-law view of model choice:
/// quality rises smoothly with log price and with diminishing returns, and how far apart the tiers are
/// depends on how routine the task is. docs/planning.md documents every figure and why.
/// </summary>
internal static class CapabilityModel
{
    /// <summary>Blended USD per million tokens (three input tokens to one output) of the small anchor tier.</summary>
    public const double SmallAnchorBlendedPrice = 0.5;

    /// <summary>Blended USD per million tokens of the frontier anchor tier: 60 times the small anchor.</summary>
    public const double FrontierAnchorBlendedPrice = 30;

    /// <summary>
    /// How routine a task is, from 0 (a rule could nearly do it) to 1 (expert judgment). Routine work such as
    /// Medium extraction sits at 0.25; judgment-heavy work such as High-complexity analysis at 0.85.
    /// </summary>
    public static double Difficulty(TaskKind kind, Complexity complexity)
        => Clamp(KindBase(kind) + ComplexityOffset(complexity), 0, 1);

    /// <summary>
    /// Where a tier sits between the small anchor (0) and the frontier anchor (1), on a log-price scale. A free
    /// tier counts as small-class. Values above 1 mean "beyond today's frontier list price".
    /// </summary>
    public static double Level(TierSpec tier)
    {
        var blended = (3 * (double)tier.InputCostPerMillion + (double)tier.OutputCostPerMillion) / 4;
        if (blended <= 0) return 0;
        var level = Math.Log(blended / SmallAnchorBlendedPrice) / Math.Log(FrontierAnchorBlendedPrice / SmallAnchorBlendedPrice);
        return Clamp(level, -0.5, 1.5);
    }

    /// <summary>Expected share of answers that need no editing, for this task on this tier (0–1), rounded to 4 digits.</summary>
    public static double ExpectedQuality(TaskKind kind, Complexity complexity, TierSpec tier)
    {
        var d = Difficulty(kind, complexity);
        var small = Clamp(0.85 - 0.55 / 0.60 * (d - 0.25), 0.05, 0.97);
        var frontier = Clamp(0.95 - 0.10 / 0.60 * (d - 0.25), 0.50, 0.99);
        var level = Level(tier);

        double q;
        if (level >= 1)
            q = frontier + (1 - frontier) * 0.3 * Math.Min(level - 1, 1);      // little left to gain past the frontier
        else if (level >= 0)
            q = small + (frontier - small) * Math.Sqrt(level);                   // diminishing returns
        else
            q = small * (1 + 0.4 * level);                                      // below small: gently worse

        if (tier.ExtendedThinking)
            q += (1 - q) * 0.5 * d;                                             // thinking removes errors on hard work

        return Math.Round(Clamp(q, 0, 1), 4);
    }

    /// <summary>Base difficulty of a kind at Medium complexity.</summary>
    public static double KindBase(TaskKind kind) => kind switch
    {
        TaskKind.Classification => 0.20,
        TaskKind.Formatting => 0.20,
        TaskKind.Extraction => 0.25,
        TaskKind.TemplateGeneration => 0.25,
        TaskKind.Translation => 0.30,
        TaskKind.Summarization => 0.35,
        TaskKind.General => 0.45,
        TaskKind.CreativeWriting => 0.50,
        TaskKind.CodeGeneration => 0.55,
        TaskKind.Reasoning => 0.60,
        TaskKind.Debugging => 0.65,
        TaskKind.Analysis => 0.65,
        TaskKind.Synthesis => 0.65,
        _ => 0.45,
    };

    /// <summary>How much a complexity level adds to (or takes from) the kind's base difficulty.</summary>
    public static double ComplexityOffset(Complexity complexity) => complexity switch
    {
        Complexity.Trivial => -0.20,
        Complexity.Low => -0.10,
        Complexity.Medium => 0,
        Complexity.High => 0.20,
        Complexity.Extreme => 0.35,
        _ => 0,
    };

    private static double Clamp(double value, double min, double max) => value < min ? min : value > max ? max : value;
}
