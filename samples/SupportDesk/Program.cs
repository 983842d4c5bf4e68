using RoutingSdk.Generated;
foreach (var plan in RoutingTable.All) Console.WriteLine($"{plan} q={plan.ProjectedQuality} ${plan.ProjectedUsdPerThousandCalls} vs ${plan.AllFrontierUsdPerThousandCalls}");
