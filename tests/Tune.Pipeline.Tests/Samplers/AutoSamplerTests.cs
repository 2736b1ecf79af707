using Tune.Pipeline.Samplers;
using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Tests.Samplers;

public class AutoSamplerTests
{
    private static readonly SearchSpace Space = new([Parameter.Uniform("x", 0, 1), Parameter.LogUniform("lr", 1e-4, 1)]);

    [Fact]
    public void Suggest_SmallContinuousSpace_UsesTheGaussianProcess()
    {
        var history = SamplerTestData.History(Space, c => c.GetDouble("x"), 20, seed: 1);
        var context = SamplerTestData.Context(Space, history, 3);

        var auto = SamplerCatalog.Create("auto").Suggest(context);

        Assert.Equal(SamplerCatalog.Create("gp").Suggest(context), auto);
    }

    [Fact]
    public void Suggest_AfterTheGpTrialLimit_UsesTpe()
    {
        var history = SamplerTestData.History(Space, c => c.GetDouble("x"), AutoSampler.MaxGpTrials, seed: 1);
        var context = SamplerTestData.Context(Space, history, 3);

        var auto = SamplerCatalog.Create("auto").Suggest(context);

        Assert.Equal(SamplerCatalog.Create("tpe").Suggest(context), auto);
    }

    [Fact]
    public void Suggest_SmallDiscreteSpace_DoesNotRepeatEvaluatedConfigurations()
    {
        // 24 configurations, 12 trials: the best region (k = 1) is partly explored, so a repeat would be tempting.
        var space = new SearchSpace([Parameter.IntRange("k", 1, 4), Parameter.Choice("c", ["a", "b"]), Parameter.QUniform("q", 0, 2, 1)]);
        var history = SamplerTestData.History(space, c => c.GetInt64("k"), 12, seed: 2);
        var seen = history.Select(t => t.Configuration).ToHashSet();

        var suggestion = SamplerCatalog.Create("gp").Suggest(SamplerTestData.Context(space, history, 5))!;

        Assert.DoesNotContain(suggestion, seen);
    }
}
