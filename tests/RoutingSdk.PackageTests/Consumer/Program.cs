// A throw-away consumer of the RoutingSdk package, written only against the public contract (docs: DESIGN.md,
// "The public contract"). PackageTests copies this file into a temporary project that references the packed
// RoutingSdk package, builds it with TreatWarningsAsErrors and checks the lines it prints:
//   KEY|field|field...   (newlines, '|' and '\' inside fields are escaped as \n, \p and \\)
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using RoutingSdk;
using RoutingSdk.Generated;

namespace PackageConsumer;

public enum TicketCategory { Billing, Technical, General }

public sealed record OrderDetails(string OrderNumber, decimal Amount, string Currency);

public sealed partial class SupportDesk(TaskRouter router)
{
    [RoutedTask(TaskKind.Classification, Complexity.Low, QualityThreshold = 0.85,
        Prompt = "Classify this customer email as billing, technical or general:\n{email}")]
    public partial Task<TicketCategory> ClassifyAsync(string email, CancellationToken cancellationToken = default);

    [RoutedTask(TaskKind.Analysis, Complexity.High, QualityThreshold = 0.9, LatencyBudgetMs = 30000,
        Instructions = "You are a careful contract lawyer. Answer in plain English.",
        Prompt = "Review this clause under {jurisdiction} law and list at most {maxRisks} risks to the customer:\n{clause}")]
    public partial Task<string> ReviewClauseAsync(string clause, string jurisdiction, int maxRisks, CancellationToken cancellationToken = default);

    [RoutedTask(TaskKind.Extraction, Complexity.Low, QualityThreshold = 0.85,
        Instructions = "Answer with JSON only: {\"orderNumber\": string, \"amount\": number, \"currency\": string}.",
        Prompt = "Extract the order from this email:\n{email}")]
    public partial Task<OrderDetails> ExtractOrderAsync(string email, CancellationToken cancellationToken = default);
}

/// <summary>One scripted tier: records every call and answers with what the current scenario says.</summary>
public sealed class FakeTier(string name) : IChatClient
{
    public string Name { get; } = name;

    public List<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Calls { get; } = new();

    /// <summary>What the tier does when called; null: it throws.</summary>
    public Func<CancellationToken, ChatResponse>? Behaviour { get; set; }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls.Add((messages.ToList(), options));
        await Task.Yield();
        var behaviour = Behaviour ?? throw new InvalidOperationException($"tier {Name} is down");
        return behaviour(cancellationToken);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    public static ChatResponse Answer(string text, long input, long output, long? reasoning = null)
        => new(new ChatMessage(ChatRole.Assistant, text))
        {
            Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output, ReasoningTokenCount = reasoning, TotalTokenCount = input + output },
        };
}

public static class Program
{
    // The built-in catalog's tiers; the consumer registers a client for each.
    private static readonly string[] TierNames = { "small", "mid", "frontier", "frontier-thinking" };

    public static async Task<int> Main()
    {
        foreach (var plan in RoutingTable.All)
        {
            Emit("PLAN", plan.TaskName, plan.StartTier, string.Join(",", plan.Chain), Num(plan.QualityThreshold));
        }

        var tiers = TierNames.ToDictionary(n => n, n => new FakeTier(n));
        var services = new ServiceCollection();
        foreach (var tier in tiers.Values) services.AddKeyedChatClient(tier.Name, tier);
        services.AddRoutedTasks();
        using var provider = services.BuildServiceProvider();
        var desk = provider.GetRequiredService<SupportDesk>();
        var ledger = provider.GetRequiredService<ICostLedger>();
        var plans = RoutingTable.All.ToDictionary(p => p.TaskName.Substring(p.TaskName.LastIndexOf('.') + 1));

        void Reset()
        {
            foreach (var tier in tiers.Values)
            {
                tier.Calls.Clear();
                tier.Behaviour = null;
            }
        }

        string Called() => string.Join(",", TierNames.Where(n => tiers[n].Calls.Count > 0).Select(n => n + ":" + tiers[n].Calls.Count.ToString(CultureInfo.InvariantCulture)));

        void Success(string scenario, string tier, long input, long output, long reasoning)
            => Emit("BILLED", scenario, tier, input.ToString(CultureInfo.InvariantCulture), output.ToString(CultureInfo.InvariantCulture), reasoning.ToString(CultureInfo.InvariantCulture));

        void Received(string scenario, FakeTier tier)
        {
            var (messages, options) = tier.Calls[0];
            Emit("RECEIVED", scenario, tier.Name,
                string.Join(",", messages.Select(m => m.Role.Value)),
                messages.FirstOrDefault(m => m.Role == ChatRole.System)?.Text ?? "<none>",
                messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "<none>",
                options?.AdditionalProperties?.TryGetValue(TaskRouter.TaskNameProperty, out var task) == true ? Convert.ToString(task, CultureInfo.InvariantCulture) ?? "" : "<none>");
        }

        // 1. Classification: the start tier answers with an enum name.
        Reset();
        var classifyStart = tiers[plans["ClassifyAsync"].StartTier];
        classifyStart.Behaviour = _ => FakeTier.Answer(" technical.", 1200, 3);
        var category = await desk.ClassifyAsync("My router reboots every night at 2am.");
        Emit("RESULT", "classify", category.ToString(), Called());
        Received("classify", classifyStart);
        Success("classify", classifyStart.Name, 1200, 3, 0);

        // 2. Analysis: several parameters (one an int) in the prompt, Instructions as the system message. The start
        //    tier (whatever the plan says) answers; a thinking tier reports reasoning tokens inside its output tokens.
        Reset();
        var reviewStart = tiers[plans["ReviewClauseAsync"].StartTier];
        var reasoning = reviewStart.Name == "frontier-thinking" ? 700L : 0L;
        reviewStart.Behaviour = _ => FakeTier.Answer("  1. Unlimited liability for the customer.\n2. Auto-renewal without notice.  ", 2500, 900, reasoning == 0 ? null : reasoning);
        var review = await desk.ReviewClauseAsync("The customer shall indemnify the vendor for all losses.", "Dutch", 2);
        Emit("RESULT", "review", review, Called());
        Received("review", reviewStart);
        Success("review", reviewStart.Name, 2500, 900, reasoning);

        // 3. Extraction with fallback: the start tier throws, the next tier of the chain answers with JSON.
        Reset();
        var extractChain = plans["ExtractOrderAsync"].Chain;
        var extractFallback = tiers[extractChain[1]];
        extractFallback.Behaviour = _ => FakeTier.Answer("```json\n{\"orderNumber\": \"A-1001\", \"amount\": 12.50, \"currency\": \"EUR\"}\n```", 800, 40);
        var order = await desk.ExtractOrderAsync("Order A-1001 for EUR 12.50 arrived broken.");
        Emit("RESULT", "extract", $"{order.OrderNumber};{order.Amount.ToString(CultureInfo.InvariantCulture)};{order.Currency}", Called());
        Received("extract", extractFallback);
        Success("extract", extractFallback.Name, 800, 40, 0);

        // 4. The caller cancels while the start tier is working: OperationCanceledException, no later tier called.
        Reset();
        using (var cts = new CancellationTokenSource())
        {
            tiers[plans["ClassifyAsync"].StartTier].Behaviour = token =>
            {
                cts.Cancel();
                token.ThrowIfCancellationRequested();
                return FakeTier.Answer("billing", 1, 1);
            };
            foreach (var name in plans["ClassifyAsync"].Chain.Skip(1)) tiers[name].Behaviour = _ => FakeTier.Answer("billing", 1, 1);
            Emit("RESULT", "cancel", await Outcome(() => desk.ClassifyAsync("Please cancel my subscription.", cts.Token)), Called());
        }

        // 5. A token cancelled before the call: no tier is called at all.
        Reset();
        foreach (var tier in tiers.Values) tier.Behaviour = _ => FakeTier.Answer("billing", 1, 1);
        Emit("RESULT", "precancelled", await Outcome(() => desk.ClassifyAsync("Hello", new CancellationToken(canceled: true))), Called());

        // 6. Every tier throws: one RoutingFailedException naming every failed tier.
        Reset();
        try
        {
            await desk.ClassifyAsync("Everything is down.");
            Emit("RESULT", "allfail", "no exception", Called());
        }
        catch (RoutingFailedException ex)
        {
            Emit("RESULT", "allfail", nameof(RoutingFailedException), Called());
            Emit("FAILED", ex.TaskName, string.Join(",", ex.Failures.Select(f => f.Tier)), ex.Message);
        }

        // 7. The ledger: only the successful calls above were booked.
        var snapshot = ledger.Snapshot();
        foreach (var entry in snapshot.Entries)
        {
            Emit("ENTRY", entry.TaskName, entry.Tier, entry.Calls.ToString(CultureInfo.InvariantCulture), entry.InputTokens.ToString(CultureInfo.InvariantCulture),
                entry.OutputTokens.ToString(CultureInfo.InvariantCulture), entry.ReasoningTokens.ToString(CultureInfo.InvariantCulture), entry.Usd.ToString(CultureInfo.InvariantCulture));
        }

        Emit("LEDGER", snapshot.TotalUsd.ToString(CultureInfo.InvariantCulture));
        Emit("DONE");
        return 0;
    }

    private static async Task<string> Outcome<T>(Func<Task<T>> call)
    {
        try
        {
            var value = await call();
            return "returned " + value;
        }
        catch (Exception ex)
        {
            return ex.GetType().FullName + (ex is OperationCanceledException ? " (OperationCanceledException)" : "");
        }
    }

    private static string Num(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static void Emit(string key, params string[] fields)
        => Console.WriteLine(string.Join("|", new[] { key }.Concat(fields.Select(Escape))));

    private static string Escape(string field) => field.Replace("\\", "\\\\").Replace("|", "\\p").Replace("\r", "").Replace("\n", "\\n");
}
