// Each test class starts its own redis-server; run them one after another so that a loaded machine does not starve them.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
