using System.Diagnostics;
using System.Threading.Tasks;
using System.Net;
using System.Net.Sockets;
using RoutingSdk.Testing;
using static RoutingSdk.Calibration.Tests.CliRunner;

namespace RoutingSdk.Calibration.Tests;

/// <summary><c>routing try</c> on real endpoints: three model ids of the local OpenAI-compatible server as three tiers.</summary>
public sealed class TryOnEndpointsTests : IDisposable
{
    private const string Key = "sk-local-test-key";

    // tiny is right on 2 of 4 inputs, medium on 3, large on all; each rule's log-probability is the answer's confidence.
    private const string Models = """
        {
          "models": {
            "tiny":   { "answer": "general", "promptTokens": 100, "completionTokens": 2, "logprob": -2.0,
                        "rules": [ { "when": "refund", "answer": "billing", "logprob": -0.05 }, { "when": "crash", "answer": "technical", "logprob": -0.1 } ] },
            "medium": { "answer": "general", "promptTokens": 100, "completionTokens": 2, "logprob": -0.02,
                        "rules": [ { "when": "refund", "answer": "billing" }, { "when": "crash", "answer": "technical" }, { "when": "invoice", "answer": "billing" } ] },
            "large":  { "answer": "general", "promptTokens": 100, "completionTokens": 2, "logprob": -0.01,
                        "rules": [ { "when": "refund", "answer": "billing" }, { "when": "crash", "answer": "technical" }, { "when": "invoice", "answer": "billing" }, { "when": "login", "answer": "technical" } ] }
          }
        }
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("routing-try-").FullName;
    private readonly string _keyVariable = "ROUTINGSDK_TEST_KEY_" + Guid.NewGuid().ToString("N");

    public TryOnEndpointsTests()
    {
        File.WriteAllLines(PathOf("inputs.txt"), new[] { "I want a refund", "The app crashes on start", "Where is my invoice?", "I cannot login" });
        File.WriteAllLines(PathOf("expected.txt"), new[] { "billing", "technical", "billing", "technical" });
        Environment.SetEnvironmentVariable(_keyVariable, Key);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_keyVariable, null);
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Try_runs_three_real_tiers_and_writes_outcomes_that_calibrate_reads()
    {
        using var server = await OpenAiServerProcess.StartAsync(Models, apiKey: Key);
        var csv = PathOf("outcomes.csv");
        var result = Try(server, "--logprobs", "--out", csv);
        Assert.True(result.Code == 0, result.Err);
        Assert.Equal(string.Empty, result.Err);
        Assert.DoesNotContain(Key, result.Out);
        Assert.Matches(@"small\s+0\.500\s+0\.000028", result.Out);   // 100 input and 2 output tokens at $0.25 and $1.25 per million
        Assert.Matches(@"mid\s+0\.750\s+0\.000330", result.Out);
        Assert.Matches(@"frontier\s+1\.000\s+0\.001650", result.Out);
        Assert.Contains($"small={server.BaseUrl}#tiny", result.Out);

        var rows = OutcomeCsv.Read(csv);
        Assert.Equal(12, rows.Count);
        var refund = rows.Single(r => r.Model == "small" && r.Query == "1");
        Assert.Equal("billing", refund.Answer);
        Assert.Equal(0.0000275, refund.CostUsd, 12);
        Assert.Equal(Math.Exp(-0.05), refund.Confidence!.Value, 6);     // the router's log-probability score of the answer
        Assert.Equal(Math.Exp(-2.0), rows.Single(r => r.Model == "small" && r.Query == "4").Confidence!.Value, 6);
        Assert.Equal(100, refund.TokensIn);

        var calibrate = Run("calibrate", "--outcomes", csv, "--out", PathOf("routing.calibration.json"));
        Assert.True(calibrate.Code == 0, calibrate.Err);
        Assert.Contains("Desk.ClassifyAsync", calibrate.Out);
    }

    [Fact]
    public async Task Rate_limited_calls_are_retried_after_Retry_After()
    {
        var limited = Models.Replace("\"tiny\":   { ", "\"tiny\":   { \"fail\": { \"every\": 3, \"status\": 429, \"retryAfter\": 1 }, ");
        using var server = await OpenAiServerProcess.StartAsync(limited, apiKey: Key);
        var result = Try(server, "--out", PathOf("outcomes.csv"));
        Assert.True(result.Code == 0, result.Err);
        Assert.Equal(string.Empty, result.Err);
        Assert.Matches(@"small\s+0\.500", result.Out);
        Assert.DoesNotContain(OutcomeCsv.Read(PathOf("outcomes.csv")), r => r.Answer?.StartsWith("error", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_wrong_key_fails_with_the_servers_answer_and_writes_no_file()
    {
        using var server = await OpenAiServerProcess.StartAsync(Models, apiKey: "another-key");
        var result = Try(server, "--out", PathOf("outcomes.csv"));
        Assert.Equal(1, result.Code);
        Assert.Contains("tier 'small' (model tiny at", result.Err);
        Assert.Contains("4 of 4 calls failed", result.Err);
        Assert.Contains("401", result.Err);
        Assert.Contains("no outcome file was written", result.Err);
        Assert.DoesNotContain(Key, result.Err);
        Assert.False(File.Exists(PathOf("outcomes.csv")));
    }

    [Fact]
    public void An_unreachable_endpoint_fails_fast_and_names_the_tier()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var url = $"http://127.0.0.1:{port}/v1";
        var clock = Stopwatch.StartNew();
        var result = Run("try", "--task-kind", "Classification", "--inputs", PathOf("inputs.txt"), "--expected", PathOf("expected.txt"),
            "--tier", $"small={url}#tiny", "--api-key-env", _keyVariable, "--out", PathOf("outcomes.csv"));
        Assert.Equal(1, result.Code);
        Assert.Contains($"tier 'small' (model tiny at {url}", result.Err);
        Assert.Contains("cannot be reached", result.Err);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.False(File.Exists(PathOf("outcomes.csv")));
    }

    [Fact]
    public void A_missing_key_is_named_before_any_call()
    {
        var result = Run("try", "--task-kind", "Classification", "--inputs", PathOf("inputs.txt"), "--expected", PathOf("expected.txt"),
            "--tier", "small=http://127.0.0.1:9/v1#tiny", "--api-key-env", "ROUTINGSDK_TEST_UNSET_" + Guid.NewGuid().ToString("N"));
        Assert.Equal(1, result.Code);
        Assert.Contains("tier 'small' needs an API key in the environment variable ROUTINGSDK_TEST_UNSET_", result.Err);
    }

    [Theory]
    [InlineData("small=http://127.0.0.1:9/v1", "has no model id: give NAME=URL#MODEL")]
    [InlineData("small=ftp://host/v1#m", "is not an http or https URL")]
    [InlineData("=http://127.0.0.1:9/v1#m", "give NAME=URL#MODEL")]
    [InlineData("custom=http://127.0.0.1:9/v1#m", "tier 'custom' has no price: give --price custom=INPUT/OUTPUT")]
    public void A_bad_tier_spec_says_what_to_give(string spec, string message)
    {
        var result = Run("try", "--task-kind", "Classification", "--inputs", PathOf("inputs.txt"), "--expected", PathOf("expected.txt"),
            "--tier", spec, "--api-key-env", _keyVariable);
        Assert.Equal(1, result.Code);
        Assert.Contains(message, result.Err);
    }

    [Fact]
    public async Task Prices_given_on_the_command_line_price_the_calls()
    {
        using var server = await OpenAiServerProcess.StartAsync(Models, apiKey: Key);
        var result = Run("try", "--task", "Desk.ClassifyAsync", "--task-kind", "Classification", "--inputs", PathOf("inputs.txt"), "--expected", PathOf("expected.txt"),
            "--tier", $"cheap={server.BaseUrl}#tiny", "--tier", $"best={server.BaseUrl}#large", "--price", "cheap=1/10", "--price", "best=2/20",
            "--api-key-env", _keyVariable, "--out", PathOf("outcomes.csv"));
        Assert.True(result.Code == 0, result.Err);
        var rows = OutcomeCsv.Read(PathOf("outcomes.csv"));
        Assert.Equal(0.00012, rows.First(r => r.Model == "cheap").CostUsd, 12);   // 100 × $1 + 2 × $10 per million
        Assert.Equal(0.00024, rows.First(r => r.Model == "best").CostUsd, 12);
    }

    [Fact]
    public async Task The_judge_grades_with_the_last_tiers_model_and_agrees_with_exact_match()
    {
        // The judge prompt names the reference answer, then the answer: "1" when they are the same, else "0".
        const string largeRules = "\"rules\": [ { \"when\": \"refund\", \"answer\": \"billing\" }, { \"when\": \"crash\", \"answer\": \"technical\" }, { \"when\": \"invoice\", \"answer\": \"billing\" }, { \"when\": \"login\"";
        var judging = Models.Replace(largeRules, "\"rules\": [ "
            + "{ \"when\": \"Reference answer:\\nbilling\\n\\nAnswer:\\nbilling\", \"answer\": \"1\" }, { \"when\": \"Reference answer:\\ntechnical\\n\\nAnswer:\\ntechnical\", \"answer\": \"1\" }, "
            + "{ \"when\": \"Grade the answer\", \"answer\": \"0\" }, " + largeRules.Substring("\"rules\": [ ".Length), StringComparison.Ordinal);
        Assert.Contains("Grade the answer", judging);
        using var server = await OpenAiServerProcess.StartAsync(judging, apiKey: Key);
        var exact = Try(server, "--out", PathOf("exact.csv"));
        var judged = Try(server, "--grader", "judge", "--out", PathOf("judged.csv"));
        Assert.True(judged.Code == 0, judged.Err);
        Assert.Equal(string.Empty, judged.Err);
        Assert.Equal(OutcomeCsv.Read(PathOf("exact.csv")).Select(r => r.Correct), OutcomeCsv.Read(PathOf("judged.csv")).Select(r => r.Correct));
    }

    [Fact]
    public void Try_needs_tiers_or_the_simulation_and_explains_both()
    {
        var result = Run("try", "--task-kind", "Classification", "--inputs", PathOf("inputs.txt"), "--expected", PathOf("expected.txt"));
        Assert.Equal(1, result.Code);
        Assert.Contains("--tier NAME=URL#MODEL", result.Err);
        Assert.Contains("--simulated", result.Err);
        var help = Run("try", "--help");
        Assert.Contains("--tier <NAME=URL#MODEL>", help.Out);
        Assert.Contains("default OPENAI_API_KEY", help.Out);
    }

    private (int Code, string Out, string Err) Try(OpenAiServerProcess server, params string[] more)
        => Run(new[]
        {
            "try", "--task", "Desk.ClassifyAsync", "--task-kind", "Classification", "--complexity", "Low",
            "--inputs", PathOf("inputs.txt"), "--expected", PathOf("expected.txt"),
            "--tier", $"small={server.BaseUrl}#tiny", "--tier", $"mid={server.BaseUrl}#medium", "--tier", $"frontier={server.BaseUrl}#large",
            "--api-key-env", _keyVariable,
        }.Concat(more).ToArray());

    private string PathOf(string name) => Path.Combine(_dir, name);
}
