using System;
using System.Diagnostics;
using System.Linq;
using RoutingSdk.Planning;

namespace RoutingSdk;

/// <summary>The spans of a routed call: one for the route, one per tier call (OpenTelemetry's gen_ai conventions), only when someone listens.</summary>
internal static class RouteActivities
{
    public static Activity? StartRoute(RoutePlan plan)
    {
        if (!RoutingTelemetry.Source.HasListeners()) return null;
        var activity = RoutingTelemetry.Source.StartActivity("route " + plan.TaskName, ActivityKind.Internal);
        activity?.SetTag(RoutingTelemetry.TaskTag, plan.TaskName);
        activity?.SetTag("routingsdk.escalation", plan.Escalation.ToString());
        return activity;
    }

    public static Activity? StartTier(RouteCall route, TierSpec tier, bool recordContent)
    {
        if (!RoutingTelemetry.Source.HasListeners()) return null;
        var model = tier.ModelId ?? tier.Name;
        var activity = RoutingTelemetry.Source.StartActivity("chat " + model, ActivityKind.Client);
        if (activity is null) return null;
        activity.SetTag("gen_ai.operation.name", "chat");
        activity.SetTag("gen_ai.request.model", model);
        if (route.State.Provider(-1, tier) is { } provider) activity.SetTag("gen_ai.provider.name", provider);
        activity.SetTag(RoutingTelemetry.TaskTag, route.Plan.TaskName);
        activity.SetTag(RoutingTelemetry.TierTag, tier.Name);
        if (recordContent) activity.SetTag("gen_ai.input.messages", string.Join("\n", route.Messages.Select(m => m.Role.Value + ": " + m.Text)));
        return activity;
    }

    /// <summary>Marks a span as failed with the exception's type.</summary>
    /// <summary>
    /// The cost of a call or of a whole routed call on its span: the OpenTelemetry GenAI proposal's attributes
    /// (<c>gen_ai.usage.cost.amount</c>, <c>.currency</c>, <c>.source</c> = <c>local</c>: computed from the usage and the
    /// tier's prices) and <c>routingsdk.cost_usd</c>.
    /// </summary>
    public static void SetCost(Activity activity, decimal usd)
    {
        activity.SetTag("gen_ai.usage.cost.amount", (double)usd);
        activity.SetTag("gen_ai.usage.cost.currency", "USD");
        activity.SetTag("gen_ai.usage.cost.source", "local");
        activity.SetTag("routingsdk.cost_usd", (double)usd);
    }

    public static void Fail(Activity? activity, Exception ex)
    {
        if (activity is null) return;
        activity.SetStatus(ActivityStatusCode.Error);
        activity.SetTag("error.type", ex.GetType().FullName);
    }
}
