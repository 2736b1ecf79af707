using Tune.Pipeline.Samplers;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Sweeps;
namespace Tune.Pipeline.Benchmarks;
internal static class ProfileScratch
{
    public static Task<int> RunAsync(string[] args)
    {
        var space = new SearchSpace([Parameter.LogUniform("lr", 1e-8, 1), Parameter.Uniform("x", 0, 1)]);
        static double Loss(Configuration c) => Math.Abs(Math.Log10(c.GetDouble("lr")) + 4.0);
        var random = new SeededRandom(4);
        var history = new List<Trial>();
        for (var n = 0; n < 30; n++) { var c = space.Sample(random); history.Add(new Trial(n, c, TrialState.Completed, Loss(c))); }
        foreach (var t in history.OrderBy(t => t.Value).Take(5)) Console.WriteLine($"hist {t.Configuration} {t.Value:F3}");
        foreach (var mv in new[] { true, false })
        {
            var sampler = SamplerCatalog.CreateTpe(new TpeSamplerOptions { Multivariate = mv });
            Console.WriteLine(string.Join(" ", Enumerable.Range(0, 10).Select(s => Loss(sampler.Suggest(new SamplerContext(space, Goal.Minimize, 30, s, history, []))!).ToString("F2", System.Globalization.CultureInfo.InvariantCulture))));
        }
        return Task.FromResult(0);
    }
}
