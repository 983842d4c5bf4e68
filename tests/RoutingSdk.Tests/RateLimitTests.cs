using System.ClientModel;
using System.Net;
using System.Net.Http;
using System.IO;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using OpenAI;
using static RoutingSdk.Tests.Routing;

namespace RoutingSdk.Tests;

/// <summary>A tier that answers 429 is skipped until its Retry-After (or the default cooldown), falling back like any fault.</summary>
public class RateLimitTests
{
    private static readonly IAnswerParser<Category> Enum = AnswerParsers.Enum<Category>();

    private static HttpRequestException TooManyRequests() => new("Too Many Requests", null, HttpStatusCode.TooManyRequests);

    [Fact]
    public async Task A_429_falls_back_and_the_tier_is_skipped_until_the_default_cooldown_ends()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
        var limited = true;
        var small = new FakeChatClient((_, _, _) => limited ? throw TooManyRequests() : Task.FromResult(FakeChatClient.Response("Billing", usage: FakeChatClient.Usage(10, 1))));
        var mid = FakeChatClient.Answering("Technical", usage: FakeChatClient.Usage(10, 1));
        var ledger = new CostLedger();
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = small, ["mid"] = mid }, ledger,
            new RoutingOptions { TimeProvider = time, RateLimitCooldown = TimeSpan.FromSeconds(5) });

        Assert.Equal(Category.Technical, await router.RouteAsync(Plan(), "x", null, Enum));
        Assert.Equal(1, small.Calls);

        limited = false;
        Assert.Equal(Category.Technical, await router.RouteAsync(Plan(), "x", null, Enum));   // cooling down: small is not called
        Assert.Equal(1, small.Calls);

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(Category.Billing, await router.RouteAsync(Plan(), "x", null, Enum));
        Assert.Equal(2, small.Calls);
        Assert.Equal(2, mid.Calls);
        Assert.DoesNotContain(ledger.Snapshot().Entries, e => e.Tier == "small" && e.Calls != 1);   // the 429 books nothing
    }

    [Fact]
    public async Task A_cooling_tier_at_the_end_of_the_chain_fails_the_call_and_says_so()
    {
        var time = new FakeTimeProvider();
        var small = FakeChatClient.Throwing(TooManyRequests);
        var router = Router(new Dictionary<string, IChatClient> { ["small"] = small }, options: new RoutingOptions { TimeProvider = time });
        var plan = Plan(chain: "small");

        await Assert.ThrowsAsync<RoutingFailedException>(() => router.RouteAsync(plan, "x", null, Enum));
        var ex = await Assert.ThrowsAsync<RoutingFailedException>(() => router.RouteAsync(plan, "x", null, Enum));
        Assert.Equal(1, small.Calls);
        Assert.Contains("rate-limited: skipped until", ex.Message);
    }

    [Fact]
    public void Other_failures_start_no_cooldown()
    {
        var now = DateTimeOffset.UnixEpoch;
        Assert.False(RateLimitDetection.IsRateLimit(new HttpRequestException("bad gateway", null, HttpStatusCode.BadGateway), now, out _));
        Assert.False(RateLimitDetection.IsRateLimit(new InvalidOperationException("429"), now, out _));
        Assert.True(RateLimitDetection.IsRateLimit(new InvalidOperationException("wrapped", TooManyRequests()), now, out var retryAfter));
        Assert.Null(retryAfter);
    }

    [Theory]
    [InlineData("7", false, 7000)]
    [InlineData("1500", true, 1500)]
    [InlineData("Fri, 04 Dec 2026 12:00:30 GMT", false, 30000)]
    [InlineData("soon", false, -1)]
    public void Retry_after_is_read_as_seconds_milliseconds_or_a_date(string value, bool milliseconds, int expectedMs)
    {
        var parsed = RateLimitDetection.Parse(value, milliseconds, new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(expectedMs < 0 ? null : TimeSpan.FromMilliseconds(expectedMs), parsed);
    }

    [Fact]
    public async Task The_OpenAI_client_429_with_retry_after_cools_the_tier_for_that_long()
    {
        // A real OpenAI client (Microsoft.Extensions.AI.OpenAI) against a local OpenAI-compatible endpoint that answers 429
        // with Retry-After: 7 on the small model and a chat completion on the mid model.
        using var server = new LoopbackOpenAI();
        var openAi = new OpenAIClient(new ApiKeyCredential("test"), new OpenAIClientOptions
        {
            Endpoint = server.Endpoint,
            RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0),
        });
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
        var router = Router(new Dictionary<string, IChatClient>
        {
            ["small"] = openAi.GetChatClient("small-model").AsIChatClient(),
            ["mid"] = openAi.GetChatClient("mid-model").AsIChatClient(),
        }, options: new RoutingOptions { TimeProvider = time });

        Assert.Equal(Category.Billing, await router.RouteAsync(Plan(), "x", null, Enum));

        Assert.True(router.Cooldowns.IsCoolingDown("small", out var until));
        Assert.Equal(time.GetUtcNow().AddSeconds(7), until);
        Assert.Equal(1, server.Requests("small-model"));
        await router.RouteAsync(Plan(), "x", null, Enum);
        Assert.Equal(1, server.Requests("small-model"));
    }

    /// <summary>An OpenAI-compatible chat completions endpoint on a free loopback port: 429 with Retry-After: 7 for "small-model", an answer otherwise.</summary>
    private sealed class LoopbackOpenAI : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Dictionary<string, int> _requests = new();
        private readonly Task _loop;

        public LoopbackOpenAI()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Endpoint = new Uri($"http://127.0.0.1:{port}/v1/");
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _loop = Task.Run(Serve);
        }

        public Uri Endpoint { get; }

        public int Requests(string model)
        {
            lock (_requests) return _requests.GetValueOrDefault(model);
        }

        private async Task Serve()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception) when (!_listener.IsListening)
                {
                    return;
                }

                using var reader = new StreamReader(context.Request.InputStream);
                var body = await reader.ReadToEndAsync();
                var model = body.Contains("\"small-model\"") ? "small-model" : "mid-model";
                lock (_requests) _requests[model] = _requests.GetValueOrDefault(model) + 1;
                var response = context.Response;
                string json;
                if (model == "small-model")
                {
                    response.StatusCode = 429;
                    response.Headers["Retry-After"] = "7";
                    json = """{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}""";
                }
                else
                {
                    json = """{"id":"c1","object":"chat.completion","created":1,"model":"mid-model","choices":[{"index":0,"message":{"role":"assistant","content":"Billing"},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":1,"total_tokens":11}}""";
                }

                var bytes = Encoding.UTF8.GetBytes(json);
                response.ContentType = "application/json";
                response.ContentLength64 = bytes.Length;
                await response.OutputStream.WriteAsync(bytes);
                response.Close();
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            try
            {
                _loop.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // The loop ends with the listener.
            }
        }
    }
}
