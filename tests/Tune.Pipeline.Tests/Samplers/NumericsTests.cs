using Tune.Pipeline.Samplers;

namespace Tune.Pipeline.Tests.Samplers;

public class NumericsTests
{
    [Theory]
    [InlineData(2.0)]
    [InlineData(0.0)]
    [InlineData(-2.99)]
    [InlineData(-3.01)]
    [InlineData(-4.0)]
    public void LogH_MatchesTheDirectFormula(double z)
    {
        var direct = Math.Log(NormalDistribution.Density(z) + (z * NormalDistribution.Cdf(z)));

        var (logH, ratio) = AcquisitionOptimizer.LogH(z);

        Assert.Equal(direct, logH, 1e-6 * Math.Max(1, Math.Abs(direct)));
        Assert.Equal(NormalDistribution.Cdf(z) / Math.Exp(direct), ratio, 1e-5 * ratio);
    }

    [Fact]
    public void LogH_FarBelowTheIncumbent_StaysFiniteAndDecreasing()
    {
        var (near, _) = AcquisitionOptimizer.LogH(-40);
        var (far, ratio) = AcquisitionOptimizer.LogH(-400);

        Assert.True(double.IsFinite(far));
        Assert.True(far < near);
        Assert.Equal(400, ratio, 1.0);
    }

    [Theory]
    [InlineData(-6.0)]
    [InlineData(-1.5)]
    [InlineData(0.3)]
    [InlineData(4.0)]
    public void FastCdf_IsCloseToTheExactCdf(double x)
    {
        Assert.Equal(NormalDistribution.Cdf(x), ParzenEstimator.FastCdf(x), 2e-7);
    }

    [Fact]
    public void OutputWarping_KeepsTheOrderOfHeavyTailedValues()
    {
        double[] values = [3e5, 1.0, 40.0, 0.5, 2e3, 7.0];
        var warped = (double[])values.Clone();

        OutputWarping.Transform(warped);

        Assert.Equal(Enumerable.Range(0, 6).OrderBy(i => values[i]), Enumerable.Range(0, 6).OrderBy(i => warped[i]));
        Assert.Equal(0.0, warped.Average(), 1e-12);
    }

    [Fact]
    public void Lbfgs_MinimisesRosenbrockInTwoDimensions()
    {
        double[] x = [-1.2, 1.0];

        var value = Lbfgs.Minimize(
            (p, g) =>
            {
                var a = p[1] - (p[0] * p[0]);
                g[0] = (-400 * p[0] * a) - (2 * (1 - p[0]));
                g[1] = 200 * a;
                return (100 * a * a) + ((1 - p[0]) * (1 - p[0]));
            },
            x,
            500);

        Assert.True(value < 1e-8, $"f = {value}");
        Assert.Equal(1.0, x[0], 1e-3);
    }

    [Fact]
    public void Lbfgs_WithBounds_StopsAtTheBound()
    {
        double[] x = [0.5];

        Lbfgs.Minimize((p, g) => { g[0] = 2 * (p[0] - 3); return (p[0] - 3) * (p[0] - 3); }, x, 50, [0.0], [1.0]);

        Assert.Equal(1.0, x[0]);
    }

    [Fact]
    public void GaussianProcess_Fit_InterpolatesItsTrainingPoints()
    {
        var x = Enumerable.Range(0, 12).Select(i => i / 11.0).ToArray();
        var y = x.Select(v => Math.Sin(6 * v)).ToArray();
        var mean = y.Average();
        var standardised = y.Select(v => v - mean).ToArray();

        var gp = GaussianProcess.Fit(x, 12, 1, [false], standardised, 50);

        var k = new double[12];
        var w = new double[12];
        for (var i = 0; i < 12; i++)
        {
            var (predicted, variance) = gp.Predict([x[i]], k, w);
            Assert.Equal(standardised[i], predicted, 0.02);
            Assert.True(variance < 0.01);
        }
    }

    [Fact]
    public void GaussianProcess_ConditionOnItsOwnMean_KeepsTheMeanAndShrinksTheVarianceThere()
    {
        var x = new double[] { 0.0, 0.2, 0.5, 0.9, 0.35 };
        var y = new double[] { 0.5, -0.3, 0.2, -0.6, 0.0 };
        var gp = GaussianProcess.Fit(x, 4, 1, [false], y[..4], 50);
        var (k, w) = (new double[4], new double[4]);
        var (k5, w5) = (new double[5], new double[5]);
        var (before, varianceBefore) = gp.Predict([0.35], k, w);
        y[4] = before;

        var believed = gp.Condition(x, 5, y);

        var (after, varianceAfter) = believed.Predict([0.35], k5, w5);
        Assert.Equal(before, after, 1e-6);
        Assert.Equal(gp.Predict([0.7], k, w).Mean, believed.Predict([0.7], k5, w5).Mean, 1e-6);
        Assert.True(varianceAfter < varianceBefore / 100, $"variance {varianceBefore} before, {varianceAfter} after");
    }

    [Fact]
    public void Weights_OldTrialsRampUpToOne()
    {
        var weights = TpeSampler.Weights(40);

        Assert.Equal(1.0 / 40, weights[0], 1e-12);
        Assert.Equal(1.0, weights[14], 1e-12);
        Assert.All(weights[15..], w => Assert.Equal(1.0, w));
        Assert.Equal(weights.Order(), weights);
    }
}
