using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Services;
using RoutingSdk.Generated;
using SkChatMessageContent = Microsoft.SemanticKernel.ChatMessageContent;

namespace RoutingSdk.Benchmarks;

/// <summary>
/// What choosing a tier costs on top of calling it. Every case sends the same request to the same no-op tier client,
/// which returns a completed canned answer with usage, so the figures are pure overhead.
/// </summary>
[MemoryDiagnoser]
public class RoutingOverhead
{
    private const string Email = "Hello, I was charged twice for my subscription this month. Please refund one of the charges.";
    private CannedChatClient _small = null!;
    private ChatMessage[] _messages = null!;
    private ChatOptions _options = null!;
    private TaskRouter _router = null!;
    private IAnswerParser<TicketCategory> _parser = null!;
    private BenchDesk _desk = null!;
    private IChatClient _meaiRouting = null!;
    private Kernel _kernel = null!;
    private KernelFunction _function = null!;
    private KernelArguments _arguments = null!;
    private RoutePlan _calibrated = null!;

    [GlobalSetup]
    public void Setup()
    {
        _small = new CannedChatClient("Billing", 40, 1);
        _messages = new[] { new ChatMessage(ChatRole.User, "Classify this customer email as billing, technical or general:\n" + Email) };
        _options = new ChatOptions();
        _parser = AnswerParsers.Enum<TicketCategory>();

        var services = new ServiceCollection();
        services.AddKeyedChatClient("small", _small);
        services.AddRoutedTasks();
        var provider = services.BuildServiceProvider();
        _router = provider.GetRequiredService<TaskRouter>();
        _desk = provider.GetRequiredService<BenchDesk>();

        // The same task calibrated with an acceptor at its start tier (score, doubt, output length) that accepts the answer.
        var table = RoutingTable.BenchDesk_ClassifyAsync;
        _calibrated = new RoutePlan(table.TaskName, table.Kind, table.Complexity, table.Catalog, new[] { "small", "mid" }, table.QualityThreshold,
            table.ProjectedQuality, table.ProjectedUsdPerThousandCalls, table.AllFrontierUsdPerThousandCalls,
            acceptors: new[] { new RoutingSdk.Planning.Calibration.Acceptor(2, new double[] { 4, -0.1, -0.2 }, 0.8) });

        _meaiRouting = RoutingChatClient.Create((_, _) => new ValueTask<IChatClient>(_small));

        var kernel = Kernel.CreateBuilder();
        kernel.Services.AddKeyedSingleton<ClientService>("small", new ClientService(_small));
        _kernel = kernel.Build();
        _function = KernelFunctionFactory.CreateFromPrompt("{{$input}}", new PromptExecutionSettings { ServiceId = "small" });
        _arguments = new KernelArguments { ["input"] = Email };
    }

    /// <summary>(a) The floor: the tier client called directly.</summary>
    [Benchmark(Baseline = true, Description = "(a) direct tier client call")]
    public ChatResponse Direct() => _small.GetResponseAsync(_messages, _options).GetAwaiter().GetResult();

    /// <summary>(b) The generated task's plan: routing decision, parse, score, ledger booking.</summary>
    [Benchmark(Description = "(b) RoutingSdk decision + ledger")]
    public TicketCategory RoutingSdkDecision() => _router.RouteValueAsync(RoutingTable.BenchDesk_ClassifyAsync, _messages, _parser, null, default).GetAwaiter().GetResult();

    /// <summary>(f) As (b), on a calibrated plan whose start tier decides with an acceptor (the router's general path).</summary>
    [Benchmark(Description = "(f) RoutingSdk decision with an acceptor")]
    public TicketCategory RoutingSdkAcceptorDecision() => _router.RouteValueAsync(_calibrated, _messages, _parser, null, default).GetAwaiter().GetResult();

    /// <summary>(c) Microsoft.Extensions.AI's RoutingChatClient selecting the client per request.</summary>
    [Benchmark(Description = "(c) M.E.AI RoutingChatClient")]
    public ChatResponse MeaiRoutingChatClient() => _meaiRouting.GetResponseAsync(_messages, _options).GetAwaiter().GetResult();

    /// <summary>(d) Semantic Kernel's IAIServiceSelector selecting the service for the request, then the same call.</summary>
    [Benchmark(Description = "(d) SK IAIServiceSelector")]
    public ChatResponse SemanticKernelSelector()
    {
        if (!_kernel.ServiceSelector.TrySelectAIService<ClientService>(_kernel, _function, _arguments, out var service, out _))
            throw new InvalidOperationException("no service");
        return service.Client.GetResponseAsync(_messages, _options).GetAwaiter().GetResult();
    }

    /// <summary>(e) The whole generated call: prompt building, messages, routing, parse, ledger, telemetry (no listener).</summary>
    [Benchmark(Description = "(e) whole routed call (generated)")]
    public TicketCategory WholeRoutedCall() => _desk.ClassifyAsync(Email).GetAwaiter().GetResult();

    /// <summary>Semantic Kernel's view of a tier: an IChatCompletionService over the same IChatClient.</summary>
    private sealed class ClientService(IChatClient client) : IChatCompletionService
    {
        public IChatClient Client { get; } = client;

        public IReadOnlyDictionary<string, object?> Attributes { get; } = new Dictionary<string, object?>();

        public Task<IReadOnlyList<SkChatMessageContent>> GetChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null,
            Kernel? kernel = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null,
            Kernel? kernel = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
