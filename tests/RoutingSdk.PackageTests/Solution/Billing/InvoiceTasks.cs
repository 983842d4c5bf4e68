// A class library with routed tasks, referenced by Support (and so, transitively, by App). PackageTests copies it into
// a temporary solution that uses the packed RoutingSdk package.
using RoutingSdk;

namespace Billing;

public sealed partial class InvoiceTasks(TaskRouter router)
{
    [RoutedTask(TaskKind.Extraction, Complexity.Low, QualityThreshold = 0.85, Prompt = "Extract the invoice total:\n{invoice}")]
    public partial Task<string> ExtractTotalAsync(string invoice, CancellationToken cancellationToken = default);
}
