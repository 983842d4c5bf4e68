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

/// <summary><c>routing try</c>: one task's prompts on every tier, graded, written as an outcome file.</summary>
internal static class TryCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var task = new Option<string>("--task") { Description = "The task name written to the outcome file (as in RoutePlan.TaskName)", DefaultValueFactory = _ => "Trial" };
        var kind = new Option<TaskKind>("--task-kind") { Description = "The task's kind", Required = true };
        var complexity = new Option<Complexity>("--complexity") { Description = "The task's complexity", DefaultValueFactory = _ => Complexity.Medium };
        var inputs = new Option<FileInfo>("--inputs") { Description = "One input per line", Required = true };
        var expected = new Option<FileInfo?>("--expected") { Description = "One expected answer per line, matching --inputs (for the exact-match grader and the simulation)" };
        var prompt = new Option<string>("--prompt") { Description = "Prompt template; {input} is replaced by each input line", DefaultValueFactory = _ => "{input}" };
        var grader = new Option<string>("--grader")
        {
            Description = "exact (the answer must equal the expected one) or judge (the highest tier grades every answer from 0 to 1)",
            DefaultValueFactory = _ => "exact",
        };
        grader.AcceptOnlyFromAmong("exact", "judge");
        var simulated = new Option<bool>("--simulated") { Description = "Use the offline simulated tiers (no API key, no network)" };
        var seed = new Option<int>("--seed") { Description = "Seed of the simulation", DefaultValueFactory = _ => 0 };
        var outFile = new Option<FileInfo>("--out") { Description = "Where to write the outcome CSV", DefaultValueFactory = _ => new FileInfo("outcomes.csv") };
        var command = new Command("try", "Run one task's prompts on every tier for N inputs, grade the answers and write the outcome CSV that 'calibrate' reads. From the command line it runs on the simulated tiers; use the TierTrial API with your own IChatClients for real models.")
        {
            task, kind, complexity, inputs, expected, prompt, grader, simulated, seed, outFile,
        };
        command.SetAction(parse => CliApp.Guard(error, () =>
        {
            if (!parse.GetValue(simulated))
                throw new UsageException("from the command line 'try' runs on the simulated tiers: pass --simulated (for real models call RoutingSdk.Calibration.TierTrial with your IChatClients)");
            var path = parse.GetValue(outFile)!;
            CliApp.RequireWritable(path, "--out");
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

            if (answers is null) throw new UsageException("the simulation and the exact-match grader need --expected");
            var template = parse.GetValue(prompt)!;
            var cases = lines.Select((l, i) => new TrialCase((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), template.Replace("{input}", l.Trim()), answers[i].Trim())).ToArray();
            var byPrompt = cases.ToDictionary(c => c.Prompt, c => c.Expected!, StringComparer.Ordinal);
            var labels = answers.Select(a => a.Trim()).Distinct(StringComparer.Ordinal).ToArray();
            var catalog = TierCatalog.BuiltIn;
            var clients = catalog.Tiers.ToDictionary(t => t.Name, t => (IChatClient)new SimulatedChatClient(t, request => Book(request, byPrompt, labels), parse.GetValue(seed)));
            var trial = new TierTrial(catalog, t => clients[t.Name]);
            var grade = parse.GetValue(grader) == "judge" ? TrialGraders.Judge(clients[catalog.Reference!.Name]) : TrialGraders.ExactMatch;
            var rows = trial.RunAsync(parse.GetValue(task)!, parse.GetValue(kind), parse.GetValue(complexity), cases, grade).GetAwaiter().GetResult();
            CliApp.WriteAtomically(path, writer => OutcomeCsv.Write(writer, rows));

            var table = new List<string[]> { new[] { "tier", "quality", "USD per call" } };
            foreach (var tier in catalog.Tiers)
            {
                var mine = rows.Where(r => r.Model == tier.Name).ToArray();
                table.Add(new[] { tier.Name, CliApp.F(mine.Average(r => r.Correct), "0.000"), CliApp.F(mine.Average(r => r.CostUsd), "0.000000") });
            }

            Table.Write(output, table);
            output.WriteLine($"Wrote {rows.Count} outcomes ({cases.Length} inputs × {catalog.Tiers.Count} simulated tiers) to {path.FullName}");
            return 0;
        }));
        return command;
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
