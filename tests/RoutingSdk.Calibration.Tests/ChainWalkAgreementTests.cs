using System.Globalization;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using RoutingSdk.Planning;
using RoutingSdk.Planning.Calibration;

namespace RoutingSdk.Calibration.Tests;

/// <summary>
/// The accept / escalate / skip walk exists once (<see cref="ChainWalk"/>): the router at run time, the evaluator's
/// replay and the calibrator's simulation decide the same recorded answers alike, query by query.
/// </summary>
public class ChainWalkAgreementTests
{
    private static readonly string[] Tiers = { "small", "mid", "frontier", "frontier-thinking" };

    private static readonly string[] Words = { "billing", "technical", "general" };

    /// <summary>
    /// Four tiers, 400 queries: each tier answers one of three words with a 0–1 score and a token count, at a cost that
    /// orders the tiers as the catalog does. Scores are written with the round-trip format, so that the outcome file's
    /// ln(score) and the router's are the same bits.
    /// </summary>
    private static (TaskOutcomes Data, double[][] Scores, string[][] Answers, int[][] Tokens) Outcomes(int queries = 400)
    {
        var random = new Random(11);
        var scores = new double[queries][];
        var answers = new string[queries][];
        var tokens = new int[queries][];
        var csv = new StringBuilder("benchmark,query,model,correct,cost_usd,tokens_out,confidence,answer\n");
        for (var q = 0; q < queries; q++)
        {
            scores[q] = new double[Tiers.Length];
            answers[q] = new string[Tiers.Length];
            tokens[q] = new int[Tiers.Length];
            for (var m = 0; m < Tiers.Length; m++)
            {
                // Some answers are certain (score 1), most are not; the later tiers agree with each other more often.
                scores[q][m] = random.Next(6) == 0 ? 1.0 : Math.Round(0.02 + random.NextDouble() * 0.97, 4);
                answers[q][m] = Words[random.Next(m == 0 ? 3 : 2)];
                tokens[q][m] = 1 + random.Next(400);
                csv.Append(string.Create(CultureInfo.InvariantCulture,
                    $"t,q{q},{Tiers[m]},{(answers[q][m] == "billing" ? 1 : 0)},{(m + 1) * 0.001:R},{tokens[q][m]},{scores[q][m]:R},{answers[q][m]}\n"));
            }
        }

        return (TaskOutcomes.Group(OutcomeCsv.Parse(csv.ToString())).Single(), scores, answers, tokens);
    }

    /// <summary>Acceptors at the first three positions; the first skips to the last tier below 0.2.</summary>
    private static Acceptor[] Acceptors() => new[]
    {
        new Acceptor(-1.0, new[] { 3.0, -0.2, -0.1 }, 0.55, 0.2),
        new Acceptor(-2.0, new[] { 2.0, -0.1, 0.05, 1.5, 1.0, -0.5 }, 0.6),
        new Acceptor(-1.5, new[] { 2.5, 0.0, -0.05, 0.5, 0.8, -0.3, 1.0, 0.6, -0.4 }, 0.5),
    };

    [Fact]
    public async Task The_router_the_evaluators_replay_and_the_calibrators_simulation_decide_every_query_alike()
    {
        var (data, scores, answers, tokens) = Outcomes();
        Assert.Equal(Tiers, data.Models);
        var acceptors = Acceptors();
        var calibration = new TaskCalibration("t", Tiers, new double[] { 1, 1, 1, 1 }, Array.Empty<ModelFigures>(), acceptors);
        var chain = Evaluator.ChainIndexes(calibration, data);

        var called = new List<int>();
        var query = 0;
        var clients = Tiers.Select((tier, m) => (IChatClient)new RecordedTier(() =>
        {
            called.Add(m);
            return Response(answers[query][m], scores[query][m], tokens[query][m]);
        })).ToArray();
        var options = new RoutingOptions();
        options.Scorers.Clear();
        options.Scorers.Add(AnswerScorers.ReportedConfidence);
        var router = new TaskRouter(tier => clients[Array.IndexOf(Tiers, tier)], new CostLedger(), options);
        var plan = new RoutePlan("Walk.Task", TaskKind.Classification, Complexity.Low, TierCatalog.BuiltIn, Tiers, 0.85, 0.9, 1m, 2m, acceptors: acceptors);

        var minProbability = acceptors.Select(a => a.MinProbability).ToArray();
        var decisions = new Dictionary<(int Position, bool Skipped), int>();
        for (query = 0; query < data.Queries.Count; query++)
        {
            called.Clear();
            var answer = await router.RouteAsync(plan, "q" + query, null, AnswerParsers.Text);
            var routerPosition = called[^1];
            var routerSkipped = called.Count < routerPosition + 1;
            Assert.Equal(answers[query][routerPosition], answer);

            var (replayPosition, _) = Evaluator.Replay(calibration, data, query, chain, thresholdsOnly: false, out var replaySkippedAt);

            // The simulation reads per-query probabilities (-1: none), as the calibrator's candidates hold them.
            var probability = new double[Tiers.Length];
            for (var k = 0; k < acceptors.Length; k++)
                probability[k] = data.AcceptorFeatures(query, chain, k) is { } features ? acceptors[k].Probability(features) : -1;
            var simulatedPosition = Calibrator.Answer(probability, minProbability, acceptors[0].SkipBelow, skipPositions: 1, Tiers.Length, out var simulatedSkippedAt);

            Assert.True(routerPosition == replayPosition && replayPosition == simulatedPosition,
                $"query {query}: the router answered at {routerPosition}, the replay at {replayPosition}, the simulation at {simulatedPosition}");
            Assert.True(routerSkipped == replaySkippedAt >= 0 && routerSkipped == simulatedSkippedAt >= 0,
                $"query {query}: skipped by the router {routerSkipped}, the replay {replaySkippedAt >= 0}, the simulation {simulatedSkippedAt >= 0}");
            decisions[(routerPosition, routerSkipped)] = decisions.GetValueOrDefault((routerPosition, routerSkipped)) + 1;
        }

        // The outcomes exercise every kind of decision: accepted at each position, and skips to the last tier.
        for (var position = 0; position < Tiers.Length; position++) Assert.True(decisions.GetValueOrDefault((position, false)) > 0, $"nothing answered at {position} without a skip");
        Assert.True(decisions.GetValueOrDefault((Tiers.Length - 1, true)) > 0, "no query skipped to the last tier");
    }

    private static ChatResponse Response(string text, double score, int outputTokens) => new(new ChatMessage(ChatRole.Assistant, text))
    {
        Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = outputTokens },
        AdditionalProperties = new AdditionalPropertiesDictionary { [TaskRouter.ConfidenceProperty] = score },
    };

    /// <summary>A tier that answers what the outcome file recorded for the query being routed.</summary>
    private sealed class RecordedTier(Func<ChatResponse> answer) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => Task.FromResult(answer());

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
