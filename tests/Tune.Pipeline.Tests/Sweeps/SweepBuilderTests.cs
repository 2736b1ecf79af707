using Tune.Pipeline.Samplers;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Stopping;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Tests.Sweeps;

public class SweepBuilderTests
{
    [Fact]
    public void Build_SeveralInvalidOptions_ThrowsListingEveryError()
    {
        var builder = new SweepBuilder("resnet-lr")
            .UseEarlyStopping(new BanditPolicyOptions { SlackFactor = 0.1, SlackAmount = 0.2 })
            .Configure(o => { o.MaxTrials = 0; o.MaxConcurrentTrials = 0; o.TrialTimeout = TimeSpan.FromSeconds(-1); o.TargetValue = double.NaN; })
            .Enqueue(new Dictionary<string, object?> { ["X"] = 2.0, ["Depth"] = 1 });

        var exception = Assert.Throws<InvalidSweepException>(() => builder.Build(QuadraticSpace.Instance));

        Assert.Equal(6, exception.Problems.Count);
        Assert.StartsWith("Sweep 'resnet-lr' has 6 problems:", exception.Message, StringComparison.Ordinal);
        Assert.Contains("MaxTrials is 0; it must be at least 1.", exception.Message, StringComparison.Ordinal);
        Assert.Contains("MaxConcurrentTrials is 0", exception.Message, StringComparison.Ordinal);
        Assert.Contains("TrialTimeout is -00:00:01", exception.Message, StringComparison.Ordinal);
        Assert.Contains("TargetValue is NaN", exception.Message, StringComparison.Ordinal);
        Assert.Contains("exactly one of SlackFactor and SlackAmount", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Enqueued configuration 0: Parameter 'X' is 2", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_GridWithAContinuousParameter_ThrowsNamingIt()
    {
        var builder = new SweepBuilder("grid").UseSampler(new GridSamplerOptions());

        var exception = Assert.Throws<InvalidSweepException>(() => builder.Build(QuadraticSpace.Instance));

        Assert.Contains("'X' (Uniform(0, 1)) is continuous", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_EmptyName_Throws()
    {
        var exception = Assert.Throws<InvalidSweepException>(() => new SweepBuilder(" ").Build(QuadraticSpace.Instance));

        Assert.Contains("The sweep has no name.", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_EnqueueDefaultsOnAnUntypedSpace_Throws()
    {
        var space = new SearchSpace([Parameter.Uniform("x", 0, 1)]);

        var exception = Assert.Throws<InvalidSweepException>(() => new SweepBuilder("untyped").EnqueueDefaults().Build(space));

        Assert.Contains("EnqueueDefaults needs a typed search space", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ChangingOptionsAfterwards_DoesNotChangeTheSweep()
    {
        var options = default(SweepOptions);
        var builder = new SweepBuilder("immutable").Configure(o => { o.MaxTrials = 5; options = o; });
        var sweep = builder.Build(QuadraticSpace.Instance);

        options!.MaxTrials = 50;

        Assert.Equal(5, sweep.MaxTrials);
    }

    [Fact]
    public void Build_OpenModeAndSettings_FlowIntoTheSweep()
    {
        var sweep = new SweepBuilder("configured").Configure(o => { o.OpenMode = SweepOpenMode.Resume; o.Settings = "{\"maxTrials\":6}"; }).Build(QuadraticSpace.Instance);

        Assert.Equal((SweepOpenMode.Resume, "{\"maxTrials\":6}"), (sweep.OpenMode, sweep.Settings));
    }

    [Fact]
    public void Build_Defaults_AreDocumentedOnes()
    {
        var sweep = new SweepBuilder("defaults").Build(QuadraticSpace.Instance);

        Assert.Equal(Goal.Minimize, sweep.Goal);
        Assert.Equal(0, sweep.Seed);
        Assert.Equal(100, sweep.MaxTrials);
        Assert.Equal(1, sweep.MaxConcurrentTrials);
        Assert.Equal(0, sweep.MaxRetries);
        Assert.Null(sweep.MaxDuration);
        Assert.Equal(SweepOpenMode.CreateOrResume, sweep.OpenMode);
        Assert.Null(sweep.Settings);
        Assert.Equal(Path.Combine("artifacts", "defaults"), sweep.ArtifactsDirectory);
        Assert.IsType<AutoSampler>(sweep.Sampler);
        Assert.IsType<NoEarlyStoppingPolicy>(sweep.EarlyStoppingPolicy);
    }

    [Fact]
    public void Build_TpeOptionsOutOfRange_ListsTheProblemWithTheOthers()
    {
        var exception = Assert.Throws<InvalidSweepException>(() => new SweepBuilder("bad")
            .UseSampler(new TpeSamplerOptions { Gamma = 2.0 })
            .Configure(o => o.MaxTrials = 0)
            .Build(QuadraticSpace.Instance));

        Assert.Contains("TpeSamplerOptions", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Gamma", exception.Message, StringComparison.Ordinal);
        Assert.Contains("MaxTrials", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tpe", typeof(TpeSampler))]
    [InlineData("gp", typeof(GpSampler))]
    [InlineData("sobol", typeof(SobolSampler))]
    public void Build_SamplerByName_UsesThatSampler(string name, Type expected)
    {
        var sweep = new SweepBuilder("named").UseSampler(SamplerCatalog.CreateOptions(name)).Build(QuadraticSpace.Instance);

        Assert.IsType(expected, sweep.Sampler);
    }
}
