using System.Diagnostics;
using Tune.Pipeline.Samplers;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Sweeps;
namespace Tune.Pipeline.Benchmarks;
internal static class ProfileScratch
{
    public static Task<int> RunAsync(string[] args)
    {
        var problem = BenchmarkProblems.All[4];
        var random = new SeededRandom(1);
        var history = new List<Trial>();
        for (var n = 0; n < 1000; n++) { var c = problem.Space.Sample(random); history.Add(new Trial(n, c, TrialState.Completed, problem.Objective(c))); }
        var context = new SamplerContext(problem.Space, Goal.Minimize, 1000, 1, history, []);
        var tpe = SamplerCatalog.Create("tpe");
        for (var i = 0; i < 20; i++) tpe.Suggest(context);
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < 50; i++) tpe.Suggest(context);
        Console.WriteLine($"suggest {sw.Elapsed.TotalMilliseconds / 50:F3} ms");
        var enc = new SpaceEncoding(problem.Space);
        var buf = new double[1000 * 5];
        sw.Restart();
        for (var i = 0; i < 50; i++) for (var k = 0; k < 1000; k++) enc.Encode(history[k].Configuration, buf.AsSpan(k * 5, 5));
        Console.WriteLine($"encode {sw.Elapsed.TotalMilliseconds / 50:F3} ms");
        sw.Restart();
        for (var i = 0; i < 50; i++) _ = history.Select(t => t.Configuration).ToHashSet();
        Console.WriteLine($"hashset {sw.Elapsed.TotalMilliseconds / 50:F3} ms");
        sw.Restart();
        ParzenEstimator? p = null;
        for (var i = 0; i < 50; i++) p = new ParzenEstimator(enc, buf, 1000, TpeSampler.Weights(1000), 1.0, true);
        Console.WriteLine($"build {sw.Elapsed.TotalMilliseconds / 50:F3} ms");
        var scratch = new double[1001];
        var cand = new double[5];
        sw.Restart();
        for (var i = 0; i < 50; i++) for (var c = 0; c < 24; c++) { p!.Sample(random, cand); p.LogDensity(cand, scratch); }
        Console.WriteLine($"score {sw.Elapsed.TotalMilliseconds / 50:F3} ms");
        return Task.FromResult(0);
    }
}
