using Tune.Pipeline.Stopping;
using static Tune.Pipeline.Tests.Stopping.Trials;

namespace Tune.Pipeline.Tests.Stopping;

// HyperDrive's documented example: slack_factor 0.2, evaluation_interval 10 (delay 0); the best run has 0.8 at interval 10,
// so runs below 0.8 / (1 + 0.2) = 0.667 stop; with slack_amount 0.2 instead, runs below 0.8 - 0.2 = 0.6 stop.
public class BanditPolicyTests
{
    [Theory]
    [InlineData(0.66, true)]
    [InlineData(0.67, false)]
    public void ShouldStop_SlackFactorMaximize_StopsBelowBestOverOnePlusFactor(double value, bool expected)
    {
        var policy = Create(slackFactor: 0.2);

        var stop = policy.ShouldStop(Context(Goal.Maximize, Running(0, (10, 0.8)), Running(1, (10, value))));

        Assert.Equal(expected, stop);
    }

    [Theory]
    [InlineData(0.59, true)]
    [InlineData(0.61, false)]
    public void ShouldStop_SlackAmountMaximize_StopsBelowBestMinusAmount(double value, bool expected)
    {
        var policy = Create(slackAmount: 0.2);

        var stop = policy.ShouldStop(Context(Goal.Maximize, Running(0, (10, 0.8)), Running(1, (10, value))));

        Assert.Equal(expected, stop);
    }

    [Theory]
    [InlineData(0.97, true)]
    [InlineData(0.95, false)]
    public void ShouldStop_SlackFactorMinimize_StopsAboveBestTimesOnePlusFactor(double value, bool expected)
    {
        var policy = Create(slackFactor: 0.2);

        var stop = policy.ShouldStop(Context(Goal.Minimize, Running(0, (10, 0.8)), Running(1, (10, value))));

        Assert.Equal(expected, stop);
    }

    [Theory]
    [InlineData(1.01, true)]
    [InlineData(0.99, false)]
    public void ShouldStop_SlackAmountMinimize_StopsAboveBestPlusAmount(double value, bool expected)
    {
        var policy = Create(slackAmount: 0.2);

        var stop = policy.ShouldStop(Context(Goal.Minimize, Running(0, (10, 0.8)), Running(1, (10, value))));

        Assert.Equal(expected, stop);
    }

    [Fact]
    public void ShouldStop_StepNotAMultipleOfTheInterval_DoesNotStop()
    {
        var policy = Create(slackFactor: 0.2);

        var stop = policy.ShouldStop(Context(Goal.Maximize, Running(0, (15, 0.8)), Running(1, (15, 0.1))));

        Assert.False(stop);
    }

    [Fact]
    public void ShouldStop_BeforeDelayEvaluation_DoesNotStop()
    {
        var policy = Create(slackFactor: 0.2, delay: 20);

        var atTen = policy.ShouldStop(Context(Goal.Maximize, Running(0, (10, 0.8)), Running(1, (10, 0.1))));
        var atTwenty = policy.ShouldStop(Context(Goal.Maximize, Running(0, (10, 0.8), (20, 0.8)), Running(1, (10, 0.1), (20, 0.1))));

        Assert.False(atTen);
        Assert.True(atTwenty);
    }

    [Fact]
    public void ShouldStop_TrialIsTheBest_DoesNotStop()
    {
        var policy = Create(slackAmount: 0.01);

        var stop = policy.ShouldStop(Context(Goal.Maximize, Running(0, (10, 0.5)), Running(1, (10, 0.9))));

        Assert.False(stop);
    }

    [Fact]
    public void ShouldStop_ComparesTheTrialsBestSoFar_NotItsLastValue()
    {
        var policy = Create(slackFactor: 0.2);

        var stop = policy.ShouldStop(Context(Goal.Maximize, Running(0, (10, 0.8), (20, 0.8)), Running(1, (10, 0.75), (20, 0.5))));

        Assert.False(stop);
    }

    [Theory]
    [InlineData(Goal.Maximize, -1.0, -1.18, true)]
    [InlineData(Goal.Maximize, -1.0, -1.15, false)]
    [InlineData(Goal.Minimize, -1.0, -0.79, true)]
    [InlineData(Goal.Minimize, -1.0, -0.81, false)]
    public void ShouldStop_NegativeMetric_KeepsTheSlackOnTheRightSide(Goal goal, double best, double value, bool expected)
    {
        var policy = Create(slackFactor: 0.2);

        var bestStops = policy.ShouldStop(Context(goal, Running(0, (10, value)), Running(1, (10, best))));
        var stop = policy.ShouldStop(Context(goal, Running(0, (10, best)), Running(1, (10, value))));

        Assert.False(bestStops);
        Assert.Equal(expected, stop);
    }

    [Fact]
    public void Validate_BothSlacks_ListsTheProblem()
    {
        var options = new BanditPolicyOptions { SlackFactor = 0.1, SlackAmount = 0.1, EvaluationInterval = 0 };

        var problems = options.Validate().ToList();

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("exactly one of SlackFactor and SlackAmount", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("EvaluationInterval is 0", StringComparison.Ordinal));
    }

    private static IEarlyStoppingPolicy Create(double? slackFactor = null, double? slackAmount = null, long delay = 0) =>
        new BanditPolicyOptions { SlackFactor = slackFactor, SlackAmount = slackAmount, EvaluationInterval = 10, DelayEvaluation = delay }.CreatePolicy();
}
