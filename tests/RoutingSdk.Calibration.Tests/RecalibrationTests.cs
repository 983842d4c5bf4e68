using static RoutingSdk.Calibration.Tests.CliRunner;

namespace RoutingSdk.Calibration.Tests;

/// <summary><c>routing calibrate</c> over an existing file says which tasks' plans became dearer.</summary>
public sealed class RecalibrationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("routing-recalibrate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Task t on cheap (cost 1) and dear (cost 10); cheap is right on <paramref name="cheapRight"/> of every 10 queries, and says so.</summary>
    private string Outcomes(string name, int cheapRight)
    {
        var path = Path.Combine(_dir, name);
        using var writer = File.CreateText(path);
        writer.WriteLine("benchmark,query,model,correct,cost_usd,confidence,answer");
        for (var q = 0; q < 200; q++)
        {
            var right = q % 10 < cheapRight;
            writer.WriteLine(FormattableString.Invariant($"t,{q},cheap,{(right ? 1 : 0)},1,{(right ? -0.01 : -3)},{(right ? "a" : "b")}"));
            writer.WriteLine(FormattableString.Invariant($"t,{q},dear,1,10,-0.2,a"));
        }

        return path;
    }

    [Fact]
    public void A_task_whose_plan_becomes_dearer_is_warned_about()
    {
        var json = Path.Combine(_dir, "routing.calibration.json");
        var first = Run("calibrate", "--outcomes", Outcomes("good.csv", 8), "--out", json);
        Assert.True(first.Code == 0, first.Err);
        Assert.DoesNotContain("warning", first.Err);

        // Now cheap is right less often: more queries escalate to dear, and the plan costs more per call.
        var second = Run("calibrate", "--outcomes", Outcomes("worse.csv", 5), "--out", json);
        Assert.True(second.Code == 0, second.Err);
        Assert.Contains("warning: task 't' now costs $", second.Err);
        Assert.Contains("in the previous routing.calibration.json", second.Err);

        // The same outcomes again: nothing became dearer.
        var third = Run("calibrate", "--outcomes", Outcomes("worse.csv", 5), "--out", json);
        Assert.True(third.Code == 0, third.Err);
        Assert.DoesNotContain("warning", third.Err);
    }

    [Fact]
    public void A_cheaper_plan_is_not_warned_about()
    {
        var json = Path.Combine(_dir, "routing.calibration.json");
        Assert.Equal(0, Run("calibrate", "--outcomes", Outcomes("worse.csv", 5), "--out", json).Code);
        var better = Run("calibrate", "--outcomes", Outcomes("good.csv", 8), "--out", json);
        Assert.True(better.Code == 0, better.Err);
        Assert.Equal(string.Empty, better.Err);
    }
}
