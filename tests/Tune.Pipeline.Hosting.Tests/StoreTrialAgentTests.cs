using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Stopping;
using Tune.Pipeline.Stores.Sqlite;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Hosting.Tests;

/// <summary>The queue between the controller and agents, with both ends in this process on separate store connections.</summary>
public sealed class StoreTrialAgentTests : IDisposable
{
    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("tune-queue-").FullName, "tune.db");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
    }

    [Fact]
    public async Task RunAsync_PolicyStopsOddTrials_AgentSeesTheStopAtItsNextReportAndStepsReachTheController()
    {
        await using var controllerStore = new SqliteSweepStore(_path);
        await using var agentStore = new SqliteSweepStore(_path);
        var sweep = new SweepBuilder("stopping")
            .UseStore(controllerStore)
            .UseEarlyStopping(new StopOddTrialsAtStepTwo())
            .Configure(o => { o.MaxTrials = 6; o.MaxConcurrentTrials = 2; })
            .Build(StepSpace.Instance);
        var experiment = new SteppingExperiment();
        await using var agent = new StoreTrialAgent(controllerStore, "stopping", TimeSpan.FromSeconds(10));
        using var agentStop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var loop = new TrialAgentLoop<StepParameters>(agentStore, "stopping", experiment, StepSpace.Instance, 1, TimeSpan.FromSeconds(10), Path.GetDirectoryName(_path)!);
        var agentRun = loop.RunAsync(TimeSpan.FromSeconds(30), agentStop.Token);

        var result = await sweep.RunAsync(agent, Ct);
        await agentRun;

        Assert.All(result.Trials.Where(t => t.Number % 2 == 1), t => Assert.Equal(TrialState.Pruned, t.State));
        Assert.All(result.Trials.Where(t => t.Number % 2 == 0), t => Assert.Equal((TrialState.Completed, 5, (string?)null), (t.State, t.Steps.Length, t.Error)));
        // The policy stops a trial on step 2; the agent learns it when it reports step 3, and returns.
        Assert.All(result.Trials.Where(t => t.Number % 2 == 1), t => Assert.Equal(3, experiment.LastStepReported[t.Number]));
        Assert.Equal(6, loop.TrialsRun);
    }

    [Fact]
    public async Task RunAsync_TrialThrowsInTheAgent_ControllerRecordsTheAgentsError()
    {
        await using var controllerStore = new SqliteSweepStore(_path);
        await using var agentStore = new SqliteSweepStore(_path);
        var sweep = new SweepBuilder("throws").UseStore(controllerStore).Configure(o => o.MaxTrials = 2).Build(StepSpace.Instance);
        await using var agent = new StoreTrialAgent(controllerStore, "throws", TimeSpan.FromSeconds(10));
        var loop = new TrialAgentLoop<StepParameters>(agentStore, "throws", new SteppingExperiment { Throw = true }, StepSpace.Instance, 1, TimeSpan.FromSeconds(10), Path.GetDirectoryName(_path)!);
        var agentRun = loop.RunAsync(TimeSpan.FromSeconds(30), Ct);

        var error = await Assert.ThrowsAsync<SweepFailedException>(() => sweep.RunAsync(agent, Ct));
        await agentRun;

        Assert.Contains("InvalidOperationException: the model diverged", error.Message, StringComparison.Ordinal);
    }

    private sealed class StopOddTrialsAtStepTwo : IEarlyStoppingPolicy
    {
        public bool ShouldStop(EarlyStoppingContext context) => context.Trial.Number % 2 == 1 && context.Step >= 2;
    }

    public sealed class StepParameters
    {
        public double X { get; init; } = 0.5;
    }

    private sealed class StepSpace() : SearchSpace<StepParameters>([Parameter.Uniform("X", 0, 1)])
    {
        public static StepSpace Instance { get; } = new();

        public override StepParameters ToParameters(Configuration configuration) => new() { X = configuration.GetDouble("X") };

        public override Configuration ToConfiguration(StepParameters parameters) => CreateConfiguration([parameters.X]);

        protected override StepParameters CreateDefault() => new();
    }

    private sealed class SteppingExperiment : IExperiment<StepParameters>
    {
        public bool Throw { get; init; }

        public System.Collections.Concurrent.ConcurrentDictionary<int, long> LastStepReported { get; } = new();

        public async ValueTask<TrialResult> RunTrialAsync(StepParameters parameters, TrialContext context, CancellationToken cancellationToken)
        {
            if (Throw)
            {
                throw new InvalidOperationException("the model diverged");
            }

            for (var step = 1; step <= 5; step++)
            {
                context.Report(step, parameters.X + step);
                LastStepReported[context.TrialNumber] = step;
                if (context.IsStopRequested)
                {
                    return parameters.X;
                }

                // Long enough for the controller to poll the step and write its stop request before the next report.
                await Task.Delay(200, cancellationToken);
            }

            return parameters.X;
        }

        public ValueTask RetrainAsync(StepParameters parameters, ExperimentContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
