using System.Globalization;
using System.Text.Json;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Stores;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Hosting;

/// <summary>
/// The agent side of the queue: prepares the experiment once, then leases trials one at a time until the sweep is
/// closed, heartbeating while each runs and recording its result.
/// </summary>
internal sealed class TrialAgentLoop<TParameters>
    where TParameters : class
{
    private static readonly TimeSpan IdleCheckInterval = TimeSpan.FromMilliseconds(100);

    private readonly SqlSweepStore _store;
    private readonly string _sweepName;
    private readonly IExperiment<TParameters> _experiment;
    private readonly SearchSpace<TParameters> _space;
    private readonly int _threads;
    private readonly TimeSpan _leaseTimeout;
    private readonly string _artifactsDirectory;
    private readonly string _owner;
    private readonly string? _device;

    public TrialAgentLoop(SqlSweepStore store, string sweepName, IExperiment<TParameters> experiment, SearchSpace<TParameters> space, int threads, TimeSpan leaseTimeout, string artifactsDirectory, string? device = null)
    {
        _store = store;
        _sweepName = sweepName;
        _experiment = experiment;
        _space = space;
        _threads = threads;
        _leaseTimeout = leaseTimeout;
        _artifactsDirectory = artifactsDirectory;
        _device = device;

        // host/process/nonce/device: the store records it with each trial the agent runs (tune show's agent column).
        _owner = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}/{device ?? "cpu"}");
    }

    public string Owner => _owner;

    public int TrialsRun { get; private set; }

    /// <summary>Runs until the sweep is closed.</summary>
    /// <returns><see langword="false"/> when the sweep never appeared within <paramref name="waitForSweep"/>.</returns>
    public async Task<bool> RunAsync(TimeSpan waitForSweep, CancellationToken cancellationToken)
    {
        var time = _store.TimeProvider;
        var started = time.GetTimestamp();
        long? seed;
        while ((seed = await _store.GetSweepSeedAsync(_sweepName, cancellationToken).ConfigureAwait(false)) is null)
        {
            if (time.GetElapsedTime(started) > waitForSweep)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken).ConfigureAwait(false);
        }

        // Once per agent, not per trial.
        await _experiment.PrepareAsync(new ExperimentContext { Seed = seed.Value, Threads = _threads, ArtifactsDirectory = _artifactsDirectory, Device = _device }, cancellationToken).ConfigureAwait(false);

        var idleSince = time.GetTimestamp();
        var idleSpins = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var leased = await _store.LeaseAsync(_sweepName, _owner, cancellationToken).ConfigureAwait(false);
            if (leased is not null)
            {
                // Each result is recorded in the same transaction that leases the next trial, while there is one.
                while (leased is not null)
                {
                    leased = await RunLeasedAsync(leased, cancellationToken).ConfigureAwait(false);
                    TrialsRun++;
                }

                idleSpins = 0;
                idleSince = time.GetTimestamp();
                continue;
            }

            if (time.GetElapsedTime(idleSince) > IdleCheckInterval)
            {
                if (await _store.IsSweepClosedAsync(_sweepName, cancellationToken).ConfigureAwait(false) != false)
                {
                    return true;
                }

                idleSince = time.GetTimestamp();
            }

            // Back off while the queue stays empty (1, 2, 4 ... 20 ms): idle agents must not take the CPU and the store's
            // lock from the controller and the agents that are busy; the controller queues ahead, so a busy agent rarely waits.
            idleSpins++;
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(20, 1 << Math.Min(idleSpins - 1, 5))), time, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private async Task<LeasedTrial?> RunLeasedAsync(LeasedTrial leased, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(_artifactsDirectory, "trials", leased.Number.ToString(CultureInfo.InvariantCulture));
        using var context = new AgentTrialContext(this, leased, _threads, directory, cancellationToken) { Device = _device };
        using var heartbeatStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var heartbeat = HeartbeatAsync(context, heartbeatStop.Token);
        TrialResult result = default;
        Exception? failure = null;
        try
        {
            var parameters = _space.ToParameters(ConfigurationJson.Read(_space, leased.Parameters));

            // Off this thread: a trial that computes synchronously must not hold up the heartbeat.
            result = await Task.Run(() => _experiment.RunTrialAsync(parameters, context, context.Token).AsTask(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            failure = exception;
        }
        finally
        {
            await heartbeatStop.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
        }

        // The agent only reports what the trial did; the controller adds what it alone knows (its timeout) when it reads this back.
        var outcome = TrialOutcome.Classify(leased.Number, result, failure, context.IsStopRequested, interrupted: cancellationToken.IsCancellationRequested);
        if (outcome.Kind == TrialOutcomeKind.Interrupted)
        {
            // This agent is shutting down: the result is not ours to record; the lease expires and the controller reclaims it.
            throw new OperationCanceledException(cancellationToken);
        }

        if (context.LeaseLost)
        {
            // The controller reclaimed the trial: a retry, or its end, is recorded by whoever holds it now.
            return null;
        }

        var metrics = outcome.Metrics is { Count: > 0 } m ? JsonSerializer.Serialize(new Dictionary<string, double>(m), StoreJsonContext.Default.DictionaryStringDouble) : null;
        return await _store.CompleteAndLeaseAsync(_sweepName, leased.Number, leased.Attempt, _owner, outcome.Value, metrics, outcome.Error, cancellationToken).ConfigureAwait(false);
    }

    private async Task HeartbeatAsync(AgentTrialContext context, CancellationToken cancellationToken)
    {
        var interval = _leaseTimeout / 4;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(interval, _store.TimeProvider, cancellationToken).ConfigureAwait(false);
                var (held, stop) = await _store.HeartbeatAsync(_sweepName, context.TrialNumber, context.Attempt, _owner, cancellationToken).ConfigureAwait(false);
                context.Observe(held, stop);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The trial ended.
        }
    }

    private sealed class AgentTrialContext : TrialContext, IDisposable
    {
        private readonly TrialAgentLoop<TParameters> _loop;
        private readonly CancellationTokenSource _cancellation;
        private volatile bool _stopRequested;
        private volatile bool _leaseLost;

        public AgentTrialContext(TrialAgentLoop<TParameters> loop, LeasedTrial leased, int threads, string directory, CancellationToken agentToken)
            : base(leased.Number, leased.Seed, threads, directory)
        {
            _loop = loop;
            Attempt = leased.Attempt;
            _cancellation = CancellationTokenSource.CreateLinkedTokenSource(agentToken);
            Token = _cancellation.Token;
        }

        public int Attempt { get; }

        public CancellationToken Token { get; }

        public bool LeaseLost => _leaseLost;

        public override bool IsStopRequested => _stopRequested;

        protected override void OnReport(StepValue stepValue)
        {
            if (_leaseLost)
            {
                return;
            }

            // Synchronous by contract (Report returns void); the answer carries the stop request the trial must see now.
            var (held, stop) = _loop._store.AppendLeasedStepAsync(_loop._sweepName, TrialNumber, Attempt, _loop._owner, stepValue, CancellationToken.None)
                .AsTask().GetAwaiter().GetResult();
            Observe(held, stop);
        }

        public void Observe(bool held, bool stop)
        {
            if (!held)
            {
                _leaseLost = true;
                _stopRequested = true;
            }
            else if (stop)
            {
                _stopRequested = true;
            }
            else
            {
                return;
            }

            _cancellation.Cancel();
        }

        public void Dispose() => _cancellation.Dispose();
    }
}
