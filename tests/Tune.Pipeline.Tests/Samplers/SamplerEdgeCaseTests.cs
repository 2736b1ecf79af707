using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Tests.Samplers;

public class SamplerEdgeCaseTests
{
    public static TheoryData<string> Samplers => ["tpe", "gp", "auto"];

    [Theory]
    [MemberData(nameof(Samplers))]
    public void Suggest_ConstantObjective_StillProposesValidConfigurations(string name)
    {
        var history = SamplerTestData.History(SamplerTestData.Mixed, _ => 1.0, 15, seed: 1);

        var configuration = SamplerContractTests.Create(name).Suggest(SamplerTestData.Context(SamplerTestData.Mixed, history, 2));

        SamplerTestData.AssertValid(configuration!);
    }

    [Theory]
    [MemberData(nameof(Samplers))]
    public void Suggest_OnlyChoices_ProposesOneOfThem(string name)
    {
        var space = new SearchSpace([Parameter.Choice("a", ["x", "y", "z"]), Parameter.Choice("b", [1L, 2L, 3L, 4L])]);
        var history = SamplerTestData.History(space, c => (string)c["a"] == "y" ? 0.0 : 1.0, 11, seed: 3);

        var configuration = SamplerContractTests.Create(name).Suggest(SamplerTestData.Context(space, history, 4));

        SamplerTestData.AssertValid(configuration!);
    }

    [Theory]
    [MemberData(nameof(Samplers))]
    public void Suggest_OneParameterWithPendingAndFailedTrials_StaysInRange(string name)
    {
        var space = new SearchSpace([Parameter.QNormal("n", 0, 3, 0.5)]);
        var history = SamplerTestData.History(space, c => Math.Abs(c.GetDouble("n")), 14, seed: 5);
        history.Add(new Trial(14, space.Sample(new SeededRandom(9)), TrialState.Failed, null));

        var configuration = SamplerContractTests.Create(name).Suggest(SamplerTestData.Context(space, history, 6, [history[0].Configuration, history[1].Configuration]));

        SamplerTestData.AssertValid(configuration!);
        var steps = configuration!.GetDouble("n") / 0.5;
        Assert.Equal(Math.Round(steps), steps, 1e-9);
    }
}

public class GpSamplerLongHistoryTests
{
    [Fact]
    public void Suggest_MoreTrialsThanFitAndModelPoints_IsReproducibleAndValid()
    {
        var options = new Tune.Pipeline.Samplers.GpSamplerOptions { FitPoints = 16, MaxPoints = 40 };
        var history = SamplerTestData.History(SamplerTestData.Mixed, SamplerTestData.Loss, 60, seed: 8);

        var first = Tune.Pipeline.Samplers.SamplerCatalog.CreateGp(options).Suggest(SamplerTestData.Context(SamplerTestData.Mixed, history, 3));
        var second = Tune.Pipeline.Samplers.SamplerCatalog.CreateGp(options).Suggest(SamplerTestData.Context(SamplerTestData.Mixed, history, 3));

        Assert.Equal(first, second);
        SamplerTestData.AssertValid(first!);
    }
}
