using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace RoutingSdk.Planning;

/// <summary>
/// The tiers a project can route to, ordered by rank (cheapest first). Either the user's
/// <c>[assembly: ModelTier]</c> attributes or <see cref="BuiltIn"/>.
/// </summary>
public sealed class TierCatalog : IEquatable<TierCatalog>
{
    private readonly TierSpec[] _tiers;

    /// <summary>Creates a catalog; the tiers are ordered by rank, then name. Call <see cref="Validate"/> to check it.</summary>
    public TierCatalog(IEnumerable<TierSpec> tiers)
    {
        if (tiers is null) throw new ArgumentNullException(nameof(tiers));
        _tiers = tiers.OrderBy(t => t.Rank).ThenBy(t => t.Name, StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// The built-in catalog used when an assembly declares no <c>[ModelTier]</c>: small, mid, frontier and
    /// frontier-thinking, with the list prices documented in docs/planning.md.
    /// </summary>
    public static TierCatalog BuiltIn { get; } = new(new[]
    {
        new TierSpec("small", 0, 0.25m, 1.25m, typicalLatencyMs: 400),
        new TierSpec("mid", 1, 3m, 15m, typicalLatencyMs: 1500),
        new TierSpec("frontier", 2, 15m, 75m, typicalLatencyMs: 4000),
        new TierSpec("frontier-thinking", 3, 15m, 75m, reasoningCostPerMillion: 75m, typicalLatencyMs: 12000, extendedThinking: true),
    });

    /// <summary>The tiers, cheapest (lowest rank) first.</summary>
    public IReadOnlyList<TierSpec> Tiers => _tiers;

    /// <summary>
    /// The tier an all-frontier application would call for everything: the highest-ranked tier without
    /// extended thinking (or the highest tier when every tier thinks). Savings are measured against it.
    /// </summary>
    public TierSpec? Reference
    {
        get
        {
            for (var i = _tiers.Length - 1; i >= 0; i--)
            {
                if (!_tiers[i].ExtendedThinking) return _tiers[i];
            }

            return _tiers.Length == 0 ? null : _tiers[_tiers.Length - 1];
        }
    }

    /// <summary>Finds a tier by name (ordinal, case-sensitive), or null.</summary>
    public TierSpec? Find(string name)
    {
        foreach (var tier in _tiers)
        {
            if (string.Equals(tier.Name, name, StringComparison.Ordinal)) return tier;
        }

        return null;
    }

    /// <summary>Problems that make the catalog unusable (RSDK0007): empty, duplicate names or ranks, negative prices or latency, blank names.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (_tiers.Length == 0) problems.Add("the catalog declares no tier");

        var names = new HashSet<string>(StringComparer.Ordinal);
        var ranks = new Dictionary<int, string>();
        foreach (var tier in _tiers)
        {
            if (string.IsNullOrWhiteSpace(tier.Name))
            {
                problems.Add("a tier has an empty name");
                continue;
            }

            if (!names.Add(tier.Name)) problems.Add($"tier name '{tier.Name}' is declared twice");
            if (ranks.TryGetValue(tier.Rank, out var other))
                problems.Add(string.Format(CultureInfo.InvariantCulture, "tiers '{0}' and '{1}' share rank {2}", other, tier.Name, tier.Rank));
            else
                ranks[tier.Rank] = tier.Name;

            if (tier.InputCostPerMillion < 0 || tier.OutputCostPerMillion < 0 || tier.ReasoningCostPerMillion < 0 || tier.CachedInputCostPerMillion < 0
                || tier.LongContextInputCostPerMillion < 0 || tier.LongContextOutputCostPerMillion < 0 || tier.LongContextCachedInputCostPerMillion < 0)
                problems.Add($"tier '{tier.Name}' has a negative price");
            if (tier.LongContextThresholdTokens < 0) problems.Add($"tier '{tier.Name}' has a negative LongContextThresholdTokens");
            if (tier.ContextWindowTokens < 0) problems.Add($"tier '{tier.Name}' has a negative ContextWindowTokens");
            if (tier.TypicalLatencyMs < 0) problems.Add($"tier '{tier.Name}' has a negative TypicalLatencyMs");
        }

        return problems;
    }

    /// <inheritdoc />
    public bool Equals(TierCatalog? other) => other is not null && _tiers.SequenceEqual(other._tiers);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TierCatalog);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = 17;
        foreach (var tier in _tiers) hash = unchecked(hash * 31 + tier.GetHashCode());
        return hash;
    }
}
