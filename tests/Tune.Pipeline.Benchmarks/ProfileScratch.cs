using System.Diagnostics;
using Tune.Pipeline.Samplers;
using Tune.Pipeline.Sweeps;
namespace Tune.Pipeline.Benchmarks;
internal static class ProfileScratch
{
    public static Task<int> RunAsync(string[] args)
    {
        var problem = BenchmarkProblems.All[1];
        foreach (var (label, options) in new[] {
            ("default", new GpSamplerOptions()),
            ("fit1", new GpSamplerOptions { FitIterations = 1 }),
            ("cand64", new GpSamplerOptions { Candidates = 64, LocalStarts = 1 }),
            ("both", new GpSamplerOptions { FitIterations = 1, Candidates = 16, LocalStarts = 1 }) })
        {
            var sampler = SamplerCatalog.CreateGp(options);
            var random = new SeededRandom(1);
            var history = new List<Trial>();
            for (var n = 0; n < 100; n++) { var c = problem.Space.Sample(random); history.Add(new Trial(n, c, TrialState.Completed, problem.Objective(c))); }
            sampler.Suggest(new SamplerContext(problem.Space, Goal.Minimize, 100, 1, history, []));
            var sw = Stopwatch.StartNew();
            for (var r = 0; r < 10; r++) sampler.Suggest(new SamplerContext(problem.Space, Goal.Minimize, 100, r, history, []));
            Console.WriteLine($"{label}: {sw.Elapsed.TotalMilliseconds / 10:F2} ms");
        }
        return Task.FromResult(0);
    }
}
