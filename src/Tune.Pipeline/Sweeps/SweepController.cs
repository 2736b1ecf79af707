using System.Collections.Immutable;
using System.Globalization;
using System.Threading.Channels;
using Tune.Pipeline.Samplers;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Stopping;

namespace Tune.Pipeline.Sweeps;

/// <summary>
/// Runs one sweep: proposes configurations, starts attempts on the agent, records every change in the store, applies
/// early stopping, retries failures and ends on budget.
/// </summary>
/// <remarks>
/// One loop owns all the state: agents post step reports and results to a channel, and the loop handles them one at a
/// time, so the store, the sampler and the policy are only ever called from one logical flow (which may continue on
/// the thread that posted an event, inside a trial's <see cref="TrialContext.Report"/>; it never blocks there). Trial n is proposed
/// once trials 0..n − c have finished (c = the maximum of concurrent trials), which makes its configuration independent
/// of timing (see <see cref="Sweep"/>).
/// </remarks>
internal sealed class SweepController
{
    private readonly Sweep _sweep;
    private readonly ITrialAgent _agent;
    private readonly ISweepStore _store;
    private readonly TimeProvider _time;
    // Synchronous continuations let the loop go on in the thread that posted the event (a finished trial's), instead of
    // waking another thread for every event: under load that wake-up is most of the engine's overhead per trial.
    private readonly Channel<SweepEvent> _events = Channel.CreateUnbounded<SweepEvent>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly List<Trial> _trials = [];
    private readonly Dictionary<int, Attempt> _running = [];
    private readonly Queue<int> _resume = new();
    private int _firstUnfinished;
    private Trial? _best;
    private int _finishedSinceBest;
    private bool _proposing = true;
    private volatile bool _deadlineReached;
    private SweepStopReason? _stopReason;

    public SweepController(Sweep sweep, ITrialAgent agent, ISweepStore store)
    {
        _sweep = sweep;
        _agent = agent;
        _store = store;
        _time = sweep.TimeProvider;
    }

    public async Task<SweepResult> RunAsync(CancellationToken cancellationToken)
    {
        var recorded = await _store.OpenSweepAsync(_sweep, cancellationToken).ConfigureAwait(false);
        Resume(recorded);
        // A timer, not a cancellation source: the loop may run inside its callback, where a timer may be disposed.
        using var deadline = _sweep.MaxDuration is { } duration
            ? _time.CreateTimer(static state => ((SweepController)state!).OnDeadline(), this, duration, Timeout.InfiniteTimeSpan)
            : null;
        try
        {
            while (true)
            {
                if (_deadlineReached)
                {
                    await EndAtDeadlineAsync(cancellationToken).ConfigureAwait(false);
                    break;
                }

                await LaunchAsync(cancellationToken).ConfigureAwait(false);
                if (_running.Count == 0)
                {
                    break;
                }

                var next = await _events.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (next.Kind == SweepEventKind.Deadline)
                {
                    await EndAtDeadlineAsync(cancellationToken).ConfigureAwait(false);
                    break;
                }

                await HandleAsync(next, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller's token is spent; the bookkeeping that keeps no trial running must still reach the store.
            await InterruptRunningAsync(CancellationToken.None).ConfigureAwait(false);
            await _store.CloseSweepAsync(_sweep.Name, SweepStopReason.Cancelled, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch (Exception exception) when (exception is not OperationCanceledException && _running.Count > 0)
        {
            // A sampler, policy or store failure ends the sweep; its trials must still not be left running.
            try
            {
                await AbandonRunningAsync($"The sweep stopped on an error: {exception.Message}", CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The store itself may be what fails; the original error is the one to report.
            }

            throw;
        }

        var reason = _stopReason ?? SweepStopReason.MaxTrials;
        await _store.CloseSweepAsync(_sweep.Name, reason, cancellationToken).ConfigureAwait(false);
        var trials = _trials.ToImmutableArray();
        var best = trials.Best(_sweep.Goal);
        if (best is null && trials.Length > 0 && trials.All(t => t.State == TrialState.Failed))
        {
            throw new SweepFailedException(_sweep.Name, trials);
        }

        return new SweepResult(_sweep.Name, trials, best, reason);
    }

    private void OnDeadline()
    {
        _deadlineReached = true;
        _events.Writer.TryWrite(SweepEvent.Deadline);
    }

    private void Resume(IReadOnlyList<Trial> recorded)
    {
        for (var i = 0; i < recorded.Count; i++)
        {
            var trial = recorded[i];
            if (trial.Number != i)
            {
                throw new InvalidOperationException(
                    $"The store returned trial {trial.Number} at position {i} of sweep '{_sweep.Name}'; trial numbers must be gapless and ordered.");
            }

            _trials.Add(trial);
            if (trial.IsFinished)
            {
                NoteFinished(trial);
            }
            else
            {
                // A trial the previous controller left pending or running is run again, same configuration and seed.
                _resume.Enqueue(trial.Number);
            }
        }
    }

    private async ValueTask LaunchAsync(CancellationToken cancellationToken)
    {
        var concurrency = _sweep.MaxConcurrentTrials;
        while (_running.Count < concurrency)
        {
            if (_resume.TryDequeue(out var resumed))
            {
                await StartAttemptAsync(resumed, _trials[resumed].Attempts + 1, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (!_proposing)
            {
                return;
            }

            var number = _trials.Count;
            if (number >= _sweep.MaxTrials)
            {
                Stop(SweepStopReason.MaxTrials);
                return;
            }

            while (_firstUnfinished < _trials.Count && _trials[_firstUnfinished].IsFinished)
            {
                _firstUnfinished++;
            }

            // The reproducibility rule: trial n waits for trials 0..n - c.
            if (number - concurrency >= _firstUnfinished)
            {
                return;
            }

            var configuration = Propose(number);
            if (configuration is null)
            {
                Stop(SweepStopReason.SearchSpaceExhausted);
                return;
            }

            var trial = new Trial(number, configuration, TrialState.Pending, null) { Seed = SeededRandom.Derive(_sweep.Seed, number) };
            _trials.Add(trial);
            await _store.SaveTrialAsync(_sweep.Name, trial, cancellationToken).ConfigureAwait(false);
            await StartAttemptAsync(number, 1, cancellationToken).ConfigureAwait(false);
        }
    }

    private Configuration? Propose(int number)
    {
        var configuration = _sweep.Propose(number, _trials);
        if (configuration is not null && configuration.Space.Fingerprint != _sweep.Space.Fingerprint)
        {
            throw new InvalidOperationException($"The sampler proposed a configuration of another search space for trial {number} of sweep '{_sweep.Name}'.");
        }

        return configuration;
    }

    private async ValueTask StartAttemptAsync(int number, int attemptNumber, CancellationToken cancellationToken)
    {
        var trial = _trials[number] with
        {
            State = TrialState.Running,
            Value = null,
            Error = null,
            IsInterrupted = false,
            Attempts = attemptNumber,
            StartedAt = _time.GetUtcNow(),
            EndedAt = null,
            Steps = [],
        };
        _trials[number] = trial;
        await _store.SaveTrialAsync(_sweep.Name, trial, cancellationToken).ConfigureAwait(false);
        var directory = Path.Combine(_sweep.ArtifactsDirectory, "trials", number.ToString(CultureInfo.InvariantCulture));
        var attempt = new Attempt(this, trial, attemptNumber, _sweep.ThreadsPerTrial, directory, _sweep.TrialTimeout, _time, cancellationToken);
        _running[number] = attempt;
        // Off the loop, so a trial that computes synchronously cannot hold it up; preferLocal lets the thread that
        // launched it pick it up next, which keeps a sequential sweep on one warm thread.
        ThreadPool.QueueUserWorkItem(static a => _ = a.Controller.RunAttemptAsync(a), attempt, preferLocal: true);
    }

    private async Task RunAttemptAsync(Attempt attempt)
    {
        SweepEvent ended;
        try
        {
            var result = await _agent.RunTrialAsync(attempt.Configuration, attempt, attempt.Token).ConfigureAwait(false);
            ended = new SweepEvent(SweepEventKind.Ended, attempt, default, result, null);
        }
        catch (Exception exception)
        {
            ended = new SweepEvent(SweepEventKind.Ended, attempt, default, default, exception);
        }

        _events.Writer.TryWrite(ended);
    }

    private async ValueTask HandleAsync(SweepEvent next, CancellationToken cancellationToken)
    {
        var attempt = next.Attempt!;
        if (!_running.TryGetValue(attempt.TrialNumber, out var current) || !ReferenceEquals(current, attempt))
        {
            // A late report from an attempt that was already abandoned or replaced.
            return;
        }

        if (next.Kind == SweepEventKind.Step)
        {
            var trial = _trials[attempt.TrialNumber];
            trial = trial with { Steps = trial.Steps.Add(next.Step) };
            _trials[attempt.TrialNumber] = trial;
            await _store.AppendStepAsync(_sweep.Name, trial.Number, next.Step, cancellationToken).ConfigureAwait(false);
            if (!attempt.IsStopRequested && _sweep.EarlyStoppingPolicy.ShouldStop(new EarlyStoppingContext(_sweep.Goal, trial, _trials)))
            {
                attempt.RequestStop();
            }

            return;
        }

        _running.Remove(attempt.TrialNumber);
        attempt.Dispose();
        var outcome = TrialOutcome.Classify(
            attempt.TrialNumber, next.Result, next.Exception, attempt.IsStopRequested, attempt.TimedOut ? _sweep.TrialTimeout : null);
        if (outcome.State == TrialState.Failed && attempt.Number <= _sweep.MaxRetries)
        {
            await StartAttemptAsync(attempt.TrialNumber, attempt.Number + 1, cancellationToken).ConfigureAwait(false);
            return;
        }

        var finished = outcome.ApplyTo(_trials[attempt.TrialNumber], _time.GetUtcNow());
        _trials[attempt.TrialNumber] = finished;
        await _store.SaveTrialAsync(_sweep.Name, finished, cancellationToken).ConfigureAwait(false);
        NoteFinished(finished);
    }

    private void NoteFinished(Trial trial)
    {
        var goal = _sweep.Goal;
        if (trial.State == TrialState.Completed && trial.Value is { } value)
        {
            if (_best is null || goal.IsBetter(value, _best.Value!.Value))
            {
                _best = trial;
                _finishedSinceBest = 0;
            }
            else
            {
                _finishedSinceBest++;
            }

            if (_sweep.TargetValue is { } target && (value == target || goal.IsBetter(value, target)))
            {
                Stop(SweepStopReason.TargetReached);
            }
        }
        else
        {
            _finishedSinceBest++;
        }

        if (_sweep.MaxTrialsWithoutImprovement is { } patience && _finishedSinceBest >= patience)
        {
            Stop(SweepStopReason.NoImprovement);
        }
    }

    private void Stop(SweepStopReason reason)
    {
        _stopReason ??= reason;
        _proposing = false;
    }

    private async ValueTask EndAtDeadlineAsync(CancellationToken cancellationToken)
    {
        Stop(SweepStopReason.MaxDuration);
        _stopReason = SweepStopReason.MaxDuration;
        await AbandonRunningAsync($"The sweep reached its maximum duration of {Format(_sweep.MaxDuration!.Value)} while the trial ran.", cancellationToken).ConfigureAwait(false);

        // Trials never started (resumed ones) are not left pending either.
        while (_resume.TryDequeue(out var number))
        {
            var trial = TrialOutcome.Failure("The sweep reached its maximum duration before the trial ran again.").ApplyTo(_trials[number], _time.GetUtcNow());
            _trials[number] = trial;
            await _store.SaveTrialAsync(_sweep.Name, trial, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask AbandonRunningAsync(string reason, CancellationToken cancellationToken)
    {
        foreach (var attempt in _running.Values.OrderBy(a => a.TrialNumber).ToList())
        {
            _running.Remove(attempt.TrialNumber);
            attempt.Cancel();
            attempt.Dispose();
            var trial = TrialOutcome.Failure(reason).ApplyTo(_trials[attempt.TrialNumber], _time.GetUtcNow());
            _trials[attempt.TrialNumber] = trial;
            await _store.SaveTrialAsync(_sweep.Name, trial, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Puts the running trials back to pending, marked as interrupted: a stop (Ctrl+C) is not the trial's fault, so a
    /// resumed sweep runs each again with the same configuration and seed, and replays exactly.
    /// </summary>
    private async ValueTask InterruptRunningAsync(CancellationToken cancellationToken)
    {
        foreach (var attempt in _running.Values.OrderBy(a => a.TrialNumber).ToList())
        {
            _running.Remove(attempt.TrialNumber);
            attempt.Cancel();
            attempt.Dispose();
            var trial = TrialOutcome.Interrupted.ApplyTo(_trials[attempt.TrialNumber], _time.GetUtcNow());
            _trials[attempt.TrialNumber] = trial;
            await _store.SaveTrialAsync(_sweep.Name, trial, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Format(TimeSpan span) => span.ToString("c", CultureInfo.InvariantCulture);

    private enum SweepEventKind
    {
        Step,
        Ended,
        Deadline,
    }

    private readonly record struct SweepEvent(SweepEventKind Kind, Attempt? Attempt, StepValue Step, TrialResult Result, Exception? Exception)
    {
        public static SweepEvent Deadline => new(SweepEventKind.Deadline, null, default, default, null);
    }

    /// <summary>One attempt of a trial: the trial's context, its cancellation and its stop flag.</summary>
    private sealed class Attempt : TrialContext, IDisposable
    {
        private readonly SweepController _controller;
        private readonly CancellationTokenSource _cancellation;
        private readonly CancellationTokenSource? _timeout;
        private volatile bool _stopRequested;
        private Task? _cancelling;

        public Attempt(SweepController controller, Trial trial, int number, int threads, string directory, TimeSpan? timeout, TimeProvider time, CancellationToken sweepToken)
            : base(trial.Number, trial.Seed, threads, directory)
        {
            _controller = controller;
            Controller = controller;
            Configuration = trial.Configuration;
            Number = number;
            if (timeout is { } limit)
            {
                _timeout = new CancellationTokenSource(limit, time);
                _cancellation = CancellationTokenSource.CreateLinkedTokenSource(sweepToken, _timeout.Token);
            }
            else
            {
                _cancellation = CancellationTokenSource.CreateLinkedTokenSource(sweepToken);
            }

            Token = _cancellation.Token;
        }

        public SweepController Controller { get; }

        public Configuration Configuration { get; }

        public int Number { get; }

        public CancellationToken Token { get; }

        public bool TimedOut => _timeout?.IsCancellationRequested == true;

        public override bool IsStopRequested => _stopRequested;

        protected override void OnReport(StepValue stepValue) =>
            _controller._events.Writer.TryWrite(new SweepEvent(SweepEventKind.Step, this, stepValue, default, null));

        public void RequestStop()
        {
            _stopRequested = true;
            Cancel();
        }

        public void Cancel()
        {
            // Not inline: the trial's cancellation callbacks must not run on the controller's loop.
            _cancelling ??= _cancellation.CancelAsync();
        }

        public void Dispose()
        {
            // A source must not be disposed while its callbacks may still run, and the loop can be running inside them
            // (a timeout's cancellation completing the trial inline). A cancelled source has no timer left to release,
            // so only the common, uncancelled case is disposed; the others are left to the collector.
            if (_cancelling is null && !_cancellation.IsCancellationRequested)
            {
                _cancellation.Dispose();
                _timeout?.Dispose();
            }
        }
    }
}
