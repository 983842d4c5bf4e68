using System;
using System.Collections.Generic;
using System.Linq;
using RoutingSdk.Planning;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration;

/// <summary>One model's measured and predicted quality in a <see cref="TaskForecast"/>.</summary>
internal sealed record ForecastPoint(string Model, double CostUsd, double MeasuredQuality, double PredictedQuality);

/// <summary>
/// A task's scaling fit: quality ≈ <see cref="Intercept"/> + <see cref="Slope"/> · ln(cost per call), least squares
/// over its models, with the root-mean-square error of the fit.
/// </summary>
internal sealed record TaskForecast(string Task, double Intercept, double Slope, double RootMeanSquareError, IReadOnlyList<ForecastPoint> Points)
{
    /// <summary>The predicted quality at a cost per call (clamped to 0–1).</summary>
    public double Predict(double costUsd) => costUsd > 0 ? Math.Min(1, Math.Max(0, Intercept + Slope * Math.Log(costUsd))) : 0;

    /// <summary>The cheapest model whose predicted quality meets <paramref name="target"/>, or null.</summary>
    public ForecastPoint? CheapestMeeting(double target) => Points.OrderBy(p => p.CostUsd).FirstOrDefault(p => p.PredictedQuality >= target);

    /// <summary>The cost per call at which the fit reaches <paramref name="target"/>, or null when it never does (flat or falling fit).</summary>
    public double? CostFor(double target) => Slope > 1e-12 ? Math.Exp((target - Intercept) / Slope) : null;
}

/// <summary>Fits quality against log-cost per task.</summary>
internal static class Forecaster
{
    /// <summary>Fits every task.</summary>
    public static IReadOnlyList<TaskForecast> Fit(IReadOnlyList<TaskOutcomes> tasks) =>
        (tasks ?? throw new ArgumentNullException(nameof(tasks))).Select(Fit).ToArray();

    /// <summary>Fits one task over its models (mean correctness against ln of mean cost per call).</summary>
    public static TaskForecast Fit(TaskOutcomes task)
    {
        if (task is null) throw new ArgumentNullException(nameof(task));
        var points = Enumerable.Range(0, task.Models.Count)
            .Select(m => (Model: task.Models[m], Cost: task.MeanCost(m), Quality: task.Quality(m)))
            .Where(p => p.Cost > 0).ToArray();
        double intercept, slope;
        if (points.Length == 0)
        {
            intercept = 0;
            slope = 0;
        }
        else
        {
            var xs = points.Select(p => Math.Log(p.Cost)).ToArray();
            var mx = xs.Average();
            var my = points.Average(p => p.Quality);
            var sxx = xs.Sum(x => (x - mx) * (x - mx));
            slope = sxx > 1e-12 ? xs.Select((x, i) => (x - mx) * (points[i].Quality - my)).Sum() / sxx : 0;
            intercept = my - slope * mx;
        }

        var forecast = new TaskForecast(task.Task, intercept, slope, 0, Array.Empty<ForecastPoint>());
        var fitted = points.Select(p => new ForecastPoint(p.Model, p.Cost, p.Quality, forecast.Predict(p.Cost))).ToArray();
        var rmse = fitted.Length == 0 ? 0 : Math.Sqrt(fitted.Average(p => (p.PredictedQuality - p.MeasuredQuality) * (p.PredictedQuality - p.MeasuredQuality)));
        return forecast with { RootMeanSquareError = rmse, Points = fitted };
    }
}
