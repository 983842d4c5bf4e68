namespace RoutingSdk.Benchmarks;

public enum TicketCategory
{
    Billing,
    Technical,
    General,
}

/// <summary>A real generated task method: the generator writes its body and its plan.</summary>
public sealed partial class BenchDesk(TaskRouter router)
{
    [RoutedTask(TaskKind.Classification, Complexity.Low, QualityThreshold = 0.85,
        Prompt = "Classify this customer email as billing, technical or general:\n{email}")]
    public partial ValueTask<TicketCategory> ClassifyAsync(string email, CancellationToken cancellationToken = default);
}
