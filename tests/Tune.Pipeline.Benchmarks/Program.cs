using Tune.Pipeline.Benchmarks;

// Benchmark programs, not tests: `dotnet run -c Release --project tests/Tune.Pipeline.Benchmarks -- <name> [options]`.
var benchmarks = new Dictionary<string, Func<string[], Task<int>>>(StringComparer.OrdinalIgnoreCase)
{
    ["search-space"] = SearchSpaceBenchmark.RunAsync,
    ["overhead"] = OverheadBenchmark.RunAsync,
    ["samplers"] = SamplerBenchmark.RunAsync,
    ["stores"] = StoresBenchmark.RunAsync,
    ["early-stopping"] = EarlyStoppingBenchmark.RunAsync,
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"usage: Tune.Pipeline.Benchmarks <{string.Join("|", benchmarks.Keys)}> [options]");
    return 2;
}

return await run(args[1..]);
