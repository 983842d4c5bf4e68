namespace RoutingSdk.Planning.Tests;

/// <summary>Small builders so each test arranges only what it is about.</summary>
internal static class Specs
{
    public static TaskSpec Task(TaskKind kind, Complexity complexity, double threshold = TaskSpec.DefaultQualityThreshold)
        => new("Desk.RunAsync", "RunAsync", kind, complexity) { QualityThreshold = threshold };

    public static TaskPlan Plan(TaskSpec spec) => Planner.Plan(spec, TierCatalog.BuiltIn);

    public static Finding Single(TaskPlan plan, FindingKind kind) => Assert.Single(plan.Findings, f => f.Kind == kind);
}
