using System.IO;
using Microsoft.Extensions.DependencyInjection;
using static RoutingSdk.Tests.Routing;

namespace RoutingSdk.Tests;

/// <summary>
/// Shutdown: the router's background work (shadow calls, calibration samples, late answers) is waited for when the
/// service provider disposes the router, before the ledger and the outcome writer it books into are disposed.
/// </summary>
public sealed class ShutdownDrainTests
{
    private static readonly IAnswerParser<Category> Enum = AnswerParsers.Enum<Category>();

    /// <summary>Generous: a wait that must end, never a measure of how long it took.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_shadow_call_answered_after_disposal_began_is_booked_and_its_rows_written_before_the_ledger_and_writer_are_disposed()
    {
        var frontier = new GatedTier("Billing");
        using var host = new Host(frontier, new ShadowOptions { Rate = 1, MaxShareOfCost = 1 });

        Assert.Equal(Category.Billing, await host.Router.RouteAsync(Plan(), "Where is my invoice?", null, Enum));
        await frontier.Called.WaitAsync(Patience);   // the shadow call is in flight

        var disposing = host.Provider.DisposeAsync().AsTask();
        await host.Probe.Disposed.WaitAsync(Patience);   // the provider has begun disposing
        Assert.False(host.Ledger.IsDisposed);
        frontier.Answer();
        await disposing.WaitAsync(Patience);

        Assert.True(host.Ledger.IsDisposed);
        Assert.Equal(0, host.Ledger.Refused);
        Assert.Equal(1, Assert.Single(host.Ledger.Snapshot().Entries, e => e.Tier == "frontier").ShadowCalls);
        Assert.Equal(3, host.Writer.Lines.Length);   // the header, the accepted tier's row and the last tier's
    }

    [Fact]
    public async Task A_calibration_sample_answered_after_disposal_began_is_booked_and_its_rows_written()
    {
        var frontier = new GatedTier("Billing");
        using var host = new Host(frontier, new ShadowOptions { Rate = 0, CalibrationRate = 1, MaxCalibrationShareOfCost = 1 });

        Assert.Equal(Category.Billing, await host.Router.RouteAsync(Plan(), "Where is my invoice?", null, Enum));
        await frontier.Called.WaitAsync(Patience);   // the sample has reached the chain's last tier

        var disposing = host.Provider.DisposeAsync().AsTask();
        await host.Probe.Disposed.WaitAsync(Patience);
        Assert.False(host.Ledger.IsDisposed);
        frontier.Answer();
        await disposing.WaitAsync(Patience);

        Assert.Equal(0, host.Ledger.Refused);
        Assert.Equal(1, Assert.Single(host.Ledger.Snapshot().Entries, e => e.Tier == "frontier").SampleCalls);
        Assert.Equal(4, host.Writer.Lines.Length);   // the header and a row per tier of the chain
    }

    [Fact]
    public async Task A_late_answer_of_a_cancelled_call_that_arrives_after_disposal_began_is_booked()
    {
        var small = new GatedTier("Billing");
        using var host = new Host(small, shadow: null, gatedTier: "small");
        using var cancel = new CancellationTokenSource();

        var call = host.Router.RouteAsync(Plan(), "Where is my invoice?", null, Enum, cancel.Token);
        await small.Called.WaitAsync(Patience);
        cancel.Cancel();   // the caller stops waiting; the tier goes on
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        var disposing = host.Provider.DisposeAsync().AsTask();
        await host.Probe.Disposed.WaitAsync(Patience);
        Assert.False(host.Ledger.IsDisposed);
        small.Answer();
        await disposing.WaitAsync(Patience);

        Assert.Equal(0, host.Ledger.Refused);
        var entry = Assert.Single(host.Ledger.Snapshot().Entries, e => e.Tier == "small");
        Assert.Equal(1, entry.Calls);
        Assert.Equal(TierCatalog.BuiltIn.Find("small")!.Cost(400, 10), entry.Usd);
    }

    [Fact]
    public async Task Synchronous_dispose_of_the_provider_waits_for_a_shadow_call_too()
    {
        var frontier = new GatedTier("Billing");
        using var host = new Host(frontier, new ShadowOptions { Rate = 1, MaxShareOfCost = 1 });

        Assert.Equal(Category.Billing, await host.Router.RouteAsync(Plan(), "Where is my invoice?", null, Enum));
        await frontier.Called.WaitAsync(Patience);

        var disposing = Task.Run(() => host.Provider.Dispose());   // blocks its thread while the router waits
        await host.Probe.Disposed.WaitAsync(Patience);
        Assert.False(host.Ledger.IsDisposed);
        frontier.Answer();
        await disposing.WaitAsync(Patience);

        Assert.True(host.Ledger.IsDisposed);
        Assert.Equal(0, host.Ledger.Refused);
        Assert.Equal(1, Assert.Single(host.Ledger.Snapshot().Entries, e => e.Tier == "frontier").ShadowCalls);
        Assert.Equal(3, host.Writer.Lines.Length);
    }

    [Fact]
    public async Task Disposal_gives_up_on_a_tier_that_never_answers_after_the_shutdown_timeout_and_charges_nothing_for_it()
    {
        var frontier = new GatedTier("Billing");
        using var host = new Host(frontier, new ShadowOptions { Rate = 1, MaxShareOfCost = 1 }, shutdownTimeout: TimeSpan.FromMilliseconds(100));

        Assert.Equal(Category.Billing, await host.Router.RouteAsync(Plan(), "Where is my invoice?", null, Enum));
        await frontier.Called.WaitAsync(Patience);

        await host.Provider.DisposeAsync().AsTask().WaitAsync(Patience);   // returns although the shadow call never ends

        Assert.True(host.Ledger.IsDisposed);
        Assert.Equal(1, host.Router.BackgroundInFlight);   // still in flight: the limit ended the wait, not the call
        Assert.DoesNotContain(host.Ledger.Snapshot().Entries, e => e.Tier == "frontier");
    }

    [Fact]
    public async Task A_router_without_background_work_disposes_at_once()
    {
        var services = new ServiceCollection();
        services.AddKeyedChatClient("small", FakeChatClient.Answering("Billing", 0.95, FakeChatClient.Usage(400, 10)));
        services.AddRoutingSdk();
        var provider = services.BuildServiceProvider();
        var router = provider.GetRequiredService<TaskRouter>();
        Assert.Equal(Category.Billing, await router.RouteAsync(Plan(), "Where is my invoice?", null, Enum));

        Assert.True(router.WhenIdleAsync().IsCompletedSuccessfully);
        Assert.True(provider.DisposeAsync().IsCompletedSuccessfully);   // no wait for the 10 s default limit
    }

    [Fact]
    public async Task WhenIdleAsync_completes_when_the_background_work_ends_and_new_work_starts_no_more_after_disposal()
    {
        var frontier = new GatedTier("Billing");
        using var host = new Host(frontier, new ShadowOptions { Rate = 1, MaxShareOfCost = 1 });
        Assert.Equal(Category.Billing, await host.Router.RouteAsync(Plan(), "Where is my invoice?", null, Enum));
        await frontier.Called.WaitAsync(Patience);

        var idle = host.Router.WhenIdleAsync();
        using (var cancel = new CancellationTokenSource())
        {
            var cancelled = host.Router.WhenIdleAsync(cancel.Token);
            cancel.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        }

        Assert.False(idle.IsCompleted);
        frontier.Answer();
        await idle.WaitAsync(Patience);
        Assert.Equal(1, Assert.Single(host.Ledger.Snapshot().Entries, e => e.Tier == "frontier").ShadowCalls);

        await host.Router.DisposeAsync();
        // Routed calls still work after disposal; they start no shadow call.
        Assert.Equal(Category.Billing, await host.Router.RouteAsync(Plan(), "Where is my invoice?", null, Enum));
        await host.Router.WhenIdleAsync().WaitAsync(Patience);
        Assert.Equal(1, frontier.Calls);
    }

    /// <summary>
    /// A service provider as an application builds one: the ledger and the outcome writer are singletons it creates (and so
    /// disposes), the router books into them, and a probe resolved after the router says when disposal has begun.
    /// </summary>
    private sealed class Host : IDisposable
    {
        public Host(GatedTier gated, ShadowOptions? shadow, string gatedTier = "frontier", TimeSpan? shutdownTimeout = null)
        {
            var services = new ServiceCollection();
            foreach (var tier in new[] { "small", "mid", "frontier" })
            {
                IChatClient client = tier == gatedTier ? gated : FakeChatClient.Answering("Billing", 0.95, FakeChatClient.Usage(400, 10));
                services.AddKeyedChatClient(tier, client);
            }

            services.AddSingleton<ICostLedger>(_ => new RefusingLedger());
            services.AddSingleton<TextWriter>(_ => new RowsWriter());
            services.AddSingleton(sp =>
            {
                var options = new RoutingOptions { Shadow = shadow };
                if (shadow is not null) shadow.Outcomes = sp.GetRequiredService<TextWriter>();
                if (shutdownTimeout is { } timeout) options.ShutdownTimeout = timeout;
                return options;
            });
            services.AddSingleton<DisposalProbe>();
            services.AddRoutingSdk();
            Provider = services.BuildServiceProvider();
            Router = Provider.GetRequiredService<TaskRouter>();
            Ledger = (RefusingLedger)Provider.GetRequiredService<ICostLedger>();
            Writer = (RowsWriter)Provider.GetRequiredService<TextWriter>();
            Probe = Provider.GetRequiredService<DisposalProbe>();
        }

        public ServiceProvider Provider { get; }

        public TaskRouter Router { get; }

        public RefusingLedger Ledger { get; }

        public RowsWriter Writer { get; }

        public DisposalProbe Probe { get; }

        public void Dispose()
        {
            // A test that failed before disposing: no wait for a tier that will never answer.
            Router.Options.ShutdownTimeout = TimeSpan.Zero;
            Provider.Dispose();
        }
    }

    /// <summary>A tier client that answers only when the test says so, ignoring the caller's token as a slow provider may.</summary>
    private sealed class GatedTier : IChatClient
    {
        private readonly TaskCompletionSource<bool> _called = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<bool> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly string _text;
        private int _calls;

        public GatedTier(string text) => _text = text;

        public Task Called => _called.Task;

        public int Calls => Volatile.Read(ref _calls);

        public void Answer() => _answer.TrySetResult(true);

        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            _called.TrySetResult(true);
            await _answer.Task.ConfigureAwait(false);
            return FakeChatClient.Response(_text, 0.99, FakeChatClient.Usage(400, 10));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    /// <summary>A ledger that, like RedisCostLedger, drops the records it gets after its own disposal (and counts them).</summary>
    internal sealed class RefusingLedger : ICostLedger, IDisposable
    {
        private readonly CostLedger _inner = new();
        private int _disposed;
        private int _refused;

        public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

        public int Refused => Volatile.Read(ref _refused);

        public void Record(in CostRecord record)
        {
            if (IsDisposed) Interlocked.Increment(ref _refused);
            else _inner.Record(record);
        }

        public CostSnapshot Snapshot() => _inner.Snapshot();

        public void Dispose() => Interlocked.Exchange(ref _disposed, 1);
    }

    /// <summary>An outcome writer that keeps its rows readable after disposal, and refuses writes then (as a closed file does).</summary>
    internal sealed class RowsWriter : StringWriter
    {
        public string[] Lines => ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Resolved after the router, so disposed before it: says the provider's disposal has begun.</summary>
    internal sealed class DisposalProbe : IDisposable
    {
        private readonly TaskCompletionSource<bool> _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Disposed => _disposed.Task;

        public void Dispose() => _disposed.TrySetResult(true);
    }
}
