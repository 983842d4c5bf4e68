using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using RoutingSdk.Planning;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration;

/// <summary>One input of a trial: the prompt sent to every tier and, when known, the expected answer.</summary>
public sealed class TrialCase
{
    /// <summary>Creates a case.</summary>
    /// <param name="id">The query id written to the outcome file.</param>
    /// <param name="prompt">The user message.</param>
    /// <param name="expected">The expected answer, for graders that compare with it; null when unknown.</param>
    public TrialCase(string id, string prompt, string? expected = null)
    {
        Id = id ?? throw new ArgumentNullException(nameof(id));
        Prompt = prompt ?? throw new ArgumentNullException(nameof(prompt));
        Expected = expected;
    }

    /// <summary>The query id written to the outcome file.</summary>
    public string Id { get; }

    /// <summary>The user message.</summary>
    public string Prompt { get; }

    /// <summary>The expected answer, or null.</summary>
    public string? Expected { get; }
}

/// <summary>Grades one tier's answer to one case: 1 when right, 0 when wrong, or a 0–1 score.</summary>
public delegate ValueTask<double> TrialGrader(TrialCase trialCase, string answer, CancellationToken cancellationToken);

/// <summary>Ready-made graders for <see cref="TierTrial"/>.</summary>
public static class TrialGraders
{
    /// <summary>1 when the answer equals the case's expected answer (trimmed, case-insensitive, a final period ignored), else 0.</summary>
    public static TrialGrader ExactMatch { get; } = (c, answer, _) =>
    {
        if (c.Expected is null) throw new InvalidOperationException($"case '{c.Id}' has no expected answer for the exact-match grader");
        return new ValueTask<double>(string.Equals(AnswerKey.Normalize(answer), AnswerKey.Normalize(c.Expected), StringComparison.Ordinal) ? 1 : 0);
    };

    /// <summary>Wraps a user-supplied function (for example a unit test of generated code) as a grader.</summary>
    public static TrialGrader From(Func<TrialCase, string, double> grade)
    {
        if (grade is null) throw new ArgumentNullException(nameof(grade));
        return (c, answer, _) => new ValueTask<double>(Clamp(grade(c, answer)));
    }

    /// <summary>
    /// Asks a judge client (usually the frontier tier) whether the answer is right; it must reply with a number from 0
    /// to 1 (the first number in its reply is taken). A reply without a number grades 0.
    /// </summary>
    public static TrialGrader Judge(IChatClient judge, string? rubric = null)
    {
        if (judge is null) throw new ArgumentNullException(nameof(judge));
        return async (c, answer, cancellationToken) =>
        {
            var prompt = "Grade the answer to the request below. Reply with one number from 0 (wrong or unusable) to 1 (right and needs no editing)."
                + (rubric is null ? string.Empty : "\nRubric: " + rubric)
                + "\n\nRequest:\n" + c.Prompt
                + (c.Expected is null ? string.Empty : "\n\nReference answer:\n" + c.Expected)
                + "\n\nAnswer:\n" + answer;
            var response = await judge.GetResponseAsync(new[] { new ChatMessage(ChatRole.User, prompt) }, null, cancellationToken).ConfigureAwait(false);
            return ParseScore(response.Text);
        };
    }

    /// <summary>The first number in a judge's reply, clamped to 0–1; 0 when there is none.</summary>
    public static double ParseScore(string? reply)
    {
        if (reply is null) return 0;
        var start = -1;
        for (var i = 0; i < reply.Length; i++)
        {
            if (char.IsDigit(reply[i]) || (reply[i] == '.' && i + 1 < reply.Length && char.IsDigit(reply[i + 1])))
            {
                start = i;
                break;
            }
        }

        if (start < 0) return 0;
        var end = start;
        while (end < reply.Length && (char.IsDigit(reply[end]) || reply[end] == '.')) end++;
        return double.TryParse(reply.Substring(start, end - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? Clamp(value) : 0;
    }

    private static double Clamp(double value) => double.IsNaN(value) ? 0 : Math.Min(1, Math.Max(0, value));
}

/// <summary>
/// "Try it on every tier": sends the same cases to every tier of a catalog, grades each answer, and returns outcome rows
/// (write them with <see cref="OutcomeCsv.Write"/>, then calibrate). Cost comes from each response's usage and the
/// tier's prices (where a tier reports no usage, from an estimate at four characters a token, as the router books such
/// calls); confidence from <c>ChatResponse.AdditionalProperties[</c><see cref="TaskRouter.ConfidenceProperty"/><c>]</c>
/// and from token log-probabilities (<c>AdditionalProperties["logprobs"]</c>, the lower of the two) when the client
/// reports them, as the router's default scorers read them (the score the router compares with the acceptance thresholds).
/// </summary>
public sealed class TierTrial
{
    private readonly TierCatalog _catalog;
    private readonly Func<TierSpec, IChatClient> _clients;
    private readonly TimeProvider _time;

    /// <summary>Creates a trial over the tiers of <paramref name="catalog"/>, each called through the client <paramref name="clients"/> gives.</summary>
    public TierTrial(TierCatalog catalog, Func<TierSpec, IChatClient> clients)
        : this(catalog, clients, TimeProvider.System)
    {
    }

    /// <summary>
    /// Creates a trial over the tiers of <paramref name="catalog"/>, each called through the client <paramref name="clients"/>
    /// gives, timing each call (the outcome file's <c>latency_ms</c>) with <paramref name="timeProvider"/>'s monotonic
    /// timestamps.
    /// </summary>
    public TierTrial(TierCatalog catalog, Func<TierSpec, IChatClient> clients, TimeProvider timeProvider)
    {
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _clients = clients ?? throw new ArgumentNullException(nameof(clients));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
    }

    /// <summary>
    /// Runs every case on every tier (cheapest first) and grades each answer. A tier that throws for a case is recorded
    /// as wrong (score 0) at zero cost, with its error as the answer, so the outcome file stays complete; the caller's
    /// cancellation is never swallowed.
    /// </summary>
    /// <param name="taskName">The task name written to the file (as in <c>RoutePlan.TaskName</c>).</param>
    /// <param name="kind">The task's kind, passed to the clients as the router does.</param>
    /// <param name="complexity">The task's complexity.</param>
    /// <param name="cases">The inputs.</param>
    /// <param name="grader">Grades answers; see <see cref="TrialGraders"/>.</param>
    /// <param name="instructions">An optional system message.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public async Task<IReadOnlyList<Outcome>> RunAsync(string taskName, TaskKind kind, Complexity complexity, IReadOnlyList<TrialCase> cases,
        TrialGrader grader, string? instructions = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(taskName)) throw new ArgumentException("a task name is required", nameof(taskName));
        if (cases is null) throw new ArgumentNullException(nameof(cases));
        if (grader is null) throw new ArgumentNullException(nameof(grader));
        var rows = new List<Outcome>();
        foreach (var c in cases)
        {
            foreach (var tier in _catalog.Tiers)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var messages = new List<ChatMessage>();
                if (instructions is not null) messages.Add(new ChatMessage(ChatRole.System, instructions));
                messages.Add(new ChatMessage(ChatRole.User, c.Prompt));
                var options = new ChatOptions
                {
                    AdditionalProperties = new AdditionalPropertiesDictionary
                    {
                        [TaskRouter.TaskNameProperty] = taskName,
                        [TaskRouter.KindProperty] = kind,
                        [TaskRouter.ComplexityProperty] = complexity,
                    },
                };
                // Monotonic timestamps: the wall clock can be set back while a call runs.
                var started = _time.GetTimestamp();
                ChatResponse response;
                try
                {
                    response = await _clients(tier).GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
                {
                    rows.Add(new Outcome(taskName, c.Id, tier.Name, 0, 0, answer: "error: " + ex.Message.Replace('\n', ' '), tier: tier.Rank));
                    continue;
                }

                var latency = _time.GetElapsedTime(started).TotalMilliseconds;
                var text = response.Text ?? string.Empty;
                var score = await grader(c, text, cancellationToken).ConfigureAwait(false);
                // Booked as the router books a call: a tier that reports no usage is charged an estimate (four characters a
                // token), never nothing, so that the calibration does not take it for free.
                var (input, cached, output, reasoning, _) = CallRecorder.Tokens(response.Usage, RouteCall.CountCharacters(messages), text.Length);
                var cost = tier.Cost(input, cached, output, reasoning);
                var tokensOut = CallRecorder.OutputTokens(response.Usage, text.Length);
                rows.Add(new Outcome(taskName, c.Id, tier.Name, Math.Min(1, Math.Max(0, score)), (double)cost,
                    confidence: ReadConfidence(response), answer: AnswerKey.OneLine(text), tier: tier.Rank,
                    tokensIn: (int)Math.Min(int.MaxValue, input), tokensOut: (int)Math.Min(int.MaxValue, tokensOut), latencyMs: Math.Round(latency, 1)));
            }
        }

        return rows;
    }

    /// <summary>The confidence the tier reported (a confidence, token log-probabilities), read as the router's default scorers read it; null when none.</summary>
    private static double? ReadConfidence(ChatResponse response) => AnswerScorers.ResponseConfidence(response);
}
