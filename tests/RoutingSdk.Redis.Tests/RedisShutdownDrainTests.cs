using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace RoutingSdk.Redis.Tests;

/// <summary>
/// Shutdown with AddRoutingSdkRedis: the provider disposes the router before the RedisCostLedger (which drops bookings it
/// gets after its own disposal), and the router waits for its shadow call, so the call is in Redis.
/// </summary>
public sealed class RedisShutdownDrainTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly RedisServer _server = RedisServer.StartNew();

    public void Dispose() => _server.Dispose();

    [RedisFact]
    public async Task A_shadow_call_answered_after_disposal_began_reaches_the_shared_ledger()
    {
        var prefix = Plans.Unique("drain");
        var frontier = new GatedTier();
        var services = new ServiceCollection();
        services.AddKeyedSingleton<IChatClient>("small", TestTier.Answering("Billing"));
        services.AddKeyedSingleton<IChatClient>("frontier", frontier);
        services.AddSingleton<DisposalProbe>();
        services.AddRoutingSdkRedis(_server.Configuration, o => o.KeyPrefix = prefix);
        services.AddRoutingSdk(o => o.Shadow = new ShadowOptions { Rate = 1, MaxShareOfCost = 1 });
        var provider = services.BuildServiceProvider();
        var router = provider.GetRequiredService<TaskRouter>();
        var probe = provider.GetRequiredService<DisposalProbe>();   // resolved after the router: disposed before it

        Assert.Equal("Billing", await router.RouteAsync(Plans.Classify(chain: ["small", "frontier"]), Plans.Prompt, null, AnswerParsers.Text));
        await frontier.Called.WaitAsync(Patience);
        var disposing = provider.DisposeAsync().AsTask();
        await probe.Disposed.WaitAsync(Patience);
        frontier.Answer();
        await disposing.WaitAsync(Patience);

        // Another replica reads what reached Redis.
        var reader = new ServiceCollection().AddRoutingSdkRedis(_server.Configuration, o => o.KeyPrefix = prefix).BuildServiceProvider();
        await using (reader)
        {
            var entries = reader.GetRequiredService<ICostLedger>().Snapshot().Entries;
            Assert.Equal(1, Assert.Single(entries, e => e.Tier == "frontier").ShadowCalls);
        }
    }

    /// <summary>A tier client that answers only when the test says so.</summary>
    private sealed class GatedTier : IChatClient
    {
        private readonly TaskCompletionSource<bool> _called = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<bool> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Called => _called.Task;

        public void Answer() => _answer.TrySetResult(true);

        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            _called.TrySetResult(true);
            await _answer.Task.ConfigureAwait(false);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "Billing")) { Usage = new UsageDetails { InputTokenCount = 400, OutputTokenCount = 10 } };
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    /// <summary>Says the provider's disposal has begun.</summary>
    internal sealed class DisposalProbe : IDisposable
    {
        private readonly TaskCompletionSource<bool> _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Disposed => _disposed.Task;

        public void Dispose() => _disposed.TrySetResult(true);
    }
}
