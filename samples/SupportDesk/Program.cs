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

// A spending limit for the whole run. Once 90% of it is spent, calls are capped at the small tier: the last ~10% of
// the run is served cheaply instead of failing or overspending. (The limit is about what the run costs unbudgeted.)
const decimal RunBudgetUsd = 2.20m;

var workload = Workload.Create(Requests, Seed);
var services = new ServiceCollection()
    .AddSimulatedChatClients(RoutingTable.Catalog, workload.AnswerBook, Seed)
    .AddRoutedTasks()
    .AddRoutingBudget(new RoutingBudget("run", RunBudgetUsd) { Action = BudgetAction.Downgrade, DowngradeAt = 0.9, DowngradeTier = "small" });
using var provider = services.BuildServiceProvider();
var desk = provider.GetRequiredService<SupportDeskTasks>();

// Telemetry as an OpenTelemetry exporter would see it: the RoutingSdk meter and activity source.
using var telemetry = new TelemetrySummary();

Console.WriteLine("RoutingSdk SupportDesk sample — simulated tiers, no model is called.");
Console.WriteLine();
Console.WriteLine("Routing table (planned at compile time):");
foreach (var plan in RoutingTable.All)
{
    Console.WriteLine($"  {plan.TaskName,-38} {string.Join(" -> ", plan.Chain),-30} quality {plan.ProjectedQuality:0.00}  " +
                      $"${plan.ProjectedUsdPerThousandCalls:0.0000} per 1,000 calls (all-frontier ${plan.AllFrontierUsdPerThousandCalls:0.00})");
}

// Route every request, in order (so that the budget bites at the same request every run); record whether the answer was right.
var right = 0;
var firstDowngrade = 0;
for (var index = 0; index < workload.Items.Count; index++)
{
    var item = workload.Items[index];
    var answer = await item.RunAsync(desk, CancellationToken.None);
    if (answer == item.Answer.Right) right++;
    if (firstDowngrade == 0 && telemetry.Downgrades > 0) firstDowngrade = index + 1;
}

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

// Savings per task: what routing spent against the all-frontier price of the same accepted answers.
Console.WriteLine();
Console.WriteLine("Savings per task:");
Console.WriteLine($"  {"task",-38} {"routed USD",12} {"all-frontier USD",17} {"saved",8}");
foreach (var task in snapshot.Entries.GroupBy(e => e.TaskName))
{
    var spent = task.Sum(e => e.Usd);
    var frontierUsd = task.Sum(e => e.AllFrontierUsd);
    Console.WriteLine($"  {task.Key,-38} {spent,12:0.000000} {frontierUsd,17:0.000000} {(frontierUsd == 0 ? 0 : 100 * (frontierUsd - spent) / frontierUsd),7:0.0}%");
}

Console.WriteLine();
Console.WriteLine($"Budget 'run' ${RunBudgetUsd}: downgrade to 'small' from request {firstDowngrade:N0} of {Requests:N0} " +
                  $"({(firstDowngrade == 0 ? 0 : 100.0 * firstDowngrade / Requests):0.0}% into the run); {telemetry.Downgrades:N0} calls capped; spent ${snapshot.TotalUsd:0.000000}.");
Console.WriteLine();
telemetry.Print();
