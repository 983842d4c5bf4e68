namespace RoutingSdk.Planning.Tests;

public class TierCatalogTests
{
    [Fact]
    public void Built_in_catalog_is_valid_and_ordered_by_rank()
    {
        Assert.Empty(TierCatalog.BuiltIn.Validate());
        Assert.Equal(new[] { "small", "mid", "frontier", "frontier-thinking" }, TierCatalog.BuiltIn.Tiers.Select(t => t.Name));
    }

    [Fact]
    public void Duplicate_names_are_invalid()
    {
        var catalog = new TierCatalog(new[] { new TierSpec("a", 0, 1, 1), new TierSpec("a", 1, 2, 2) });

        Assert.Contains(catalog.Validate(), p => p.Contains("'a'") && p.Contains("twice"));
    }

    [Fact]
    public void Duplicate_ranks_are_invalid()
    {
        var catalog = new TierCatalog(new[] { new TierSpec("a", 1, 1, 1), new TierSpec("b", 1, 2, 2) });

        Assert.Contains(catalog.Validate(), p => p.Contains("'a'") && p.Contains("'b'") && p.Contains("rank 1"));
    }

    [Theory]
    [InlineData(-1, 0, 0)]
    [InlineData(0, -1, 0)]
    [InlineData(0, 0, -1)]
    public void Negative_prices_are_invalid(int input, int output, int reasoning)
    {
        var catalog = new TierCatalog(new[] { new TierSpec("a", 0, input, output, reasoning) });

        Assert.Contains(catalog.Validate(), p => p.Contains("'a'") && p.Contains("negative price"));
    }

    [Fact]
    public void Negative_latency_is_invalid()
    {
        var catalog = new TierCatalog(new[] { new TierSpec("a", 0, 1, 1, typicalLatencyMs: -5) });

        Assert.Contains(catalog.Validate(), p => p.Contains("TypicalLatencyMs"));
    }

    [Fact]
    public void Empty_catalog_is_invalid()
    {
        Assert.Contains(new TierCatalog(Array.Empty<TierSpec>()).Validate(), p => p.Contains("no tier"));
    }

    [Fact]
    public void Blank_name_is_invalid()
    {
        Assert.Contains(new TierCatalog(new[] { new TierSpec(" ", 0, 1, 1) }).Validate(), p => p.Contains("empty name"));
    }

    [Fact]
    public void Reference_tier_skips_thinking_tiers()
    {
        Assert.Equal("frontier", TierCatalog.BuiltIn.Reference!.Name);
    }

    [Fact]
    public void Reference_tier_is_the_top_tier_when_every_tier_thinks()
    {
        var catalog = new TierCatalog(new[]
        {
            new TierSpec("t1", 0, 1, 1, extendedThinking: true),
            new TierSpec("t2", 1, 2, 2, extendedThinking: true),
        });

        Assert.Equal("t2", catalog.Reference!.Name);
    }

    [Fact]
    public void Empty_catalog_has_no_reference()
    {
        Assert.Null(new TierCatalog(Array.Empty<TierSpec>()).Reference);
    }

    [Fact]
    public void Find_is_ordinal_and_case_sensitive()
    {
        Assert.NotNull(TierCatalog.BuiltIn.Find("mid"));
        Assert.Null(TierCatalog.BuiltIn.Find("Mid"));
    }

    [Fact]
    public void Catalogs_with_the_same_tiers_are_equal_whatever_the_order()
    {
        var a = new TierCatalog(new[] { new TierSpec("x", 0, 1, 1), new TierSpec("y", 1, 2, 2) });
        var b = new TierCatalog(new[] { new TierSpec("y", 1, 2, 2), new TierSpec("x", 0, 1, 1) });

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Tier_cost_is_exact()
    {
        var tier = new TierSpec("t", 0, 0.25m, 1.25m, 60m);

        Assert.Equal(0.000001m * (3 * 0.25m + 7 * 1.25m + 11 * 60m), tier.Cost(3, 7, 11));
    }

    [Fact]
    public void Reasoning_tokens_without_a_reasoning_price_are_billed_as_output()
    {
        var tier = new TierSpec("o", 0, 1.1m, 4.4m, extendedThinking: true);

        Assert.Equal((100m * 1.1m + 50m * 4.4m + 800m * 4.4m) / 1_000_000m, tier.Cost(100, 50, 800));
    }
}
