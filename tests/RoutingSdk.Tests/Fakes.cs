namespace RoutingSdk.Tests;

/// <summary>A hand-written tier client: answers with whatever the test says and remembers what it was asked.</summary>
internal sealed class FakeChatClient : IChatClient
{
    private readonly Func<IReadOnlyList<ChatMessage>, ChatOptions?, CancellationToken, Task<ChatResponse>> _respond;
    private int _calls;

    public FakeChatClient(Func<IReadOnlyList<ChatMessage>, ChatOptions?, CancellationToken, Task<ChatResponse>> respond) => _respond = respond;

    public int Calls => _calls;

    public IReadOnlyList<ChatMessage>? LastMessages { get; private set; }

    public ChatOptions? LastOptions { get; private set; }

    /// <summary>Always answers <paramref name="text"/>, with a confidence and usage when given.</summary>
    public static FakeChatClient Answering(string text, double? confidence = null, UsageDetails? usage = null)
        => new((_, _, _) => Task.FromResult(Response(text, confidence, usage)));

    /// <summary>Always throws what <paramref name="exception"/> makes.</summary>
    public static FakeChatClient Throwing(Func<Exception> exception) => new((_, _, _) => throw exception());

    public static ChatResponse Response(string text, double? confidence = null, UsageDetails? usage = null)
    {
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, text)) { Usage = usage };
        if (confidence is { } c) response.AdditionalProperties = new AdditionalPropertiesDictionary { [TaskRouter.ConfidenceProperty] = c };
        return response;
    }

    public static UsageDetails Usage(long input, long output, long? reasoning = null)
        => new() { InputTokenCount = input, OutputTokenCount = output, ReasoningTokenCount = reasoning };

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        // This call's own list: under concurrent calls the property may already hold another call's messages.
        var list = messages.ToList();
        LastMessages = list;
        LastOptions = options;
        return _respond(list, options, cancellationToken);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}

/// <summary>
/// A hand-written tier client that streams: its updates come from the test's async iterator, one by one, as the caller reads
/// them. <see cref="GetResponseAsync"/> gathers the same stream, so a test can tell which of the two the router called.
/// </summary>
internal sealed class FakeStreamingChatClient : IChatClient
{
    private readonly Func<IReadOnlyList<ChatMessage>, CancellationToken, IAsyncEnumerable<ChatResponseUpdate>> _stream;
    private int _streamingCalls;
    private int _responseCalls;

    public FakeStreamingChatClient(Func<CancellationToken, IAsyncEnumerable<ChatResponseUpdate>> stream) => _stream = (_, ct) => stream(ct);

    /// <summary>A client whose stream depends on the request.</summary>
    public FakeStreamingChatClient(Func<IReadOnlyList<ChatMessage>, CancellationToken, IAsyncEnumerable<ChatResponseUpdate>> stream) => _stream = stream;

    public int StreamingCalls => _streamingCalls;

    public int ResponseCalls => _responseCalls;

    public ChatOptions? LastOptions { get; private set; }

    public static ChatResponseUpdate Text(string text) => new(ChatRole.Assistant, text);

    public static ChatResponseUpdate Usage(long input, long output) => new() { Role = ChatRole.Assistant, Contents = [new UsageContent(FakeChatClient.Usage(input, output))] };

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _responseCalls);
        LastOptions = options;
        return _stream(messages.ToList(), cancellationToken).ToChatResponseAsync(cancellationToken);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _streamingCalls);
        LastOptions = options;
        return _stream(messages.ToList(), cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}

/// <summary>Plans and routers over fake clients.</summary>
internal static class Routing
{
    public const string TaskName = "SupportDesk.ClassifyAsync";

    public static RoutePlan Plan(double threshold = 0.85, TierCatalog? catalog = null, params string[] chain)
        => new(TaskName, TaskKind.Classification, Complexity.Low, catalog ?? TierCatalog.BuiltIn,
            chain.Length == 0 ? new[] { "small", "mid", "frontier" } : chain, threshold, 0.97, 0.1m, 6.75m);

    public static TaskRouter Router(IDictionary<string, IChatClient> clients, ICostLedger? ledger = null, RoutingOptions? options = null)
        => new(tier => clients.TryGetValue(tier, out var client) ? client : null, ledger ?? new CostLedger(), options);

    /// <summary>A plan with its own task name (telemetry tests filter on it) and escalation.</summary>
    public static RoutePlan NamedPlan(string taskName, Escalation escalation = Escalation.Cascade, TaskKind kind = TaskKind.Classification, params string[] chain)
        => new(taskName, kind, Complexity.Low, TierCatalog.BuiltIn, chain.Length == 0 ? new[] { "small", "mid", "frontier" } : chain,
            0.85, 0.97, 0.1m, 6.75m, escalation: escalation);
}

public enum Category
{
    Billing,
    Technical,
    General,
    NeedsHuman,
}

public sealed record Order(string Id, decimal Amount, IReadOnlyList<string>? Tags = null);
