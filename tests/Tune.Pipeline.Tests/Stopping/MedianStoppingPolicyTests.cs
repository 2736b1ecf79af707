using Tune.Pipeline.Sweeps;
using Tune.Pipeline.Stopping;
using static Tune.Pipeline.Tests.Stopping.Trials;

namespace Tune.Pipeline.Tests.Stopping;

// HyperDrive's documented example: evaluation_interval 1, delay_evaluation 5; a run stops at interval 5 if its best
// primary metric is worse than the median of the running averages over intervals 1:5 across all runs.
public class MedianStoppingPolicyTests
{
    // Running averages over steps 1..5: 0.7, 0.6 and 0.8, so the median is 0.7.
    private static readonly Trial[] Others =
    [
        Completed(0, (1, 0.5), (2, 0.6), (3, 0.7), (4, 0.8), (5, 0.9)),
        Running(1, Flat(0.6, 5)),
        Running(2, Flat(0.8, 6)),
    ];

    [Theory]
    [InlineData(0.65, true)]
    [InlineData(0.75, false)]
    public void ShouldStop_Maximize_StopsWhenBestIsBelowTheMedianOfRunningAverages(double value, bool expected)
    {
        var stop = Policy().ShouldStop(Context(Goal.Maximize, [.. Others, Running(3, Flat(value, 5))]));

        Assert.Equal(expected, stop);
    }

    [Theory]
    [InlineData(0.75, true)]
    [InlineData(0.65, false)]
    public void ShouldStop_Minimize_StopsWhenBestIsAboveTheMedianOfRunningAverages(double value, bool expected)
    {
        var stop = Policy().ShouldStop(Context(Goal.Minimize, [.. Others, Running(3, Flat(value, 5))]));

        Assert.Equal(expected, stop);
    }

    [Fact]
    public void ShouldStop_BeforeDelayEvaluation_DoesNotStop()
    {
        var stop = Policy().ShouldStop(Context(Goal.Maximize, [.. Others, Running(3, Flat(0.1, 4))]));

        Assert.False(stop);
    }

    [Fact]
    public void ShouldStop_NoOtherTrialReachedTheStep_DoesNotStop()
    {
        var stop = Policy().ShouldStop(Context(Goal.Maximize, Running(0, Flat(0.9, 3)), Running(1, Flat(0.1, 5))));

        Assert.False(stop);
    }

    private static IEarlyStoppingPolicy Policy() => new MedianStoppingPolicyOptions { EvaluationInterval = 1, DelayEvaluation = 5 }.CreatePolicy();
}
