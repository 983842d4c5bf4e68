using RoutingSdk.Planning;

namespace RoutingSdk.Simulation;

/// <summary>
/// What a <see cref="SimulatedChatClient"/> hands its answer book for one call: the prompt and what the router said
/// about the task. Part of the offline simulation; no model is involved.
/// </summary>
public sealed class SimulatedRequest
{
    /// <summary>Creates a request.</summary>
    public SimulatedRequest(string? taskName, TaskKind kind, Complexity complexity, string prompt, string? instructions, TierSpec tier)
    {
        TaskName = taskName;
        Kind = kind;
        Complexity = complexity;
        Prompt = prompt ?? string.Empty;
        Instructions = instructions;
        Tier = tier;
    }

    /// <summary>The task's name as the router passed it (<see cref="TaskRouter.TaskNameProperty"/>), or null when called outside the router.</summary>
    public string? TaskName { get; }

    /// <summary>The task's kind (<see cref="TaskRouter.KindProperty"/>); <see cref="TaskKind.General"/> when not passed.</summary>
    public TaskKind Kind { get; }

    /// <summary>The task's complexity (<see cref="TaskRouter.ComplexityProperty"/>); <see cref="Complexity.Medium"/> when not passed.</summary>
    public Complexity Complexity { get; }

    /// <summary>The text of the user messages, joined by new lines.</summary>
    public string Prompt { get; }

    /// <summary>The text of the system messages, or null when there are none.</summary>
    public string? Instructions { get; }

    /// <summary>The tier being simulated.</summary>
    public TierSpec Tier { get; }
}

/// <summary>
/// The answer book's entry for one prompt: the answer a good tier gives, and a plausible wrong one that a tier gives
/// when the simulation decides it errs. Part of the offline simulation.
/// </summary>
public sealed class SimulatedAnswer
{
    /// <summary>Creates an entry.</summary>
    /// <param name="right">The correct answer text.</param>
    /// <param name="wrong">A plausible wrong answer text (for a classification, another label).</param>
    public SimulatedAnswer(string right, string wrong)
    {
        Right = right ?? throw new System.ArgumentNullException(nameof(right));
        Wrong = wrong ?? throw new System.ArgumentNullException(nameof(wrong));
    }

    /// <summary>The correct answer text.</summary>
    public string Right { get; }

    /// <summary>A plausible wrong answer text.</summary>
    public string Wrong { get; }
}
