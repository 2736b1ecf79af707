using System.Globalization;
using Spectre.Console;
using Tune.Pipeline.Reporting;
using Tune.Pipeline.Stores;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Hosting;

/// <summary>
/// Represents one run of a sweep's controller: the store, the MLflow tracking, the live progress and the local agent
/// processes it owns, released together by one <see cref="DisposeAsync"/>.
/// </summary>
/// <remarks>
/// The agents start only once the controller has created or resumed the sweep in the store: a controller that loses
/// the race for a sweep's name starts none, so no agent of it ever leases a trial of the winner's sweep.
/// </remarks>
internal sealed class SweepSession : IAsyncDisposable
{
    private readonly SqlSweepStore _store;
    private readonly SweepTracking _tracking;
    private readonly AgentSupervisor _agents;
    private readonly StoreTrialAgent _agent;
    private readonly int _agentCount;

    private SweepSession(SqlSweepStore store, SweepTracking tracking, SweepProgress progress, IAnsiConsole console, StoreTrialAgent agent, AgentSupervisor agents, int agentCount)
    {
        _store = store;
        _tracking = tracking;
        Progress = progress;
        Console = console;
        _agent = agent;
        _agents = agents;
        _agentCount = agentCount;
        Store = new StartAgentsOnOpen(progress.Observe(store), this);
    }

    /// <summary>Gets the store the controller records through: progress is shown, and agents start, as it records.</summary>
    public ISweepStore Store { get; }

    public SweepProgress Progress { get; }

    public IAnsiConsole Console { get; }

    public ITrialAgent Agent => _agent;

    public SweepTracking Tracking => _tracking;

    /// <summary>Gets a task that completes when every local agent has given up restarting.</summary>
    public Task AgentsGaveUp => _agents.AllGaveUp.Task;

    public static async Task<SweepSession> OpenAsync(
        SqlSweepStore store, SweepSettings settings, ExperimentIdentity identity, SweepTrackingRequest trackingRequest, TimeSpan leaseTimeout,
        TimeProvider time, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
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
        var agents = new AgentSupervisor(
            [
                "agent", "--store", settings.Store, "--sweep", settings.SweepName, "--threads-per-trial", settings.ThreadsPerTrial.ToString(CultureInfo.InvariantCulture),
                "--lease-timeout", leaseTimeout.ToString("c", CultureInfo.InvariantCulture), "--exit-with-parent",
            ],
            error,
            time,
            slot => slot > settings.Agents ? ["--device", settings.GpuAgents[slot - settings.Agents - 1]] : []);

        // Slots 1..Agents are the CPU agents, the rest the GPU agents, each given its device.
        return new SweepSession(store, tracking, progress, console, agent, agents, settings.LocalAgents);
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
            session._agents.Start(session._agentCount);
            return trials;
        }

        public ValueTask SaveTrialAsync(string sweepName, Trial trial, CancellationToken cancellationToken) => inner.SaveTrialAsync(sweepName, trial, cancellationToken);

        public ValueTask AppendStepAsync(string sweepName, int trialNumber, StepValue stepValue, CancellationToken cancellationToken) =>
            inner.AppendStepAsync(sweepName, trialNumber, stepValue, cancellationToken);

        public ValueTask CloseSweepAsync(string sweepName, SweepStopReason stopReason, CancellationToken cancellationToken) =>
            inner.CloseSweepAsync(sweepName, stopReason, cancellationToken);
    }
}
