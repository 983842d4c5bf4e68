using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using RoutingSdk.Generated;

namespace RoutingSdk.Benchmarks;

/// <summary>The parts of the router's hot path, one by one (to see where its time goes).</summary>
[MemoryDiagnoser]
public class Components
{
    private ChatResponse _response = null!;
    private IAnswerParser<TicketCategory> _parser = null!;
    private CostLedger.Entry _entry = null!;
    private RoutePlan _plan = null!;

    [GlobalSetup]
    public void Setup()
    {
        _response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "Billing")) { Usage = new UsageDetails { InputTokenCount = 40, OutputTokenCount = 1 } };
        _parser = AnswerParsers.Enum<TicketCategory>();
        _plan = RoutingTable.BenchDesk_ClassifyAsync;
        _entry = new CostLedger().EntryFor(_plan.TaskName, _plan.Tiers[0], _plan.Reference);
    }

    [Benchmark]
    public string ResponseText() => _response.Text;

    [Benchmark]
    public bool ParseEnum() => _parser.TryParse("Billing", out _);

    [Benchmark]
    public void LedgerAdd() => _entry.Add(40, 0, 1, 0, CallOutcome.Accepted, false);

    [Benchmark]
    public bool MetricsEnabled() => RoutingTelemetry.MetricsEnabled;

    [Benchmark]
    public bool HasListeners() => RoutingTelemetry.Source.HasListeners();

    [Benchmark]
    public double? Score()
    {
        var context = new AnswerScoringContext(_plan, _plan.Tiers[0], 0, _response, "Billing", null);
        return AnswerScorers.ReportedConfidence.Score(in context);
    }
}
