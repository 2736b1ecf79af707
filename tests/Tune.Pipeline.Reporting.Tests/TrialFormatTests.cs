using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Reporting.Tests;

public class TrialFormatTests
{
    [Theory]
    [InlineData(TrialState.Completed, 0.123456789, null, "0.123457")]
    [InlineData(TrialState.Pruned, null, 7L, "0.8125 @7")]
    [InlineData(TrialState.Failed, null, 7L, "-")]
    [InlineData(TrialState.Pending, null, null, "-")]
    public void Objective_EachState_WritesItsRankingValueAndAPrunedTrialsStopStep(TrialState state, double? value, long? lastStep, string expected)
    {
        var standing = new TrialStanding(0, state, value, lastStep is { } step ? new StepValue(step, 0.8125) : null);

        Assert.Equal(expected, TrialFormat.Objective(standing));
    }

    [Theory]
    [InlineData(TrialState.Pending, true, "pending (interrupted)")]
    [InlineData(TrialState.Pending, false, "pending")]
    [InlineData(TrialState.Failed, true, "failed")]
    public void State_Interrupted_SaysSoOnlyForAPendingTrial(TrialState state, bool interrupted, string expected) =>
        Assert.Equal(expected, TrialFormat.State(state, interrupted));

    [Theory]
    [InlineData(12.34, "12.3 s")]
    [InlineData(125, "2:05")]
    [InlineData(3725, "1:02:05")]
    [InlineData(-3, "0.0 s")]
    public void Duration_EachRange_UsesItsForm(double seconds, string expected) =>
        Assert.Equal(expected, TrialFormat.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Parameters_MixedValues_ShortensRealsOnly()
    {
        KeyValuePair<string, object?>[] values = [new("Rate", 0.000123456789), new("Depth", 12L), new("Kernel", "a,b"), new("Bias", true)];

        Assert.Equal("Rate=0.000123457, Depth=12, Kernel=a,b, Bias=true", TrialFormat.Parameters(values));
    }
}
