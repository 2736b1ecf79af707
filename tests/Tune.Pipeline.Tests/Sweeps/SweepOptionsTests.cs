using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Tests.Sweeps;

public class SweepOptionsTests
{
    [Fact]
    public void Validate_Defaults_ReturnsNoProblem()
    {
        var problems = new SweepOptions().Validate();

        Assert.Empty(problems);
    }

    [Fact]
    public void Validate_EveryOptionInvalid_ReturnsEveryProblemNamingItsProperty()
    {
        var options = new SweepOptions
        {
            Goal = (Goal)7,
            MaxTrials = 0,
            MaxConcurrentTrials = SweepOptions.MaxConcurrentTrialsLimit + 1,
            MaxDuration = TimeSpan.Zero,
            TrialTimeout = TimeSpan.FromSeconds(-1),
            MaxTrialsWithoutImprovement = 0,
            TargetValue = double.PositiveInfinity,
            MaxRetries = SweepOptions.MaxRetriesLimit + 1,
            ThreadsPerTrial = 0,
        };

        var problems = options.Validate();

        Assert.Equal(
            ["Goal", "MaxTrials", "MaxConcurrentTrials", "MaxDuration", "TrialTimeout", "MaxTrialsWithoutImprovement", "TargetValue", "MaxRetries", "ThreadsPerTrial"],
            problems.Select(p => Assert.Single(p.MemberNames)));
        Assert.All(problems, p => Assert.StartsWith(p.MemberNames.Single() + " is ", p.ErrorMessage, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(49 * 24, true)]
    [InlineData((49 * 24) + 1, false)]
    public void Validate_DurationAtTheLimit_IsAcceptedAndBeyondItRefused(int hours, bool valid)
    {
        var options = new SweepOptions { MaxDuration = TimeSpan.FromHours(hours), TrialTimeout = TimeSpan.FromHours(hours) };

        var problems = options.Validate();

        Assert.Equal(valid ? 0 : 2, problems.Count);
        Assert.All(problems, p => Assert.Contains("at most 49 days", p.ErrorMessage, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ReportsWhatBuildReports()
    {
        var builder = new SweepBuilder("same-rules").Configure(o => { o.MaxTrials = 0; o.MaxDuration = TimeSpan.FromDays(365); });
        var options = new SweepOptions { MaxTrials = 0, MaxDuration = TimeSpan.FromDays(365) };

        var exception = Assert.Throws<InvalidSweepException>(() => builder.Build(QuadraticSpace.Instance));

        Assert.Equal(options.Validate().Select(p => p.ErrorMessage), exception.Problems);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(int.MaxValue)]
    public void DefaultThreadsPerTrial_AnyCount_IsAtLeastOne(int trialsAtOnce)
    {
        var threads = SweepOptions.DefaultThreadsPerTrial(trialsAtOnce);

        Assert.InRange(threads, 1, Environment.ProcessorCount);
    }
}
