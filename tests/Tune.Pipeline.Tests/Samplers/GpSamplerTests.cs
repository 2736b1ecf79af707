using Tune.Pipeline.Samplers;
using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Tests.Samplers;

public class GpSamplerTests
{
    private static readonly SearchSpace Plane = new([Parameter.Uniform("x", 0, 1), Parameter.Uniform("y", 0, 1)]);

    [Fact]
    public void Suggest_EightTrialsInFlight_SpreadsTheBatchApart()
    {
        var history = SamplerTestData.History(Plane, Bowl, 15, seed: 3);

        var modelled = Batch(new GpSamplerOptions(), history);
        var ignored = Batch(new GpSamplerOptions { ModelPendingTrials = false }, history);

        // Ignoring the pending trials, every suggestion chases the same maximum of expected improvement.
        Assert.True(MinimumDistance(modelled) > 4 * MinimumDistance(ignored), $"closest pair {MinimumDistance(modelled)} with pending trials modelled, {MinimumDistance(ignored)} without");
    }

    [Fact]
    public void Suggest_PendingTrialsReachTheStartupCount_UsesTheModel()
    {
        var history = SamplerTestData.History(Plane, Bowl, 3, seed: 4);
        var pending = Enumerable.Range(0, 7).Select(i => Plane.Sample(new SeededRandom(100 + i))).ToList();
        var context = SamplerTestData.Context(Plane, history, 5, pending);

        var configuration = SamplerCatalog.CreateGp(new GpSamplerOptions()).Suggest(context);

        Assert.NotEqual(SamplerCatalog.Create("random").Suggest(context), configuration);
    }

    [Fact]
    public void Suggest_SameHistoryAndPendingTrials_ReturnsSameConfiguration()
    {
        var history = SamplerTestData.History(Plane, Bowl, 15, seed: 6);

        var first = Batch(new GpSamplerOptions(), history);
        var second = Batch(new GpSamplerOptions(), [.. history]);

        Assert.Equal(first, second);
    }

    private static double Bowl(Configuration c) => Math.Pow(c.GetDouble("x") - 0.3, 2) + Math.Pow(c.GetDouble("y") - 0.7, 2);

    // Eight trials asked one after another with the same finished trials, each seeing the earlier ones as pending.
    private static List<Configuration> Batch(GpSamplerOptions options, List<Tune.Pipeline.Sweeps.Trial> history)
    {
        var sampler = SamplerCatalog.CreateGp(options);
        var batch = new List<Configuration>();
        for (var i = 0; i < 8; i++)
        {
            batch.Add(sampler.Suggest(SamplerTestData.Context(Plane, history, 20 + i, [.. batch]))!);
        }

        return batch;
    }

    private static double MinimumDistance(List<Configuration> batch) =>
        batch.SelectMany((a, i) => batch.Skip(i + 1).Select(b => Math.Sqrt(Math.Pow(a.GetDouble("x") - b.GetDouble("x"), 2) + Math.Pow(a.GetDouble("y") - b.GetDouble("y"), 2)))).Min();
}
