using BenchmarkDotNet.Running;

// "shared-budgets": the custom harness of RoutingSdk.Redis (latency percentiles from several processes); the rest is BenchmarkDotNet.
if (args.Length > 0 && args[0] == "shared-budgets") return await RoutingSdk.Benchmarks.SharedBudgets.RunAsync(args);
BenchmarkSwitcher.FromAssembly(typeof(RoutingSdk.Benchmarks.RoutingOverhead).Assembly).Run(args);
return 0;
