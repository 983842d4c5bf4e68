using System.Collections.Concurrent;
using RoutingSdk.Planning.Guardrail;

namespace RoutingSdk;

/// <summary>
/// Where the shadow guardrail keeps its statistics per task and chain position: the sampling count, the windows of
/// comparisons and the levels. In memory per router by default; an implementation shared across replicas (for example in
/// Redis) can stand in, running the same kernel rule (<see cref="GuardRule"/>).
/// </summary>
internal interface IAgreementStatistics
{
    /// <summary>The level <paramref name="position"/> of <paramref name="task"/> is tightened by (0: as calibrated).</summary>
    int Level(string task, int position);

    /// <summary>Counts an eligible call of <paramref name="task"/> (chain of <paramref name="positions"/>) and says whether it is shadowed.</summary>
    bool NextIsShadowed(string task, int positions, double rate);

    /// <summary>Records one comparison and applies the kernel's rule; returns what it did to the position's level.</summary>
    GuardChange Record(string task, int positions, int position, bool agreed);

    /// <summary>The state of <paramref name="task"/>, or null when it was never shadowed.</summary>
    TaskGuard? Find(string task);
}

/// <summary>The guardrail's statistics in this process: one kernel <see cref="TaskGuard"/> per task.</summary>
internal sealed class InMemoryAgreementStatistics : IAgreementStatistics
{
    private readonly ConcurrentDictionary<string, TaskGuard> _tasks = new();
    private readonly GuardSettings _settings;

    public InMemoryAgreementStatistics(GuardSettings settings) => _settings = settings;

    public int Level(string task, int position) => _tasks.TryGetValue(task, out var guard) ? guard.Level(position) : 0;

    public bool NextIsShadowed(string task, int positions, double rate) => For(task, positions).NextIsShadowed(rate);

    public GuardChange Record(string task, int positions, int position, bool agreed) => For(task, positions).Record(position, agreed);

    public TaskGuard? Find(string task) => _tasks.TryGetValue(task, out var guard) ? guard : null;

    private TaskGuard For(string task, int positions) => _tasks.GetOrAdd(task, _ => new TaskGuard(positions, _settings));
}
