using System.Globalization;
using System.Text;
using RoutingSdk.Calibration;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration.Tests;

public class SharedOutcomesTests
{
    /// <summary>A task of <paramref name="queries"/> queries on the given models, every one with a confidence.</summary>
    private static TaskOutcomes Task(string name, int queries, params string[] models)
    {
        var csv = new StringBuilder("benchmark,query,model,correct,cost_usd,confidence,answer\n");
        for (var q = 0; q < queries; q++)
        {
            for (var m = 0; m < models.Length; m++)
                csv.Append(string.Create(CultureInfo.InvariantCulture, $"{name},{q},{models[m]},{(q + m) % 2},{m + 1},-{0.1 * (q % 7)},a{q % 3}\n"));
        }

        return TaskOutcomes.Group(OutcomeCsv.Parse(csv.ToString())).Single();
    }

    [Fact]
    public void Rows_come_from_the_other_tasks_that_ran_the_same_models_up_to_the_position()
    {
        var own = Task("own", 10, "small", "mid", "frontier");
        var same = Task("same", 30, "small", "mid", "frontier");
        var partly = Task("partly", 50, "small", "frontier");       // has no 'mid': only position 0 of small -> mid can use it
        var foreign = Task("foreign", 70, "a", "b");
        var shared = new SharedOutcomes(new[] { own, same, partly, foreign }, maxRows: 1000);

        var first = shared.Rows(own, new[] { 0, 1 }, 0);    // small, at position 0
        Assert.Equal(30 + 50, first.X.Count);                // never the task's own queries, never the foreign task's
        Assert.All(first.X, x => Assert.Equal(Acceptor.FeatureCount(0), x.Length));

        var second = shared.Rows(own, new[] { 0, 1 }, 1);   // small -> mid, at position 1: only 'same' ran both
        Assert.Equal(30, second.X.Count);
        Assert.All(second.X, x => Assert.Equal(Acceptor.FeatureCount(1), x.Length));
        // Whether the model at the position was right: 'mid' is model 1 of 'same', right when q + 1 is odd.
        Assert.Equal(Enumerable.Range(0, 30).Select(q => (double)((q + 1) % 2)), second.Y);
    }

    [Fact]
    public void At_most_the_cap_is_kept_evenly_spaced()
    {
        var own = Task("own", 10, "small", "frontier");
        var other = Task("other", 500, "small", "frontier");
        var capped = new SharedOutcomes(new[] { own, other }, maxRows: 100).Rows(own, new[] { 0, 1 }, 0);
        var full = new SharedOutcomes(new[] { own, other }, maxRows: 1000).Rows(own, new[] { 0, 1 }, 0);

        Assert.Equal(100, capped.X.Count);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => full.Y[i * 5]), capped.Y);
    }
}
