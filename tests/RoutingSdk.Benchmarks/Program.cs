using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(RoutingSdk.Benchmarks.RoutingOverhead).Assembly).Run(args);
