using Tune.Pipeline.Sweeps;
using Tune.Pipeline.Stopping;
using static Tune.Pipeline.Tests.Stopping.Trials;

namespace Tune.Pipeline.Tests.Stopping;

// HyperDrive's documented example: truncation_percentage 20, evaluation_interval 1, delay_evaluation 5; a run stops at
// interval 5 if its performance at interval 5 is in the lowest 20% of all runs' performance at interval 5.
public class TruncationSelectionPolicyTests
{
    [Theory]
    [InlineData(0.5, true)]
    [InlineData(0.65, false)]
    public void ShouldStop_Maximize_StopsTheLowestTwentyPercent(double value, bool expected)
    {
        var stop = Policy().ShouldStop(Context(Goal.Maximize, [.. Others(0.9, 0.8, 0.7, 0.6), Running(4, Flat(value, 5))]));

        Assert.Equal(expected, stop);
    }

    [Theory]
    [InlineData(0.95, true)]
    [InlineData(0.65, false)]
    public void ShouldStop_Minimize_StopsTheHighestTwentyPercent(double value, bool expected)
    {
        var stop = Policy().ShouldStop(Context(Goal.Minimize, [.. Others(0.9, 0.8, 0.7, 0.6), Running(4, Flat(value, 5))]));

        Assert.Equal(expected, stop);
    }

    [Fact]
    public void ShouldStop_TenTrials_StopsTheLowestTwo()
    {
        var others = Others(0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5);

        var secondWorst = Policy().ShouldStop(Context(Goal.Maximize, [.. others, Running(9, Flat(0.52, 5))]));
        var thirdWorst = Policy().ShouldStop(Context(Goal.Maximize, [.. others, Running(9, Flat(0.57, 5))]));

        Assert.True(secondWorst);
        Assert.False(thirdWorst);
    }

    [Fact]
    public void ShouldStop_YoungTrial_IsRankedAgainstOlderTrialsAtTheSameStep()
    {
        // The older trial is far better later on, but at step 5 it was worse than the young one.
        Trial[] trials =
        [
            Running(0, [.. Flat(0.4, 5), (6, 0.99)]),
            Running(1, Flat(0.9, 5)),
            Running(2, Flat(0.9, 5)),
            Running(3, Flat(0.9, 5)),
            Running(4, Flat(0.5, 5)),
        ];

        var stop = Policy().ShouldStop(Context(Goal.Maximize, trials));

        Assert.False(stop);
    }

    [Fact]
    public void ShouldStop_ExcludeFinished_LeavesCompletedTrialsOutOfTheRanking()
    {
        Trial[] trials = [.. Enumerable.Range(0, 4).Select(i => Completed(i, Flat(0.9, 5))), Running(4, Flat(0.1, 5))];

        var included = Policy().ShouldStop(Context(Goal.Maximize, trials));
        var excluded = Policy(excludeFinished: true).ShouldStop(Context(Goal.Maximize, trials));

        Assert.True(included);
        Assert.False(excluded);
    }

    [Fact]
    public void ShouldStop_BeforeDelayEvaluation_DoesNotStop()
    {
        var stop = Policy().ShouldStop(Context(Goal.Maximize, [.. Others(0.9, 0.8, 0.7, 0.6), Running(4, Flat(0.1, 4))]));

        Assert.False(stop);
    }

    private static Trial[] Others(params double[] values) => [.. values.Select((v, i) => Running(i, Flat(v, 5)))];

    private static IEarlyStoppingPolicy Policy(bool excludeFinished = false) =>
        new TruncationSelectionPolicyOptions { TruncationPercentage = 20, EvaluationInterval = 1, DelayEvaluation = 5, ExcludeFinished = excludeFinished }.CreatePolicy();
}
