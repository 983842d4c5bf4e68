// Compiled only by the package test's probe build (-p:RoutingSdkProbe=true): one routed task per warning that the
// package's analyzer must raise, each on the argument it concerns, plus tasks that must raise nothing. The consumer's
// .editorconfig raises RSDK2002 to an error for this file, so the probe also shows that severities are configurable.
// PackageTests finds the expected positions in this file by the member names and argument texts; keep each
// attribute on the line right above its method.
#if ROUTINGSDK_PROBE
using RoutingSdk;

namespace PackageConsumer;

public sealed partial class ProbeDesk(TaskRouter router)
{
    [RoutedTask(TaskKind.Classification, Complexity.Low, Tier = "frontier", Prompt = "Classify:\n{email}")]
    public partial Task<TicketCategory> OverspendAsync(string email, CancellationToken cancellationToken = default);

    [RoutedTask(TaskKind.Formatting, Complexity.Low, MaxTier = "frontier-thinking")]
    public partial Task<string> ThinkingAsync(string table);

    [RoutedTask(TaskKind.Analysis, Complexity.High, MaxCostPerThousandCalls = 1)]
    public partial Task<string> OverBudgetAsync(string clause);

    [RoutedTask(TaskKind.Analysis, Complexity.High, QualityThreshold = 0.99, MaxTier = "mid")]
    public partial Task<string> UnreachableAsync(string clause);

    [RoutedTask(TaskKind.Analysis, Complexity.High, QualityThreshold = 0.9, LatencyBudgetMs = 1000)]
    public partial Task<string> TooSlowAsync(string clause);

    [RoutedTask(TaskKind.Analysis, Complexity.High, Tier = "small")]
    public partial Task<string> UnderspendAsync(string clause);

    [RoutedTask(TaskKind.Classification, Complexity.Low, Tier = "frontier", Justification = "Probe: a deliberate pin is accepted")]
    public partial Task<string> JustifiedAsync(string email);

    [RoutedTask(TaskKind.Extraction, Complexity.Low, QualityThreshold = 0.85, Prompt = "Extract the order from:\n{email}")]
    public partial Task<string> WellPlannedAsync(string email);
}
#endif
