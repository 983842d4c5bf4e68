using Microsoft.Extensions.AI;

namespace RoutingSdk.Benchmarks;

/// <summary>A no-op tier client: returns the same completed answer, with usage, every time.</summary>
public sealed class CannedChatClient : IChatClient
{
    private readonly Task<ChatResponse> _answer;

    public CannedChatClient(string text, long inputTokens, long outputTokens)
        => _answer = Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            Usage = new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = outputTokens },
        });

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) => _answer;

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
