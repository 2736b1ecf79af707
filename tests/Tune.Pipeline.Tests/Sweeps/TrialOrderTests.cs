using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Tests.Sweeps;

public class TrialOrderTests
{
    [Fact]
    public void BestFirst_Maximize_CompletedLargestFirst()
    {
        Trial[] trials = [Completed(0, 0.5), Completed(1, 0.9), Completed(2, 0.7)];

        Assert.Equal([1, 2, 0], Numbers(trials.BestFirst(Goal.Maximize)));
    }

    [Fact]
    public void BestFirst_Minimize_CompletedSmallestFirst()
    {
        Trial[] trials = [Completed(0, 0.5), Completed(1, 0.9), Completed(2, 0.7)];

        Assert.Equal([0, 2, 1], Numbers(trials.BestFirst(Goal.Minimize)));
    }

    [Fact]
    public void BestFirst_TiedValues_LowerNumberFirst()
    {
        Trial[] trials = [Completed(3, 0.5), Completed(1, 0.5), Completed(2, 0.9), Completed(0, 0.5)];

        Assert.Equal([2, 0, 1, 3], Numbers(trials.BestFirst(Goal.Maximize)));
    }

    [Fact]
    public void BestFirst_PrunedByTheirLastStepValueAfterEveryCompletedOne()
    {
        // Pruned trial 2's last step (0.95) beats every completed value, yet it stays behind them: it is an intermediate value.
        Trial[] trials =
        [
            Pruned(0, (1, 0.9), (2, 0.3)),
            Completed(1, 0.5),
            Pruned(2, (1, 0.2), (4, 0.95)),
            Pruned(3),
            Pruned(4, (1, 0.25)),
        ];

        Assert.Equal([1, 2, 0, 4, 3], Numbers(trials.BestFirst(Goal.Maximize)));
        Assert.Equal([1, 4, 0, 2, 3], Numbers(trials.BestFirst(Goal.Minimize)));
    }

    [Fact]
    public void BestFirst_FailedAfterPrunedAndUnfinishedLast_EachByNumber()
    {
        Trial[] trials =
        [
            Trial(0, TrialState.Running, null),
            Failed(1),
            Trial(2, TrialState.Pending, null) with { IsInterrupted = true },
            Pruned(3, (1, 0.1)),
            Failed(4) with { Steps = [new StepValue(1, 0.99)] },
            Completed(5, 0.1),
            Trial(6, TrialState.Pending, null),
        ];

        Assert.Equal([5, 3, 1, 4, 0, 2, 6], Numbers(trials.BestFirst(Goal.Maximize)));
    }

    [Fact]
    public void Best_IsTheFirstCompletedTrialOfTheOrder()
    {
        Trial[] trials = [Pruned(0, (1, 0.99)), Completed(1, 0.5), Completed(2, 0.7), Completed(3, 0.7), Failed(4)];

        var best = trials.Best(Goal.Maximize);

        Assert.Equal(2, best!.Number);
        Assert.Same(trials.BestFirst(Goal.Maximize).First(t => t.State == TrialState.Completed), best);
    }

    [Fact]
    public void Best_NoneCompleted_IsNull()
    {
        Trial[] trials = [Pruned(0, (1, 0.99)), Failed(1)];

        Assert.Null(trials.Best(Goal.Minimize));
    }

    [Fact]
    public void Compare_IsTheSameForAnyViewOfTheTrials()
    {
        Trial[] trials = [Completed(0, 0.5), Pruned(1, (2, 0.8)), Completed(2, 0.9), Failed(3)];
        var views = trials.Select(t => (Number: t.Number, Standing: new TrialStanding(t.Number, t.State, t.Value, t.LastStep))).Reverse().ToList();

        var ordered = TrialOrder.BestFirst(views, Goal.Maximize, v => v.Standing).Select(v => v.Number);

        Assert.Equal(Numbers(trials.BestFirst(Goal.Maximize)), ordered);
    }

    [Fact]
    public void Standing_PrunedTrial_StoppedAtItsLastStep()
    {
        var standing = Pruned(0, (1, 0.2), (7, 0.4)).Standing;

        Assert.Equal((7L, 0.4), (standing.StoppedAtStep, standing.RankingValue));
        Assert.Null(Completed(1, 0.3).Standing.StoppedAtStep);
    }

    private static int[] Numbers(IEnumerable<Trial> trials) => [.. trials.Select(t => t.Number)];

    private static Trial Trial(int number, TrialState state, double? value) =>
        new(number, QuadraticSpace.Instance.CreateConfiguration([0.5, 2L]), state, value);

    private static Trial Completed(int number, double value) => Trial(number, TrialState.Completed, value);

    private static Trial Failed(int number) => Trial(number, TrialState.Failed, null) with { Error = "IOException: disk full" };

    private static Trial Pruned(int number, params (long Step, double Value)[] steps) =>
        Trial(number, TrialState.Pruned, null) with { Steps = [.. steps.Select(s => new StepValue(s.Step, s.Value))] };
}
