using Tune.Pipeline.Samplers;
using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Tests.Samplers;

public class SobolSamplerTests
{
    [Fact]
    public void Point_Unscrambled_FirstFourPointsAreTheKnownSobolPoints()
    {
        var sampler = new SobolSampler(scramble: false);
        var points = new HashSet<(double, double)>();
        var point = new double[2];

        for (var n = 0U; n < 4; n++)
        {
            sampler.Point(n, seed: 0, point);
            points.Add((point[0], point[1]));
        }

        Assert.Equal(new HashSet<(double, double)> { (0, 0), (0.5, 0.5), (0.25, 0.75), (0.75, 0.25) }, points);
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    [InlineData(true, 42)]
    public void Point_First2PowKPoints_StratifyEveryAxis(bool scramble, long seed)
    {
        var sampler = new SobolSampler(scramble);
        const int K = 8;
        var dimensions = scramble ? 30 : SobolSampler.TabulatedDimensions;
        var occupied = new bool[dimensions, 1 << K];
        var point = new double[dimensions];

        for (var n = 0U; n < 1U << K; n++)
        {
            sampler.Point(n, seed, point);
            for (var d = 0; d < dimensions; d++)
            {
                Assert.True(point[d] is >= 0.0 and < 1.0, $"Coordinate {point[d]} is outside [0, 1).");
                occupied[d, (int)(point[d] * (1 << K))] = true;
            }
        }

        for (var d = 0; d < dimensions; d++)
        {
            for (var cell = 0; cell < 1 << K; cell++)
            {
                Assert.True(occupied[d, cell], $"Dimension {d} has no point in cell {cell}.");
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Point_FirstTwoDimensions_FormA0M2Net(bool scramble)
    {
        // Sobol's first two dimensions are a (0,2)-sequence: 2^m points put one point in every 2^-a x 2^-(m-a) box.
        var sampler = new SobolSampler(scramble);
        const int M = 6;
        var points = new List<(double X, double Y)>();
        var point = new double[2];
        for (var n = 0U; n < 1U << M; n++)
        {
            sampler.Point(n, seed: 7, point);
            points.Add((point[0], point[1]));
        }

        for (var a = 0; a <= M; a++)
        {
            var boxes = points.Select(p => ((int)(p.X * (1 << a)), (int)(p.Y * (1 << (M - a))))).ToHashSet();
            Assert.Equal(1 << M, boxes.Count);
        }
    }

    [Fact]
    public void Point_DifferentSeeds_ScrambleDifferently()
    {
        var sampler = new SobolSampler(scramble: true);
        var first = new double[3];
        var second = new double[3];

        sampler.Point(5, seed: 1, first);
        sampler.Point(5, seed: 2, second);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Suggest_SameContext_ReturnsSameConfiguration()
    {
        var space = new SearchSpace([Parameter.Uniform("x", 0, 1), Parameter.IntRange("n", 1, 10), Parameter.Choice("c", ["a", "b"])]);
        var sampler = new SobolSampler(scramble: true);
        var context = new SamplerContext(space, Goal.Minimize, 3, 99, [], []) { SweepSeed = 11 };

        var first = sampler.Suggest(context);
        var second = sampler.Suggest(context);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Validate_UnscrambledWithTooManyParameters_ExplainsTheLimit()
    {
        var space = new SearchSpace(Enumerable.Range(0, 22).Select(i => Parameter.Uniform($"p{i}", 0, 1)));

        var problems = new SobolSamplerOptions { Scramble = false }.Validate(space).ToList();

        var problem = Assert.Single(problems);
        Assert.Contains("at most 21 parameters", problem, StringComparison.Ordinal);
    }
}
