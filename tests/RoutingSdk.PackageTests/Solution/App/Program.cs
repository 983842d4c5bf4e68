// An application without routed tasks of its own that references Support (which references Billing). Its one
// generated AddRoutedTasks() must register the tasks of both libraries and RoutingTable.All must list their plans.
// Prints KEY|field|field lines for PackageTests.
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using RoutingSdk;
using RoutingSdk.Generated;

foreach (var plan in RoutingTable.All) Console.WriteLine($"PLAN|{plan.TaskName}|{string.Join(",", plan.Chain)}");

var services = new ServiceCollection();
foreach (var tier in new[] { "small", "mid", "frontier", "frontier-thinking" }) services.AddKeyedChatClient(tier, new AnsweringTier());
services.AddRoutedTasks();
using (var provider = services.BuildServiceProvider())
{
    var invoices = provider.GetService<Billing.InvoiceTasks>();
    var tickets = provider.GetService<Support.TicketTasks>();
    Console.WriteLine($"REGISTERED|Billing.InvoiceTasks|{invoices is not null}");
    Console.WriteLine($"REGISTERED|Support.TicketTasks|{tickets is not null}");
    if (invoices is null || tickets is null) return 1;

    Console.WriteLine($"RESULT|invoice|{await invoices.ExtractTotalAsync("Total due: EUR 12.50")}");
    Console.WriteLine($"RESULT|ticket|{await tickets.ClassifyAsync("My router reboots every night.")}");
    foreach (var entry in provider.GetRequiredService<ICostLedger>().Snapshot().Entries)
        Console.WriteLine($"ENTRY|{entry.TaskName}|{entry.Tier}|{entry.Calls}|{entry.InputTokens}|{entry.OutputTokens}|{entry.Usd.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
}

// The library's own registration still works on its own.
var library = new ServiceCollection();
foreach (var tier in new[] { "small", "mid", "frontier", "frontier-thinking" }) library.AddKeyedChatClient(tier, new AnsweringTier());
using (var provider = Support.SupportServices.AddSupport(library).BuildServiceProvider())
{
    Console.WriteLine($"LIBRARY|{provider.GetService<Support.TicketTasks>() is not null}|{provider.GetService<Billing.InvoiceTasks>() is not null}");
}

Console.WriteLine("DONE");
return 0;

/// <summary>A tier that answers every request with the same text and usage.</summary>
internal sealed class AnsweringTier : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Technical"))
        {
            Usage = new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 10, TotalTokenCount = 1010 },
        });

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
