using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using Microsoft.Extensions.AI;
using RoutingSdk.Calibration;
using RoutingSdk.Planning;
using RoutingSdk.Planning.Calibration;
using RoutingSdk.Simulation;

namespace RoutingSdk.Cli;

/// <summary><c>routing try</c>: one task's prompts on every tier (real endpoints or the simulated tiers), graded, written as an outcome file.</summary>
internal static class TryCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var task = new Option<string>("--task") { Description = "The task name written to the outcome file (as in RoutePlan.TaskName)", DefaultValueFactory = _ => "Trial" };
        var kind = new Option<TaskKind>("--task-kind") { Description = "The task's kind", Required = true, CustomParser = r => OptionValues.ReadChoice<TaskKind>(r, "--task-kind") };
        var complexity = OptionValues.Choice("--complexity", Complexity.Medium, "The task's complexity");
        var inputs = new Option<FileInfo>("--inputs") { Description = "One input per line", Required = true };
        var expected = new Option<FileInfo?>("--expected") { Description = "One expected answer per line, matching --inputs (for the exact-match grader and the simulation)" };
        var prompt = new Option<string>("--prompt") { Description = "Prompt template; {input} is replaced by each input line", DefaultValueFactory = _ => "{input}" };
        var grader = new Option<string>("--grader")
        {
            Description = "exact (the answer must equal the expected one) or judge (the highest tier grades every answer from 0 to 1)",
            DefaultValueFactory = _ => "exact",
        };
        grader.AcceptOnlyFromAmong("exact", "judge");
        var tiers = new Option<string[]>("--tier")
        {
            HelpName = "NAME=URL#MODEL",
            Description = "A real tier: NAME=URL#MODEL, an OpenAI-compatible endpoint (its base URL, e.g. https://api.openai.com/v1) and a model id; repeat once per tier, cheapest first",
        };
        var prices = new Option<string[]>("--price")
        {
            HelpName = "NAME=INPUT/OUTPUT",
            Description = "A tier's prices: NAME=INPUT/OUTPUT in USD per million tokens (e.g. small=0.15/0.6); the built-in tier names small, mid, frontier and frontier-thinking default to the built-in prices",
        };
        var keys = new Option<string[]>("--api-key-env")
        {
            HelpName = "VARIABLE|NAME=VARIABLE",
            Description = $"The environment variable that holds the API key: VAR for every tier, NAME=VAR for one tier (default {TierEndpoint.DefaultKeyVariable}; the key is never printed)",
        };
        var logprobs = new Option<bool>("--logprobs")
        {
            Description = "Ask the real tiers for token log-probabilities and record each answer's confidence as their geometric mean (what the router's AnswerScorers.LogProbabilities scores; calibration learns thresholds on it)",
        };
        var simulated = new Option<bool>("--simulated") { Description = "Use the offline simulated tiers (no API key, no network) instead of --tier" };
        var seed = new Option<int>("--seed") { Description = "Seed of the simulation", DefaultValueFactory = _ => 0 };
        var outFile = new Option<FileInfo>("--out") { Description = "Where to write the outcome CSV", DefaultValueFactory = _ => new FileInfo("outcomes.csv") };
        var command = new Command("try", "Run one task's prompts on every tier for N inputs, grade the answers and write the outcome CSV that 'calibrate' reads. The tiers are real models behind OpenAI-compatible endpoints (--tier NAME=URL#MODEL, once per tier, the key from an environment variable) or the offline simulated tiers (--simulated).")
        {
            task, kind, complexity, inputs, expected, prompt, grader, tiers, prices, keys, logprobs, simulated, seed, outFile,
        };
        command.SetAction(parse => CliApp.Guard(error, () =>
        {
            var specs = parse.GetValue(tiers) ?? Array.Empty<string>();
            var isSimulated = parse.GetValue(simulated);
            if (isSimulated && specs.Length > 0) throw new UsageException("give either --tier (real models) or --simulated, not both");
            if (!isSimulated && specs.Length == 0)
                throw new UsageException($"give the tiers to try: --tier {TierEndpoint.SpecForm} once per tier, cheapest first (the key from ${TierEndpoint.DefaultKeyVariable}), or --simulated for the offline simulated tiers");
            if (isSimulated && ((parse.GetValue(prices)?.Length ?? 0) > 0 || (parse.GetValue(keys)?.Length ?? 0) > 0 || parse.GetValue(logprobs)))
                throw new UsageException("--price, --api-key-env and --logprobs go with --tier, not --simulated");
            // The tiers and keys are checked before any file is read or written, and before any call.
            var endpoints = isSimulated ? null : TierEndpoint.Parse(specs, parse.GetValue(prices) ?? Array.Empty<string>(), parse.GetValue(keys) ?? Array.Empty<string>());
            var secrets = endpoints?.Select(e => e.ReadKey()).ToArray();
            var path = parse.GetValue(outFile)!;
            CliApp.RequireWritable(path, "--out", (parse.GetValue(inputs), "--inputs"), (parse.GetValue(expected), "--expected"));
            var inputFile = parse.GetValue(inputs)!;
            CliApp.RequireFile(inputFile, "input file");
            var lines = File.ReadAllLines(inputFile.FullName).Where(l => l.Trim().Length > 0).ToArray();
            if (lines.Length == 0) throw new UsageException($"input file {inputFile.Name} has no input");
            string[]? answers = null;
            if (parse.GetValue(expected) is { } expectedFile)
            {
                CliApp.RequireFile(expectedFile, "expected-answer file");
                answers = File.ReadAllLines(expectedFile.FullName).Where(l => l.Trim().Length > 0).ToArray();
                if (answers.Length != lines.Length)
                    throw new UsageException($"{expectedFile.Name} has {answers.Length} answers for {lines.Length} inputs; give one per input");
            }

            var judged = parse.GetValue(grader) == "judge";
            if (answers is null && (isSimulated || !judged)) throw new UsageException("the simulation and the exact-match grader need --expected");
            var template = parse.GetValue(prompt)!;
            var cases = lines.Select((l, i) => new TrialCase((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), template.Replace("{input}", l.Trim()), answers?[i].Trim())).ToArray();
            var taskName = parse.GetValue(task)!;
            TierCatalog catalog;
            IReadOnlyDictionary<string, IChatClient> clients;
            IChatClient? judge = null;
            if (endpoints is null)
            {
                var byPrompt = cases.ToDictionary(c => c.Prompt, c => c.Expected!, StringComparer.Ordinal);
                var labels = answers!.Select(a => a.Trim()).Distinct(StringComparer.Ordinal).ToArray();
                catalog = TierCatalog.BuiltIn;
                clients = catalog.Tiers.ToDictionary(t => t.Name, t => (IChatClient)new SimulatedChatClient(t, request => Book(request, byPrompt, labels), parse.GetValue(seed)));
            }
            else
            {
                catalog = new TierCatalog(endpoints.Select(e => e.Tier));
                clients = endpoints.Select((e, i) => (e.Tier.Name, Client: (IChatClient)EndpointClients.Create(e, secrets![i], parse.GetValue(logprobs))))
                    .ToDictionary(p => p.Name, p => p.Client, StringComparer.Ordinal);
                // The judge's calls are its own: they are not the tier's answers, and are not counted with them.
                var reference = endpoints.Single(e => e.Tier.Name == catalog.Reference!.Name);
                judge = EndpointClients.Create(reference, secrets![endpoints.ToList().IndexOf(reference)], logProbabilities: false);
            }

            var trial = new TierTrial(catalog, t => clients[t.Name]);
            var grade = judged ? TrialGraders.Judge(judge ?? clients[catalog.Reference!.Name]) : TrialGraders.ExactMatch;
            IReadOnlyList<Outcome> rows;
            try
            {
                rows = trial.RunAsync(taskName, parse.GetValue(kind), parse.GetValue(complexity), cases, grade).GetAwaiter().GetResult();
            }
            catch (Exception ex) when (judged && judge is not null && ex is not OperationCanceledException)
            {
                // A tier's own failures are recorded as outcomes; a failing judge leaves an answer ungraded.
                throw new UsageException($"the judge (tier '{catalog.Reference!.Name}') failed: {ex.Message}; no outcome file was written");
            }

            if (endpoints is not null) ReportFailures(error, endpoints, clients, cases.Length);
            CliApp.WriteAtomically(path, writer => OutcomeCsv.Write(writer, rows));

            var table = new List<string[]> { new[] { "tier", "quality", "USD per call" } };
            foreach (var tier in catalog.Tiers)
            {
                var mine = rows.Where(r => r.Model == tier.Name).ToArray();
                table.Add(new[] { tier.Name, CliApp.F(mine.Average(r => r.Correct), "0.000"), CliApp.F(mine.Average(r => r.CostUsd), "0.000000") });
            }

            Table.Write(output, table);
            output.WriteLine(endpoints is null
                ? $"Wrote {rows.Count} outcomes ({cases.Length} inputs × {catalog.Tiers.Count} simulated tiers) to {path.FullName}"
                : $"Wrote {rows.Count} outcomes ({cases.Length} inputs × {catalog.Tiers.Count} tiers: {string.Join(", ", endpoints)}) to {path.FullName}");
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// Fails the command when a tier answered none of the inputs (an unreachable endpoint, a wrong model id or key: the file
    /// would only record errors), and warns per tier where some calls failed (recorded as wrong at zero cost).
    /// </summary>
    private static void ReportFailures(TextWriter error, IReadOnlyList<TierEndpoint> endpoints, IReadOnlyDictionary<string, IChatClient> clients, int calls)
    {
        var dead = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var watched = (WatchedTierClient)clients[endpoint.Tier.Name];
            if (watched.Failures == 0) continue;
            var line = $"tier '{endpoint.Tier.Name}' (model {endpoint.Model} at {endpoint.Endpoint}): {watched.Failures} of {calls} calls failed; the first: {watched.FirstFailure}";
            if (watched.Failures >= calls) dead.Add(line);
            else error.WriteLine("warning: " + line + " (recorded as wrong at zero cost)");
        }

        if (dead.Count > 0) throw new UsageException(string.Join(Environment.NewLine, dead) + Environment.NewLine + "no outcome file was written");
    }

    /// <summary>The simulation's answer book: the expected answer is right; another label (or a negation) is wrong.</summary>
    private static SimulatedAnswer Book(SimulatedRequest request, IReadOnlyDictionary<string, string> byPrompt, IReadOnlyList<string> labels)
    {
        if (!byPrompt.TryGetValue(request.Prompt, out var right))
        {
            // A judge's grading prompt: the simulated judge answers 1 when the graded answer is the reference answer.
            var reference = Between(request.Prompt, "Reference answer:\n", "\n\nAnswer:\n");
            var answer = request.Prompt.Substring(request.Prompt.LastIndexOf("\n\nAnswer:\n", StringComparison.Ordinal) + 10);
            var verdict = reference is not null && string.Equals(AnswerKey.Normalize(reference), AnswerKey.Normalize(answer), StringComparison.Ordinal) ? "1" : "0";
            return new SimulatedAnswer(verdict, verdict);
        }

        var wrong = labels.FirstOrDefault(l => !string.Equals(l, right, StringComparison.Ordinal)) ?? "not " + right;
        return new SimulatedAnswer(right, wrong);
    }

    private static string? Between(string text, string start, string end)
    {
        var i = text.IndexOf(start, StringComparison.Ordinal);
        if (i < 0) return null;
        i += start.Length;
        var j = text.IndexOf(end, i, StringComparison.Ordinal);
        return j < 0 ? null : text.Substring(i, j - i);
    }
}
