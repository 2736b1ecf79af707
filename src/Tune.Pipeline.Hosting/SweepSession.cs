using System.Globalization;
using Spectre.Console;
using Tune.Pipeline.Hosting.Launchers;
using Tune.Pipeline.Reporting;
using Tune.Pipeline.Stores;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Hosting;

/// <summary>
/// Represents one run of a sweep's controller: the store, the MLflow tracking, the live progress and the agents it
/// started through its launcher (<see cref="IAgentLauncher"/>), released together by one <see cref="DisposeAsync"/>.
/// </summary>
/// <remarks>
/// The agents start only once the controller has created or resumed the sweep in the store: a controller that loses
/// the race for a sweep's name starts none, so no agent of it ever leases a trial of the winner's sweep.
/// </remarks>
internal sealed class SweepSession : IAsyncDisposable
{
    private readonly SqlSweepStore _store;
    private readonly SweepTracking _tracking;
    private readonly IAgentLauncher _agents;
    private readonly StoreTrialAgent _agent;
    private readonly AgentLaunch _launch;

    private SweepSession(SqlSweepStore store, SweepTracking tracking, SweepProgress progress, IAnsiConsole console, StoreTrialAgent agent, IAgentLauncher agents, AgentLaunch launch)
    {
        _store = store;
        _tracking = tracking;
        Progress = progress;
        Console = console;
        _agent = agent;
        _agents = agents;
        _launch = launch;
        Store = new StartAgentsOnOpen(progress.Observe(store), this);
    }

    /// <summary>Gets the store the controller records through: progress is shown, and agents start, as it records.</summary>
    public ISweepStore Store { get; }

    public SweepProgress Progress { get; }

    public IAnsiConsole Console { get; }

    public ITrialAgent Agent => _agent;

    public SweepTracking Tracking => _tracking;

    /// <summary>Gets a task that completes, saying why, when none of the agents can run any more.</summary>
    public Task<string> NoAgentCanRun => _agents.NoAgentCanRun;

    public static async Task<SweepSession> OpenAsync(
        SqlSweepStore store, SweepSettings settings, ExperimentIdentity identity, SweepTrackingRequest trackingRequest, TimeSpan leaseTimeout,
        SweepHome home, TimeProvider time, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        // Chosen before anything starts: a launcher whose package is missing is a usage error with nothing written.
        var launcher = AgentLaunchers.Create(settings.Launcher, error, time);
        var tracking = await SweepTracking.StartAsync(
            trackingRequest, store, settings, identity, time, output, error, cancellationToken).ConfigureAwait(false);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        var progress = new SweepProgress(console, new SweepProgressOptions
        {
            Experiment = identity.Name,
            ObjectiveMetric = identity.ObjectiveMetric,
            Goal = identity.Goal,
            MaxTrials = settings.MaxTrials,
        }, time);
        var agent = new StoreTrialAgent(store, settings.SweepName, leaseTimeout);
        var launch = new AgentLaunch
        {
            SweepName = settings.SweepName,
            Store = settings.Store,
            // The CPU agents, then the GPU agents (each told its device by its placement).
            Count = settings.LocalAgents,
            Arguments = AgentLaunch.CommonArguments(settings.SweepName, settings.ThreadsPerTrial, leaseTimeout),
            Placement = settings.AgentPlacement,
            Home = home,
            Settings = settings.LauncherSettings,
            OnAgentsChanged = progress.OnAgents,
            Error = error,
            Time = time,
        };
        return new SweepSession(store, tracking, progress, console, agent, launcher, launch);
    }

    /// <summary>Lets the agents finish (they exit when the sweep closes), then stops any still running.</summary>
    public Task StopAgentsAsync() => _agents.StopAsync(TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync()
    {
        await _agents.DisposeAsync().ConfigureAwait(false);
        await _agent.DisposeAsync().ConfigureAwait(false);
        await _tracking.DisposeAsync().ConfigureAwait(false);
        await _store.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class StartAgentsOnOpen(ISweepStore inner, SweepSession session) : ISweepStore
    {
        public async ValueTask<IReadOnlyList<Trial>> OpenSweepAsync(Sweep sweep, CancellationToken cancellationToken)
        {
            var trials = await inner.OpenSweepAsync(sweep, cancellationToken).ConfigureAwait(false);
            if (session._launch.Count > 0)
            {
                await session._agents.StartAsync(session._launch, cancellationToken).ConfigureAwait(false);
            }

            return trials;
        }

        public ValueTask SaveTrialAsync(string sweepName, Trial trial, CancellationToken cancellationToken) => inner.SaveTrialAsync(sweepName, trial, cancellationToken);

        public ValueTask AppendStepAsync(string sweepName, int trialNumber, StepValue stepValue, CancellationToken cancellationToken) =>
            inner.AppendStepAsync(sweepName, trialNumber, stepValue, cancellationToken);

        public ValueTask CloseSweepAsync(string sweepName, SweepStopReason stopReason, CancellationToken cancellationToken) =>
            inner.CloseSweepAsync(sweepName, stopReason, cancellationToken);
    }
}
