// SupportDesk: routes a realistic mix of 10,000 support requests through the generated task methods, on
// SIMULATED tier clients (no model, no API key), and prints what routing cost and delivered against sending
// everything to the frontier tier.
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using RoutingSdk;
using RoutingSdk.Generated;
using RoutingSdk.Simulation;
using SupportDesk;

const int Requests = 10_000;
const int Seed = 2026;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var workload = Workload.Create(Requests, Seed);
var services = new ServiceCollection()
    .AddSimulatedChatClients(RoutingTable.Catalog, workload.AnswerBook, Seed)
    .AddRoutedTasks();
using var provider = services.BuildServiceProvider();
var desk = provider.GetRequiredService<SupportDeskTasks>();

Console.WriteLine("RoutingSdk SupportDesk sample — simulated tiers, no model is called.");
Console.WriteLine();
Console.WriteLine("Routing table (planned at compile time):");
foreach (var plan in RoutingTable.All)
{
    Console.WriteLine($"  {plan.TaskName,-38} {string.Join(" -> ", plan.Chain),-30} quality {plan.ProjectedQuality:0.00}  " +
                      $"${plan.ProjectedUsdPerThousandCalls:0.0000} per 1,000 calls (all-frontier ${plan.AllFrontierUsdPerThousandCalls:0.00})");
}

// Route every request; record whether the answer was right.
var right = 0;
await Parallel.ForEachAsync(workload.Items, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (item, ct) =>
{
    var answer = await item.RunAsync(desk, ct);
    if (answer == item.Answer.Right) Interlocked.Increment(ref right);
});

// The same requests on the frontier tier alone, for the quality comparison (simulated draws are deterministic).
var frontier = provider.GetRequiredKeyedService<IChatClient>(RoutingTable.Catalog.Reference!.Name);
var frontierRight = 0;
foreach (var (prompt, request) in workload.PromptsSeen)
{
    var options = new ChatOptions
    {
        AdditionalProperties = new AdditionalPropertiesDictionary
        {
            [TaskRouter.KindProperty] = request.Kind.ToString(),
            [TaskRouter.ComplexityProperty] = request.Complexity.ToString(),
        },
    };
    var messages = request.Instructions is null
        ? new[] { new ChatMessage(ChatRole.User, prompt) }
        : new[] { new ChatMessage(ChatRole.System, request.Instructions), new ChatMessage(ChatRole.User, prompt) };
    var response = await frontier.GetResponseAsync(messages, options);
    if (response.Text == workload.AnswerBook(request).Right) frontierRight++;
}

var snapshot = provider.GetRequiredService<ICostLedger>().Snapshot();
Console.WriteLine();
Console.WriteLine($"Ledger after {Requests:N0} requests:");
Console.WriteLine($"  {"task",-38} {"tier",-18} {"calls",8} {"escalations",12} {"USD",14}");
foreach (var entry in snapshot.Entries)
    Console.WriteLine($"  {entry.TaskName,-38} {entry.Tier,-18} {entry.Calls,8:N0} {entry.Escalations,12:N0} {entry.Usd,14:0.000000}");

var routedQuality = (double)right / Requests;
var frontierQuality = (double)frontierRight / Requests;
Console.WriteLine();
Console.WriteLine($"Total USD:            {snapshot.TotalUsd:0.000000}");
Console.WriteLine($"All-frontier USD:     {snapshot.AllFrontierUsd:0.000000}");
Console.WriteLine($"Savings:              {100 * snapshot.SavedUsd / snapshot.AllFrontierUsd:0.0}%  (routed cost is {100 * snapshot.TotalUsd / snapshot.AllFrontierUsd:0.0}% of all-frontier)");
Console.WriteLine($"Quality (right):      routed {routedQuality:P1}, all-frontier {frontierQuality:P1}, relative {routedQuality / frontierQuality:P1}");
