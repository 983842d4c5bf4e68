using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Invocation;
using System.IO;
using System.Linq;
using RoutingSdk.Calibration;
using RoutingSdk.Planning.Calibration;
using RoutingSdk.Planning.Guardrail;
using static RoutingSdk.Cli.CliApp;

namespace RoutingSdk.Cli;

/// <summary>
/// <c>routing evaluate --online</c>: replays an outcome file in row order through a calibration with the shadow guardrail
/// (<see cref="OnlineReplay"/>, the kernel code the router runs) and prints, per task, quality and cost relative to the
/// best model — shadow calls included — next to the static replay, the shadow share of the cost and how often it tightened.
/// </summary>
internal static class OnlineEvaluation
{
    /// <summary>
    /// Adds the options of the online replay to <paramref name="evaluate"/> and runs it when <c>--online</c> is given;
    /// <paramref name="notOnline"/> are the options of <paramref name="evaluate"/> it refuses (it would not read them).
    /// </summary>
    public static void Attach(Command evaluate, Option<FileInfo> outcomes, Option<FileInfo?> calibrationFile, Option<bool> thresholdsOnly, IReadOnlyList<Option> notOnline,
        TextWriter output, TextWriter error)
    {
        var online = new Option<bool>("--online")
        {
            Description = "Replay the queries in file order with the shadow guardrail (as the router runs it with RoutingOptions.Shadow): quality and cost with shadow calls, tightenings",
        };
        var rate = OptionValues.Decimal("--shadow-rate", 0.02, "With --online: the share of answers accepted below the last tier that are shadowed (0: none)");
        var sampleRate = OptionValues.Decimal("--calibration-rate", 0,
            "With --online: the share of the queries sent again to every tier of the chain for the calibration sample (ShadowOptions.CalibrationRate), counted as shadow cost");
        var cap = OptionValues.Decimal("--shadow-cap", 0.05, "With --online: shadow calls stop while they cost more than this share (0–1) of the routed calls");
        var sampleCap = OptionValues.Decimal("--calibration-cap", 0.05,
            "With --online: calibration samples stop while they cost more than this share (0–1) of the routed calls (their own cap)");
        var agreement = OptionValues.OptionalDecimal("--required-agreement",
            "With --online: the share of its baseline agreement with the last tier a position must keep (default: the calibration's target, else 0.95)");
        var byCorrectness = CompareByCorrectnessOption("With --online: compare the shadowed answers");
        var window = new Option<int>("--shadow-window") { Description = "With --online: comparisons per position in the agreement window", DefaultValueFactory = _ => 500 };
        var minSamples = new Option<int>("--shadow-min-samples") { Description = "With --online: comparisons a position needs before the guardrail acts", DefaultValueFactory = _ => 100 };
        var onlineOnly = new Option[] { rate, sampleRate, cap, sampleCap, agreement, window, minSamples, byCorrectness };
        foreach (var option in onlineOnly.Prepend(online)) evaluate.Options.Add(option);
        var staticAction = (SynchronousCommandLineAction)evaluate.Action!;
        evaluate.SetAction(parse => !parse.GetValue(online)
            ? Guard(error, () =>
            {
                // Without --online the guardrail's options would be read by nothing.
                if (onlineOnly.FirstOrDefault(o => OptionValues.Given(parse, o)) is { } unread) throw new UsageException($"{unread.Name} sets the online replay: add --online");
                return staticAction.Invoke(parse);
            })
            : Guard(error, () =>
        {
            var file = parse.GetValue(calibrationFile) ?? throw new UsageException("--online replays a calibration: give --calibration");
            // The online replay runs the file's plans once, in file order: a fold count, repeats, a plot or a fitting option would be read by nothing.
            if (notOnline.FirstOrDefault(o => OptionValues.Given(parse, o)) is { } unread)
                throw new UsageException($"{unread.Name} does not go with --online, which replays --calibration once in file order and prints its table (drop {unread.Name}, or --online)");
            // Shares as the router's ShadowOptions takes them: a NaN or negative cap would silently stop every shadow call.
            double Share(Option<double> option)
            {
                var value = parse.GetValue(option);
                if (!(value >= 0 && value <= 1)) throw new UsageException($"{option.Name} {F(value, "G")} is outside [0, 1]");
                return value;
            }

            var shadowRate = Share(rate);
            var calibrationRate = Share(sampleRate);
            var shadowCap = Share(cap);
            var calibrationCap = Share(sampleCap);
            var calibration = LoadCalibration(file);
            var required = parse.GetValue(agreement) ?? calibration.Target ?? 0.95;
            GuardSettings settings;
            try
            {
                settings = new GuardSettings(required, parse.GetValue(window), parse.GetValue(minSamples));
            }
            catch (ArgumentOutOfRangeException ex)
            {
                // GuardSettings holds the ranges; the error names the option that carried the figure, not the parameter.
                var option = ex.ParamName switch
                {
                    "requiredAgreement" => agreement.Name,
                    "window" => window.Name,
                    "minSamples" => minSamples.Name,
                    _ => ex.ParamName,
                };
                var reason = ex.Message.Split('\n')[0].Replace($" (Parameter '{ex.ParamName}')", string.Empty);
                var given = ex.ActualValue is double d ? F(d, "G") : Convert.ToString(ex.ActualValue, System.Globalization.CultureInfo.InvariantCulture);
                throw new UsageException($"{option} {given}: {reason}" + (ex.ParamName == "minSamples" ? $" ({window.Name} {parse.GetValue(window)})" : string.Empty));
            }

            var tasks = LoadOutcomes(parse.GetValue(outcomes)!);
            var results = new List<OnlineTaskEvaluation>();
            foreach (var plan in calibration.Tasks)
            {
                var data = tasks.FirstOrDefault(t => t.Task == plan.Task);
                if (data is null)
                {
                    error.WriteLine($"warning: no outcomes for task {plan.Task}; skipped");
                    continue;
                }

                results.Add(OnlineReplay.Run(plan, data, settings, shadowRate, shadowCap, parse.GetValue(thresholdsOnly), parse.GetValue(byCorrectness), calibrationRate, calibrationCap));
            }

            if (results.Count == 0) throw new UsageException("no task of the calibration has outcomes in the file");
            Write(output, results, settings, shadowRate, calibrationRate);
            ReportNothingRight(error, tasks.Where(t => results.Any(r => r.Static.Task == t.Task)).ToArray());
            ReportFreeBestModels(error, results.SelectMany(r => new[] { (r.Static, r.Static.RelativeCost), (r.Static, r.RelativeCost) }));
            return 0;
        }));
    }

    /// <summary>
    /// <c>--compare-by-correctness</c>, of <c>calibrate</c> (the baselines it records) and <c>evaluate --online</c> (the
    /// comparisons it replays): two answers agree when both are right or both wrong, as a judge would say for free text.
    /// </summary>
    internal static Option<bool> CompareByCorrectnessOption(string what) => new("--compare-by-correctness")
    {
        Description = what + " as a judge would: agreeing when both are right or both wrong (for free text, whose recorded answers never match word for word); default: the recorded answers",
    };

    private static void Write(TextWriter output, IReadOnlyList<OnlineTaskEvaluation> results, GuardSettings settings, double rate, double calibrationRate)
    {
        output.WriteLine($"Online replay in file order with the shadow guardrail: {F(rate * 100, "0.##")} % of the answers accepted below the last tier shadowed, "
            + (calibrationRate > 0 ? $"{F(calibrationRate * 100, "0.##")} % of the queries sampled on every tier for calibration, " : string.Empty)
            + $"agreement needed {F(settings.RequiredAgreement, "0.###")} of the baseline (bounds at z {F(settings.Z, "0.###")} over the last {settings.Window} comparisons, acting after {settings.MinSamples}). Relative to the best single model; online cost includes shadow calls"
            + (calibrationRate > 0 ? " and samples." : "."));
        var rows = new List<string[]> { new[] { "task", "queries", "static quality", "static cost", "online quality", "online cost", "shadow share", "shadow calls", "samples", "tightened" } };
        rows.AddRange(results.Select(r => new[]
        {
            r.Static.Task, r.Static.Queries.ToString(System.Globalization.CultureInfo.InvariantCulture), Times(r.Static.RelativeQuality), Times(r.Static.RelativeCost),
            Times(r.RelativeQuality), Times(r.RelativeCost), F(r.ShadowShare * 100, "0.0") + " %",
            r.ShadowCalls.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Samples.ToString(System.Globalization.CultureInfo.InvariantCulture),
            r.Tightenings.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));
        Table.Write(output, rows);
        output.WriteLine($"Geometric mean: static quality {Times(Evaluation.GeometricMean(results.Select(r => r.Static.RelativeQuality)))} at cost {Times(Evaluation.GeometricMean(results.Select(r => r.Static.RelativeCost)))}; "
            + $"online quality {Times(Evaluation.GeometricMean(results.Select(r => r.RelativeQuality)))} at cost {Times(Evaluation.GeometricMean(results.Select(r => r.RelativeCost)))}.");
    }
}
