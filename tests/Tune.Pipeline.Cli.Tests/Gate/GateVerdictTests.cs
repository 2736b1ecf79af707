using Tune.Pipeline.Cli.Gate;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Cli.Tests.Gate;

public sealed class GateVerdictTests
{
    [Theory]
    [InlineData(0.95, 1, 6.313752)]
    [InlineData(0.95, 2, 2.919986)]
    [InlineData(0.95, 10, 1.812461)]
    [InlineData(0.975, 30, 2.042272)]
    [InlineData(0.99, 5, 3.364930)]
    public void Quantile_AgainstPublishedTables_Matches(double probability, double degreesOfFreedom, double expected)
    {
        Assert.Equal(expected, StudentT.Quantile(probability, degreesOfFreedom), 3e-4 * expected);
    }

    [Fact]
    public void Compare_WelchExample_GivesTheSatterthwaiteDegreesOfFreedomAndBounds()
    {
        // Maximize: improvement = mean(candidate) − mean(baseline) = 2 − 1 = 1; variances 1 and 4 over 3 values each.
        var verdict = GateVerdict.Compare(Goal.Maximize, [0, 1, 2], [0, 2, 4], new GateAllowance(0, Relative: false), 0.95);

        var noise = verdict.Noise!;
        Assert.Equal(Math.Sqrt(5.0 / 3), noise.StandardError, 1e-12);
        Assert.Equal(25.0 / 9 / ((1.0 / 9 / 2) + (16.0 / 9 / 2)), noise.DegreesOfFreedom, 1e-12);
        Assert.Equal(1 - (noise.T * noise.StandardError), noise.Lower, 1e-12);
        Assert.Equal(GateOutcome.Inconclusive, verdict.Outcome);
    }

    [Fact]
    public void Compare_NoSpread_DecidesOnTheDifferenceAlone()
    {
        var verdict = GateVerdict.Compare(Goal.Minimize, [1, 1], [1.5, 1.5], new GateAllowance(10, Relative: true), 0.95);

        Assert.Equal(0.1, verdict.Allowed, 1e-12);
        Assert.Equal(GateOutcome.Regression, verdict.Outcome);
        Assert.Equal(-0.5, verdict.Noise!.Upper, 1e-12);
    }

    [Theory]
    [InlineData("0.01", 0.01, false)]
    [InlineData("2%", 2, true)]
    [InlineData("0", 0, false)]
    public void Parse_AmountOrPercentage_ReadsIt(string text, double amount, bool relative)
    {
        Assert.Equal(new GateAllowance(amount, relative), GateAllowance.Parse(text));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("NaN")]
    [InlineData("%")]
    public void Parse_NotAnAllowance_IsNull(string text)
    {
        Assert.Null(GateAllowance.Parse(text));
    }
}
