namespace Tune.Pipeline.Tests.SearchSpaces;

public class NormalDistributionTests
{
    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.0, 0.8413447460685429)]
    [InlineData(-1.959963984540054, 0.025)]
    [InlineData(3.0, 0.9986501019683699)]
    public void Cdf_KnownPoints_MatchTables(double x, double expected)
    {
        var actual = NormalDistribution.Cdf(x);

        Assert.Equal(expected, actual, 1e-14);
    }

    [Theory]
    [InlineData(1e-10)]
    [InlineData(0.01)]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(0.975)]
    [InlineData(0.999999)]
    public void Quantile_ThenCdf_RoundTripsToAbsolutePrecision(double p)
    {
        var x = NormalDistribution.Quantile(p);

        // The unit mapping needs absolute, not relative, precision: Cdf sums 1/2 + tail, so deep tails keep ~1e-16 absolute.
        Assert.Equal(p, NormalDistribution.Cdf(x), 1e-15);
    }
}
