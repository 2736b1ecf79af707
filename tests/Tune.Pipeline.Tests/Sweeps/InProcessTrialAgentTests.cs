using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Tests.Sweeps;

public class InProcessTrialAgentTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunTrialAsync_PreparationFails_IsRetriedByTheNextTrial()
    {
        var experiment = new FlakyPreparation();
        var agent = InProcessTrialAgent.Create(experiment, QuadraticSpace.Instance);
        var configuration = QuadraticSpace.Instance.DefaultConfiguration;

        await Assert.ThrowsAsync<IOException>(() => agent.RunTrialAsync(configuration, new Context(0), Ct).AsTask());
        var result = await agent.RunTrialAsync(configuration, new Context(1), Ct);
        await agent.RunTrialAsync(configuration, new Context(2), Ct);

        Assert.Equal(0.5, result.Objective);
        Assert.Equal(2, experiment.Preparations);
    }

    private sealed class FlakyPreparation : IExperiment<QuadraticParameters>
    {
        public int Preparations { get; private set; }

        public ValueTask PrepareAsync(ExperimentContext context, CancellationToken cancellationToken) =>
            ++Preparations == 1 ? throw new IOException("Data share not mounted yet.") : ValueTask.CompletedTask;

        public ValueTask<TrialResult> RunTrialAsync(QuadraticParameters parameters, TrialContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult<TrialResult>(parameters.X);

        public ValueTask RetrainAsync(QuadraticParameters parameters, ExperimentContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class Context(int number) : TrialContext(number, seed: number, threads: 1, artifactsDirectory: "artifacts")
    {
        public override bool IsStopRequested => false;

        protected override void OnReport(StepValue stepValue)
        {
        }
    }
}
