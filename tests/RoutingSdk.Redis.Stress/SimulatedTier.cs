using System.Net;
using Microsoft.Extensions.AI;
using RoutingSdk.Planning;

namespace RoutingSdk.Redis.Stress;

/// <summary>
/// A simulated tier (no model behind it): answers with random usage and confidence, or fails — a fault, or a 429 — at the
/// given rates. It keeps its own account of what it reported: the tier's side of the reconciliation.
/// </summary>
internal sealed class SimulatedTier(TierSpec spec, double faultRate, double rateLimitRate, int seed) : IChatClient
{
    private readonly object _gate = new();
    private readonly Random _random = new(seed);
    private decimal _usd;
    private long _answered;

    public TierSpec Spec { get; } = spec;

    public (decimal Usd, long Answered) Reported
    {
        get
        {
            lock (_gate) return (_usd, _answered);
        }
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        double roll, confidence;
        int input, output, delayMs;
        lock (_gate)
        {
            roll = _random.NextDouble();
            confidence = _random.NextDouble();
            input = _random.Next(200, 4_000);
            output = _random.Next(1, 60);
            delayMs = _random.Next(1, 15);
        }

        await Task.Delay(delayMs, cancellationToken).ConfigureAwait(false);
        if (roll < rateLimitRate) throw new HttpRequestException("Too Many Requests (simulated)", null, HttpStatusCode.TooManyRequests);
        if (roll < rateLimitRate + faultRate) throw new InvalidOperationException("simulated tier fault");
        lock (_gate)
        {
            _usd += Spec.Cost(input, output);
            _answered++;
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, "Billing"))
        {
            Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output },
            AdditionalProperties = new AdditionalPropertiesDictionary { [TaskRouter.ConfidenceProperty] = confidence },
        };
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
