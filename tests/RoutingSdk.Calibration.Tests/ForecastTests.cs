using System.Globalization;
using System.Text;
using RoutingSdk.Calibration;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration.Tests;

public class ForecastTests
{
    [Fact]
    public void An_exact_log_linear_set_is_fitted_exactly()
    {
        // quality = 1 + 0.05 ln(cost) at costs e^-10 .. e^-2 -> 0.5, 0.6, 0.7, 0.8, 0.9; 20 queries each.
        var csv = new StringBuilder("benchmark,query,model,correct,cost_usd\n");
        var exponents = new[] { -10, -8, -6, -4, -2 };
        for (var q = 0; q < 20; q++)
        {
            for (var m = 0; m < exponents.Length; m++)
            {
                var right = q < 10 + 2 * m ? 1 : 0;
                csv.Append(string.Format(CultureInfo.InvariantCulture, "t,{0},m{1},{2},{3:R}\n", q, m, right, Math.Exp(exponents[m])));
            }
        }

        var forecast = Forecaster.Fit(TaskOutcomes.Group(OutcomeCsv.Parse(csv.ToString())).Single());
        Assert.Equal(0.05, forecast.Slope, 9);
        Assert.Equal(1.0, forecast.Intercept, 9);
        Assert.Equal(0, forecast.RootMeanSquareError, 9);
        Assert.Equal("m3", forecast.CheapestMeeting(0.79)!.Model);
        Assert.Null(forecast.CheapestMeeting(0.95));
        Assert.Equal(Math.Exp(-1), forecast.CostFor(0.95)!.Value, 9);
        Assert.Equal(0.7, forecast.Predict(Math.Exp(-6)), 9);
    }
}
