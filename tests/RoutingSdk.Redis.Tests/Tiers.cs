using Microsoft.Extensions.AI;
using RoutingSdk.Planning;

namespace RoutingSdk.Redis.Tests;

/// <summary>A tier client for the routing tests: answers (or throws) as the test says, with usage, and counts its calls.</summary>
internal sealed class TestTier(Func<ChatResponse> respond) : IChatClient
{
    private int _calls;

    public int Calls => _calls;

    public static TestTier Answering(string text, long input = 400, long output = 10)
        => new(() => new ChatResponse(new ChatMessage(ChatRole.Assistant, text)) { Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output } });

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult(respond());
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}

internal static class Plans
{
    /// <summary>A classification plan over the built-in catalog (small -> mid -> frontier unless told).</summary>
    public static RoutePlan Classify(string taskName = "Redis.Classify", params string[] chain)
        => new(taskName, TaskKind.Classification, Complexity.Low, TierCatalog.BuiltIn, chain.Length == 0 ? new[] { "small", "mid", "frontier" } : chain, 0.85, 0.97, 0.1m, 6.75m);

    /// <summary>A 1,600-character prompt: 400 estimated input tokens, so that a small-tier reservation equals the cost of 400/10 tokens ($0.0001125).</summary>
    public static string Prompt => new('x', 1600);

    public static readonly decimal SmallCall = TierCatalog.BuiltIn.Find("small")!.Cost(400, 10);

    public static string Unique(string name) => name + "-" + Guid.NewGuid().ToString("N").Substring(0, 8);
}
