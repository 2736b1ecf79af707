using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Tests.SearchSpaces;

public class ParameterIntegralGridTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void FromUnit_IntegralQuantisedParameters_ReturnLongs(double u)
    {
        var linear = Parameter.QUniform("trees", 50, 500, 50, integral: true);
        var log = Parameter.QLogUniform("trees", 50, 500, 50, integral: true);

        Assert.IsType<long>(linear.FromUnit(u));
        Assert.IsType<long>(log.FromUnit(u));
    }
}
