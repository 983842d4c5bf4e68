using RoutingSdk;

namespace SupportDesk;

public enum TicketCategory { Billing, Technical, General }

public sealed record OrderDetails(string OrderNumber, decimal Amount, string Currency);

/// <summary>The support desk's model calls, written as routed task methods.</summary>
public sealed partial class SupportDeskTasks(TaskRouter router)
{
    [RoutedTask(TaskKind.Classification, Complexity.Low, QualityThreshold = 0.85,
        Prompt = "Classify this customer email as billing, technical or general:\n{email}")]
    public partial Task<TicketCategory> ClassifyAsync(string email, CancellationToken cancellationToken = default);

    [RoutedTask(TaskKind.Extraction, Complexity.Low, QualityThreshold = 0.85,
        Instructions = "Answer with JSON only: {\"orderNumber\": string, \"amount\": number, \"currency\": string}.",
        Prompt = "Extract the order from this email:\n{email}")]
    public partial Task<OrderDetails> ExtractOrderAsync(string email, CancellationToken cancellationToken = default);

    [RoutedTask(TaskKind.Formatting, Complexity.Low, QualityThreshold = 0.85,
        Prompt = "Rewrite this reply in our house style (greeting, short paragraphs, sign-off):\n{draft}")]
    public partial Task<string> FormatReplyAsync(string draft, CancellationToken cancellationToken = default);

    [RoutedTask(TaskKind.Summarization, Complexity.Medium, QualityThreshold = 0.85,
        Prompt = "Summarize this support thread in three sentences:\n{thread}")]
    public partial Task<string> SummarizeThreadAsync(string thread, CancellationToken cancellationToken = default);

    [RoutedTask(TaskKind.Analysis, Complexity.High, QualityThreshold = 0.85, MaxTier = "frontier", LatencyBudgetMs = 30000,
        Prompt = "Review this contract clause for risks to the customer:\n{clause}")]
    public partial Task<string> ReviewClauseAsync(string clause, CancellationToken cancellationToken = default);

    [RoutedTask(TaskKind.CodeGeneration, Complexity.Medium, QualityThreshold = 0.8,
        Instructions = "Answer with one C# method and nothing else.",
        Prompt = "Write a C# method that {requirement}")]
    public partial Task<string> WriteSnippetAsync(string requirement, CancellationToken cancellationToken = default);
}
