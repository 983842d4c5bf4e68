using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Planning.Tests;

public class OutcomeQueriesTests
{
    [Theory]
    [InlineData("q3fa0c1d2e3b4a5f6", 17)]
    [InlineData("system\u001fYou classify.\u001euser\u001fmy invoice #shadow", 3)]   // content recorded: the text may hold the mark itself
    [InlineData("q3fa0c1d2e3b4a5f6", 0)]
    public void A_shadowed_calls_query_is_told_from_a_samples_whatever_the_request_key(string request, long number)
    {
        Assert.True(OutcomeQueries.IsShadowed(OutcomeQueries.Shadowed(request, number)));
        Assert.False(OutcomeQueries.IsShadowed(OutcomeQueries.Sampled(request, number)));
    }

    [Theory]
    [InlineData("q1#shadow", false)]          // no number
    [InlineData("q1#shadow12x", false)]
    [InlineData("q1#12", false)]
    [InlineData("how do I use #shadow mode", false)]
    [InlineData("q1#shadow0", true)]
    public void Only_the_mark_followed_by_a_number_at_the_end_is_a_shadowed_call(string query, bool shadowed)
        => Assert.Equal(shadowed, OutcomeQueries.IsShadowed(query));
}
