using System.Diagnostics;
using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Benchmarks;

/// <summary>Measures sampling and unit-cube mapping of a typical mixed search space.</summary>
internal static class SearchSpaceBenchmark
{
    public static Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
        var space = new SearchSpace(
        [
            Parameter.LogUniform("LearningRate", 1e-3, 0.3),
            Parameter.IntRange("NumberOfLeaves", 8, 256, log: true),
            Parameter.Choice("NGrams", ["unigram", "bigram"]),
            Parameter.QUniform("Trees", 50, 500, 50, integral: true),
        ]);
        var random = new SeededRandom(42);
        var unit = new double[space.Count];

        for (var i = 0; i < 10_000; i++)
        {
            space.ToUnit(space.Sample(random), unit);
        }

        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            space.ToUnit(space.Sample(random), unit);
        }

        stopwatch.Stop();
        Console.WriteLine($"search-space: {count:N0} samples + unit mappings of 4 parameters in {stopwatch.Elapsed.TotalMilliseconds:F0} ms = {stopwatch.Elapsed.TotalMicroseconds / count:F3} us per configuration");
        return Task.FromResult(0);
    }
}
