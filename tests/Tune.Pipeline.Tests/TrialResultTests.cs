namespace Tune.Pipeline.Tests;

public class TrialResultTests
{
    [Fact]
    public void ImplicitConversion_FromDouble_CarriesTheObjectiveAndNoMetrics()
    {
        TrialResult result = 0.93;

        Assert.Equal(0.93, result.Objective);
        Assert.Null(result.Metrics);
    }
}
