namespace RoutingSdk.Planning.Tests;

public sealed class CostReportTests
{
    private static TaskPlan Plan(string name, string[] chain, double quality, decimal projected, decimal allFrontier)
        => new(name, chain, 0.85, quality, projected, allFrontier, Array.Empty<Finding>());

    [Fact]
    public void Lists_each_task_by_name_with_aligned_columns_and_a_total_that_sums_costs_and_averages_quality()
    {
        var report = CostReport.Format(new[]
        {
            Plan("Desk.ReviewAsync", new[] { "frontier" }, 0.85, 105m, 105m),
            Plan("Desk.ClassifyAsync", new[] { "small", "mid", "frontier" }, 0.98, 0.133125m, 6.75m),
        });

        Assert.Equal(
            "RoutingSdk cost report: 2 routed tasks. Figures per 1,000 calls of each task; the total line is 1,000 calls of every task (USD summed over the tasks, quality their mean).\n"
            + "task                start     chain                     quality  USD/1k calls  all-frontier/1k\n"
            + "Desk.ClassifyAsync  small     small -> mid -> frontier     0.98         $0.13            $6.75\n"
            + "Desk.ReviewAsync    frontier  frontier                     0.85       $105.00          $105.00\n"
            + "----------------------------------------------------------------------------------------------\n"
            + "total (2 tasks)                                            0.92       $105.13          $111.75\n"
            + "projected savings against all-frontier: $6.62 per 1,000 calls of every task (5.9% saved; routed cost 94.1% of all-frontier).\n",
            report);
    }

    [Fact]
    public void A_task_without_a_plan_is_listed_as_not_planned_and_left_out_of_the_total()
    {
        var report = CostReport.Format(new[]
        {
            Plan("Desk.ClassifyAsync", new[] { "small" }, 0.9, 1m, 10m),
            Plan("Desk.BrokenAsync", Array.Empty<string>(), 0, 0, 0),
        });

        var lines = report.Split('\n');
        Assert.StartsWith("RoutingSdk cost report: 1 routed task, 1 not planned.", lines[0]);
        Assert.Equal("Desk.BrokenAsync    -      not planned: see the build's errors", lines[2]);
        Assert.Equal("total (1 task)                                                     0.90         $1.00           $10.00", lines[5]);
        Assert.Equal("projected savings against all-frontier: $9.00 per 1,000 calls of every task (90.0% saved; routed cost 10.0% of all-frontier).", lines[6]);
    }

    [Fact]
    public void A_routed_cost_above_all_frontier_is_reported_as_extra_cost_not_negative_savings()
    {
        var report = CostReport.Format(new[] { Plan("Desk.ThinkAsync", new[] { "frontier-thinking" }, 0.91, 345m, 105m) });
        Assert.EndsWith("projected cost above all-frontier: $240.00 per 1,000 calls of every task (routed cost 328.6% of all-frontier).\n", report);
    }

    [Fact]
    public void Sub_cent_costs_keep_four_significant_digits()
    {
        var report = CostReport.Format(new[] { Plan("Desk.TinyAsync", new[] { "small" }, 0.95, 0.00123456m, 0.00456m) });
        Assert.Contains("$0.001235", report);
        Assert.Contains("$0.00456", report);
    }

    [Fact]
    public void An_assembly_without_tasks_gets_a_one_line_report()
        => Assert.Equal(
            "RoutingSdk cost report: 0 routed tasks. Figures per 1,000 calls of each task; the total line is 1,000 calls of every task (USD summed over the tasks, quality their mean).\n"
            + "No [RoutedTask] methods in this assembly.\n",
            CostReport.Format(Array.Empty<TaskPlan>()));

    [Fact]
    public void Report_of_planner_plans_matches_the_plans_figures()
    {
        var plan = Specs.Plan(Specs.Task(TaskKind.Classification, Complexity.Low, 0.85));
        var report = CostReport.Format(new[] { plan });
        var line = report.Split('\n').Single(l => l.StartsWith(plan.TaskName, StringComparison.Ordinal));
        Assert.Contains(string.Join(" -> ", plan.Chain), line);
        Assert.Contains(Money.Format(plan.ProjectedUsdPerThousandCalls), line);
        Assert.EndsWith(Money.Format(plan.AllFrontierUsdPerThousandCalls), line);
    }
}
