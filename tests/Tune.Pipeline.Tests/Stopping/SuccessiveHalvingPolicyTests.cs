using Tune.Pipeline.Stopping;
using static Tune.Pipeline.Tests.Stopping.Trials;

namespace Tune.Pipeline.Tests.Stopping;

public class SuccessiveHalvingPolicyTests
{
    [Fact]
    public void ShouldStop_FirstTrialAtARung_GoesOn()
    {
        var stop = Policy().ShouldStop(Context(Goal.Maximize, Running(0, (1, 0.1))));

        Assert.False(stop);
    }

    [Theory]
    [InlineData(Goal.Maximize, 0.5, true)]
    [InlineData(Goal.Maximize, 0.95, false)]
    [InlineData(Goal.Minimize, 0.5, false)]
    [InlineData(Goal.Minimize, 0.95, true)]
    public void ShouldStop_SecondTrialAtRungOne_GoesOnOnlyIfItBeatsTheFirst(Goal goal, double value, bool expected)
    {
        var stop = Policy().ShouldStop(Context(goal, Running(0, (1, 0.9)), Running(1, (1, value))));

        Assert.Equal(expected, stop);
    }

    [Fact]
    public void ShouldStop_SixTrialsAtARung_PromotesTheTopThird()
    {
        // With eta = 3 and six trials at rung 1, the top two go on.
        var others = Enumerable.Range(0, 5).Select(i => Running(i, (1, 0.1 * (i + 1)))).ToArray();

        var second = Policy().ShouldStop(Context(Goal.Maximize, [.. others, Running(5, (1, 0.45))]));
        var third = Policy().ShouldStop(Context(Goal.Maximize, [.. others, Running(5, (1, 0.35))]));

        Assert.False(second);
        Assert.True(third);
    }

    [Fact]
    public void ShouldStop_StepBetweenRungs_DoesNotStop()
    {
        var stop = Policy().ShouldStop(Context(Goal.Maximize, Running(0, (1, 0.9), (2, 0.9)), Running(1, (1, 0.95), (2, 0.1))));

        Assert.False(stop);
    }

    [Fact]
    public void ShouldStop_ReachingTheNextRung_ComparesValuesThere()
    {
        // Rungs are 1, 3, 9 for a minimum resource of 1 and a reduction factor of 3.
        var stop = Policy().ShouldStop(Context(Goal.Maximize, Running(0, (1, 0.9), (3, 0.9)), Running(1, (1, 0.95), (2, 0.9), (3, 0.2))));

        Assert.True(stop);
    }

    [Fact]
    public void ShouldStop_BeyondMaxResource_DoesNotStop()
    {
        var policy = new SuccessiveHalvingPolicyOptions { MinResource = 1, ReductionFactor = 3, MaxResource = 2 }.CreatePolicy();

        var stop = policy.ShouldStop(Context(Goal.Maximize, Running(0, (1, 0.9), (3, 0.9)), Running(1, (1, 0.95), (3, 0.2))));

        Assert.False(stop);
    }

    private static IEarlyStoppingPolicy Policy() => new SuccessiveHalvingPolicyOptions { MinResource = 1, ReductionFactor = 3 }.CreatePolicy();
}
