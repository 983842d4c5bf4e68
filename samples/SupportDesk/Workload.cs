using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using RoutingSdk.Simulation;

namespace SupportDesk;

/// <summary>
/// A deterministic mix of support requests — about 80% routine (classification, extraction, formatting), the rest
/// summaries, contract review and code — each with the answer a good model gives and a plausible wrong one.
/// </summary>
internal sealed partial class Workload
{
    private readonly Dictionary<int, SimulatedAnswer> _answers = new();

    public List<WorkItem> Items { get; } = new();

    /// <summary>Every prompt a tier was sent, with its request (for the all-frontier comparison).</summary>
    public ConcurrentDictionary<string, SimulatedRequest> PromptsSeen { get; } = new();

    public static Workload Create(int count, int seed)
    {
        var workload = new Workload();
        var random = new Random(seed);
        var customers = new[] { "Ada", "Grace", "Linus", "Barbara", "Ken", "Margaret", "Dennis", "Frances" };
        for (var id = 1; id <= count; id++)
        {
            var who = customers[random.Next(customers.Length)];
            var roll = random.NextDouble();
            WorkItem item;
            if (roll < 0.30)
            {
                var category = (TicketCategory)random.Next(3);
                var wrong = (TicketCategory)(((int)category + 1 + random.Next(2)) % 3);
                var text = category switch
                {
                    TicketCategory.Billing => $"Ticket #{id}: {who} was charged twice for the March invoice.",
                    TicketCategory.Technical => $"Ticket #{id}: {who} cannot log in since the last update.",
                    _ => $"Ticket #{id}: {who} asks whether you ship to Norway.",
                };
                item = new WorkItem(id, new SimulatedAnswer(category.ToString(), wrong.ToString()),
                    async (desk, ct) => (await desk.ClassifyAsync(text, ct)).ToString());
            }
            else if (roll < 0.55)
            {
                var amount = random.Next(5, 500) + 0.99m;
                var text = $"Ticket #{id}: {who} writes: my order A-{id} for {amount} EUR has not arrived.";
                item = new WorkItem(id, new SimulatedAnswer(
                        $"{{\"orderNumber\": \"A-{id}\", \"amount\": {amount}, \"currency\": \"EUR\"}}",
                        $"{{\"orderNumber\": \"A-{id + 1}\", \"amount\": {amount}, \"currency\": \"USD\"}}"),
                    async (desk, ct) =>
                    {
                        var order = await desk.ExtractOrderAsync(text, ct);
                        return $"{{\"orderNumber\": \"{order.OrderNumber}\", \"amount\": {order.Amount}, \"currency\": \"{order.Currency}\"}}";
                    });
            }
            else if (roll < 0.80)
            {
                var text = $"Ticket #{id}: hi {who} we fixed it, try again";
                item = new WorkItem(id, new SimulatedAnswer($"Hello {who},\n\nWe have fixed the problem; please try again.\n\nKind regards,\nSupport",
                        $"hi {who} we fixed it try again"),
                    (desk, ct) => desk.FormatReplyAsync(text, ct));
            }
            else if (roll < 0.88)
            {
                var text = $"Ticket #{id}: a thread of 14 messages between {who} and support about a delayed refund.";
                item = new WorkItem(id, new SimulatedAnswer($"{who} waited three weeks for a refund; support found the payment stuck; it was released.",
                        $"{who} is unhappy."),
                    (desk, ct) => desk.SummarizeThreadAsync(text, ct));
            }
            else if (roll < 0.94)
            {
                var text = $"Ticket #{id}: clause 7.2 — the supplier may change prices at any time without notice.";
                item = new WorkItem(id, new SimulatedAnswer("Risk: unilateral price changes without notice; ask for 30 days' notice and a right to terminate.",
                        "No significant risk."),
                    (desk, ct) => desk.ReviewClauseAsync(text, ct));
            }
            else
            {
                var text = $"returns the VAT of an amount (ticket #{id})";
                item = new WorkItem(id, new SimulatedAnswer("static decimal Vat(decimal amount, decimal rate) => Math.Round(amount * rate, 2);",
                        "static decimal Vat(decimal amount) => amount * 20;"),
                    (desk, ct) => desk.WriteSnippetAsync(text, ct));
            }

            workload._answers[id] = item.Answer;
            workload.Items.Add(item);
        }

        return workload;
    }

    /// <summary>The answer book the simulated tiers consult: the request id in the prompt picks the entry.</summary>
    public SimulatedAnswer AnswerBook(SimulatedRequest request)
    {
        var match = TicketId().Match(request.Prompt);
        if (!match.Success) throw new InvalidOperationException("The sample's prompts carry a ticket number.");
        PromptsSeen.TryAdd(request.Prompt, request);
        return _answers[int.Parse(match.Groups[1].Value)];
    }

    [GeneratedRegex(@"#(\d+)")]
    private static partial Regex TicketId();
}

/// <summary>One request: how to run it through the desk, and the answer book entry it is judged by.</summary>
internal sealed record WorkItem(int Id, SimulatedAnswer Answer, Func<SupportDeskTasks, CancellationToken, Task<string>> RunAsync);
