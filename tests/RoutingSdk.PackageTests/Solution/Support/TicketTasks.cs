// A second class library with routed tasks; it references Billing, and App references only this one.
using Microsoft.Extensions.DependencyInjection;
using RoutingSdk;

namespace Support;

public sealed partial class TicketTasks(TaskRouter router)
{
    [RoutedTask(TaskKind.Classification, Complexity.Low, QualityThreshold = 0.85, Prompt = "Classify this ticket as billing, technical or general:\n{ticket}")]
    public partial Task<string> ClassifyAsync(string ticket, CancellationToken cancellationToken = default);

    [RoutedTask(TaskKind.Summarization, Complexity.Medium, Prompt = "Summarize this thread:\n{thread}")]
    public partial Task<string> SummarizeAsync(string thread, CancellationToken cancellationToken = default);
}

/// <summary>The library's own registration: its generated AddRoutedTasks() covers its tasks and Billing's.</summary>
public static class SupportServices
{
    public static IServiceCollection AddSupport(this IServiceCollection services) => services.AddRoutedTasks();
}
