using Tune.Pipeline.Samplers;
using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Tests.Samplers;

public class GridSamplerTests
{
    private static readonly SearchSpace Space = new([Parameter.Choice("kernel", ["linear", "rbf"]), Parameter.IntRange("depth", 1, 3)]);

    [Fact]
    public void Suggest_InOrder_VisitsTheGridLastParameterFastest()
    {
        var sampler = new GridSampler(shuffle: false);

        var points = Enumerable.Range(0, 6).Select(n => sampler.Suggest(Context(n))!).ToList();

        Assert.Equal(Space.EnumerateGrid().ToList(), points);
    }

    [Fact]
    public void Suggest_SpaceExhausted_ReturnsNull()
    {
        var sampler = new GridSampler(shuffle: false);

        var configuration = sampler.Suggest(Context(6));

        Assert.Null(configuration);
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(2L)]
    [InlineData(12345L)]
    public void Suggest_Shuffled_VisitsEveryPointOnce(long seed)
    {
        var sampler = new GridSampler(shuffle: true);

        var points = Enumerable.Range(0, 6).Select(n => sampler.Suggest(Context(n) with { SweepSeed = seed })!).ToList();

        Assert.Equal(6, points.Distinct().Count());
        Assert.Null(sampler.Suggest(Context(6) with { SweepSeed = seed }));
    }

    [Fact]
    public void Permute_LargeDomain_IsABijection()
    {
        var seen = new HashSet<long>();

        for (var i = 0L; i < 1000; i++)
        {
            seen.Add(GridSampler.Permute(i, 1000, seed: 3));
        }

        Assert.Equal(1000, seen.Count);
        Assert.All(seen, v => Assert.InRange(v, 0, 999));
    }

    [Fact]
    public void Suggest_SampleIndexAfterEnqueued_StartsAtTheFirstPoint()
    {
        var sampler = new GridSampler(shuffle: false);

        var configuration = sampler.Suggest(Context(2) with { SampleIndex = 0 });

        Assert.Equal(Space.EnumerateGrid().First(), configuration);
    }

    [Fact]
    public void Suggest_ContinuousParameter_ThrowsNamingIt()
    {
        var space = new SearchSpace([Parameter.Uniform("LearningRate", 0.001, 0.3), Parameter.IntRange("depth", 1, 3)]);
        var sampler = new GridSampler(shuffle: false);

        var exception = Assert.Throws<InvalidOperationException>(() => sampler.Suggest(new SamplerContext(space, Goal.Minimize, 0, 0, [], [])));

        Assert.Contains("'LearningRate'", exception.Message, StringComparison.Ordinal);
    }

    private static SamplerContext Context(int trialNumber) => new(Space, Goal.Minimize, trialNumber, 0, [], []);
}
