using System.Globalization;
using System.Text;
using RoutingSdk.Calibration;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration.Tests;

/// <summary>Small synthetic outcome sets with known answers.</summary>
internal static class Synthetic
{
    /// <summary>
    /// Two models: "cheap" (cost 1) is right on 70% of queries and says so: confidence -0.01 when right, -3 when wrong;
    /// "dear" (cost 10) is right on 90%, always with confidence -0.2.
    /// </summary>
    public static TaskOutcomes SeparatingConfidence(int queries = 200) => Separating(queries, sure: -0.01, unsure: -3, dear: -0.2);

    /// <summary>
    /// <see cref="SeparatingConfidence"/> with the router's own 0–1 scores: 0.97 when cheap is right, 0.2 when it is
    /// wrong; dear always 0.8.
    /// </summary>
    public static TaskOutcomes SeparatingScores(int queries = 200) => Separating(queries, sure: 0.97, unsure: 0.2, dear: 0.8);

    private static TaskOutcomes Separating(int queries, double sure, double unsure, double dear)
    {
        var csv = new StringBuilder("benchmark,query,model,correct,cost_usd,confidence,answer\n");
        for (var q = 0; q < queries; q++)
        {
            var cheapRight = q % 10 < 7;
            var dearRight = q % 10 != 9;
            csv.Append(Inv($"t,{q},cheap,{(cheapRight ? 1 : 0)},1,{(cheapRight ? sure : unsure)},{(cheapRight ? "a" : "b")}\n"));
            csv.Append(Inv($"t,{q},dear,{(dearRight ? 1 : 0)},10,{dear},{(dearRight ? "a" : "c")}\n"));
        }

        return TaskOutcomes.Group(OutcomeCsv.Parse(csv.ToString())).Single();
    }

    /// <summary>Three models without confidence: qualities 0.6, 0.88 and 0.9 at costs 1, 3 and 10.</summary>
    public static TaskOutcomes NoConfidence(int queries = 200)
    {
        var csv = new StringBuilder("benchmark,query,model,correct,cost_usd\n");
        for (var q = 0; q < queries; q++)
        {
            csv.Append(Inv($"t,{q},small,{(q % 10 < 6 ? 1 : 0)},1\n"));
            csv.Append(Inv($"t,{q},mid,{(q % 50 < 44 ? 1 : 0)},3\n"));
            csv.Append(Inv($"t,{q},large,{(q % 10 < 9 ? 1 : 0)},10\n"));
        }

        return TaskOutcomes.Group(OutcomeCsv.Parse(csv.ToString())).Single();
    }

    /// <summary>
    /// Three models whose own confidence says nothing (always -0.5): "a" (cost 1) and "b" (cost 2) are right on the
    /// same 70% of queries and then give the same answer, else different wrong ones; "c" (cost 10) is right on 90%.
    /// Only agreement between a and b tells a right answer.
    /// </summary>
    public static TaskOutcomes AgreementOnly(int queries = 200)
    {
        var csv = new StringBuilder("benchmark,query,model,correct,cost_usd,confidence,answer\n");
        for (var q = 0; q < queries; q++)
        {
            var right = q % 10 < 7;
            csv.Append(Inv($"t,{q},a,{(right ? 1 : 0)},1,-0.5,{(right ? "x" : "p" + q)}\n"));
            csv.Append(Inv($"t,{q},b,{(right ? 1 : 0)},2,-0.5,{(right ? "x" : "q" + q)}\n"));
            csv.Append(Inv($"t,{q},c,{(q % 10 != 9 ? 1 : 0)},10,-0.5,{(q % 10 != 9 ? "x" : "r")}\n"));
        }

        return TaskOutcomes.Group(OutcomeCsv.Parse(csv.ToString())).Single();
    }

    /// <summary>
    /// Three models where the middle one only helps the cheap one's doubtful answers: "a" (cost 1) is right and sure
    /// (-0.01) on 60% of queries, doubtful (-1.5) on 20%, which "b" (cost 3) answers right and sure, and lost (-4) on
    /// 20%, which b gets wrong (confidence -1) and only "c" (cost 10) answers right. c is wrong on 5% of the queries a is
    /// sure of. Sending a's lost answers straight to c saves b's cost on them.
    /// </summary>
    public static TaskOutcomes MiddleTierOnlyForDoubt(int queries = 200)
    {
        var csv = new StringBuilder("benchmark,query,model,correct,cost_usd,confidence,answer\n");
        for (var q = 0; q < queries; q++)
        {
            var group = q % 10 < 6 ? "sure" : q % 10 < 8 ? "doubtful" : "lost";
            var aRight = group == "sure";
            var bRight = group != "lost";
            var cRight = q % 20 != 0;
            csv.Append(Inv($"t,{q},a,{(aRight ? 1 : 0)},1,{(group == "sure" ? -0.01 : group == "doubtful" ? -1.5 : -4)},{(aRight ? "x" : "p" + q)}\n"));
            csv.Append(Inv($"t,{q},b,{(bRight ? 1 : 0)},3,{(bRight ? -0.01 : -1)},{(bRight ? "x" : "q" + q)}\n"));
            csv.Append(Inv($"t,{q},c,{(cRight ? 1 : 0)},10,-0.2,{(cRight ? "x" : "r" + q)}\n"));
        }

        return TaskOutcomes.Group(OutcomeCsv.Parse(csv.ToString())).Single();
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
