using Tune.Pipeline.Samplers;
using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Tests.Samplers;

public class SamplerCatalogTests
{
    [Theory]
    [InlineData("random", typeof(RandomSampler))]
    [InlineData("tpe", typeof(TpeSampler))]
    [InlineData("GP", typeof(GpSampler))]
    [InlineData("auto", typeof(AutoSampler))]
    public void Create_KnownName_ReturnsThatSampler(string name, Type expected)
    {
        var sampler = SamplerCatalog.Create(name);

        Assert.IsType(expected, sampler);
    }

    [Fact]
    public void Create_Misspelt_SuggestsTheClosestName()
    {
        var exception = Assert.Throws<ArgumentException>(() => SamplerCatalog.Create("tpee"));

        Assert.Contains("Did you mean 'tpe'?", exception.Message, StringComparison.Ordinal);
        Assert.Contains("auto, gp, grid, random, sobol, tpe", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PrefersGp_SmallMostlyNumericSpace_ChoosesGp()
    {
        var space = new SearchSpace([Parameter.Uniform("x", 0, 1), Parameter.Choice("k", ["a", "b"])]);

        Assert.True(AutoSampler.PrefersGp(space));
    }

    [Fact]
    public void PrefersGp_MostlyCategoricalSpace_ChoosesTpe()
    {
        var space = new SearchSpace([Parameter.Uniform("x", 0, 1), Parameter.Choice("k", ["a", "b"]), Parameter.Choice("m", ["a", "b"])]);

        Assert.False(AutoSampler.PrefersGp(space));
    }

    [Fact]
    public void PrefersGp_ManyParameters_ChoosesTpe()
    {
        var space = new SearchSpace(Enumerable.Range(0, 17).Select(i => Parameter.Uniform($"x{i}", 0, 1)));

        Assert.False(AutoSampler.PrefersGp(space));
    }
}

public class SamplerOptionsTests
{
    [Fact]
    public void CreateTpe_OutOfRangeOptions_ListsEveryProblem()
    {
        var options = new TpeSamplerOptions { StartupTrials = 0, Gamma = 2.0 };

        var exception = Assert.Throws<ArgumentException>(() => SamplerCatalog.CreateTpe(options));

        Assert.Contains("StartupTrials", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Gamma", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateGp_OutOfRangeOptions_Throws()
    {
        Assert.Throws<ArgumentException>(() => SamplerCatalog.CreateGp(new GpSamplerOptions { MaxPoints = 1 }));
    }
}
