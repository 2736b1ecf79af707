using System.Collections.Concurrent;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Stores;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Hosting;

/// <summary>
/// Hands the controller's trials to agent processes through the store: queues each attempt, then waits for its result
/// while forwarding the agent's step values to the controller's <see cref="TrialContext"/> (so early stopping sees
/// them) and writing the controller's stop requests to the store.
/// </summary>
/// <remarks>
/// One poller reads the queue for every waiting trial at once. A leased trial whose heartbeat is older than the lease
/// timeout is reclaimed and reported to the controller as a failure, which retries or fails it per the sweep's
/// retry setting; the reclaimed agent's late writes are ignored because they name the old attempt.
/// </remarks>
internal sealed class StoreTrialAgent : ITrialAgent, IAsyncDisposable
{
    /// <summary>
    /// The most store connections an agent process needs at once. It runs one trial at a time: its loop (lease, steps,
    /// result) and its lease heartbeat each hold a connection for one statement at a time, and the server saw about one
    /// per agent (docs/scale-out.md). Four leaves room for both and a reclaim, and bounds what N agents can hold at the
    /// server to 4N, whatever Npgsql's default (100 per process).
    /// </summary>
    internal const int MaxConnections = 4;

    private static readonly TimeSpan FastPoll = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan SlowPoll = TimeSpan.FromMilliseconds(10);

    private readonly SqlSweepStore _store;
    private readonly string _sweepName;
    private readonly TimeSpan _leaseTimeout;
    private readonly ConcurrentDictionary<int, Waiter> _waiters = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _poller;

    public StoreTrialAgent(SqlSweepStore store, string sweepName, TimeSpan leaseTimeout)
    {
        _store = store;
        _sweepName = sweepName;
        _leaseTimeout = leaseTimeout;
        _store.QueueNewAttempts = true;
        _poller = Task.Run(PollAsync);
    }

    public async ValueTask<TrialResult> RunTrialAsync(Configuration configuration, TrialContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The controller's save that started this attempt queued it (QueueNewAttempts); only its attempt number is read.
        var attempt = await _store.GetQueuedAttemptAsync(_sweepName, context.TrialNumber, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Trial {context.TrialNumber} of sweep '{_sweepName}' is not queued in {_store.DisplayName}.");
        var waiter = new Waiter(context, attempt, cancellationToken);
        _waiters[context.TrialNumber] = waiter;
        return await waiter.Completion.Task.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _poller.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping is how the poller ends.
        }

        foreach (var waiter in _waiters.Values)
        {
            waiter.Completion.TrySetCanceled();
        }

        _stopping.Dispose();
    }

    private async Task PollAsync()
    {
        var token = _stopping.Token;
        var quiet = 0;
        while (!token.IsCancellationRequested)
        {
            // Poll fast while results come in; a quiet queue (long trials) is polled less often.
            await Task.Delay(quiet < 5 ? FastPoll : SlowPoll, _store.TimeProvider, token).ConfigureAwait(false);
            if (_waiters.IsEmpty)
            {
                continue;
            }

            try
            {
                quiet = await PollOnceAsync(token).ConfigureAwait(false) ? 0 : quiet + 1;
            }
            catch (Exception exception) when (!token.IsCancellationRequested)
            {
                // The store failed beyond its own retries: every waiting trial fails with that error, and the
                // controller decides what follows.
                foreach (var waiter in _waiters.Values)
                {
                    Finish(waiter, new InvalidOperationException($"The sweep store failed while trial {waiter.Context.TrialNumber} ran: {exception.Message}", exception));
                }
            }
        }
    }

    private async Task<bool> PollOnceAsync(CancellationToken cancellationToken)
    {
        // Only trials queued before the poll's read are judged by it: a trial queued meanwhile is not in the rows yet.
        var waiting = _waiters.Values.ToList();
        var rows = await _store.PollQueueAsync(_sweepName, cancellationToken).ConfigureAwait(false);
        var byNumber = rows.ToDictionary(r => r.Number);
        var now = _store.Now();
        var changed = false;
        foreach (var waiter in waiting)
        {
            if (!byNumber.TryGetValue(waiter.Context.TrialNumber, out var row) || row.Attempt != waiter.Attempt)
            {
                Finish(waiter, new TrialLostException($"Trial {waiter.Context.TrialNumber} of sweep '{_sweepName}' left the queue without a result."));
                continue;
            }

            if (row.LastStep is { } last && last > waiter.LastStep)
            {
                changed = true;
                foreach (var step in await _store.ReadStepsAsync(_sweepName, row.Number, waiter.LastStep, cancellationToken).ConfigureAwait(false))
                {
                    waiter.LastStep = step.Step;
                    waiter.Context.Report(step.Step, step.Value);
                }
            }

            if (waiter.Token.IsCancellationRequested && !waiter.StopSent)
            {
                waiter.StopSent = true;
                await _store.RequestStopAsync(_sweepName, row.Number, row.Attempt, cancellationToken).ConfigureAwait(false);
            }

            switch (row.Queue)
            {
                case QueueState.Done:
                    changed = true;
                    FinishDone(waiter, row);
                    break;
                case QueueState.Leased when row.HeartbeatAt is { } heartbeat && now - heartbeat > (long)_leaseTimeout.TotalMilliseconds:
                    if (await _store.ReclaimLeaseAsync(_sweepName, row.Number, row.Attempt, now - (long)_leaseTimeout.TotalMilliseconds, cancellationToken).ConfigureAwait(false))
                    {
                        Finish(waiter, new TrialLostException(
                            $"Agent '{row.Owner}' stopped heartbeating for more than {_leaseTimeout.TotalSeconds:0.###} s while it ran trial {row.Number}; its lease was reclaimed."));
                    }

                    break;
                case QueueState.Waiting when waiter.Token.IsCancellationRequested:
                    // Never leased: taken off the queue. Once leased, the stop request written above reaches the agent.
                    if (await _store.CancelQueuedAsync(_sweepName, row.Number, row.Attempt, cancellationToken).ConfigureAwait(false))
                    {
                        Finish(waiter, new OperationCanceledException(waiter.Token));
                    }

                    break;
            }
        }

        return changed;
    }

    private void FinishDone(Waiter waiter, QueuedTrial row)
    {
        // The agent protocol again; the controller's TrialOutcome.Classify adds what only it knows (its stop request, its timeout).
        var (result, exception) = QueuedTrial.ReadResult(row.Number, row.ResultValue, row.ResultMetrics, row.ResultError);
        if (exception is null)
        {
            Finish(waiter, result);
        }
        else
        {
            Finish(waiter, exception);
        }
    }

    private void Finish(Waiter waiter, TrialResult result)
    {
        if (_waiters.TryRemove(new KeyValuePair<int, Waiter>(waiter.Context.TrialNumber, waiter)))
        {
            waiter.Completion.TrySetResult(result);
        }
    }

    private void Finish(Waiter waiter, Exception exception)
    {
        if (_waiters.TryRemove(new KeyValuePair<int, Waiter>(waiter.Context.TrialNumber, waiter)))
        {
            waiter.Completion.TrySetException(exception);
        }
    }

    private sealed class Waiter(TrialContext context, int attempt, CancellationToken token)
    {
        public TrialContext Context { get; } = context;

        public int Attempt { get; } = attempt;

        public CancellationToken Token { get; } = token;

        public long LastStep { get; set; } = long.MinValue;

        public bool StopSent { get; set; }

        // Continuations run elsewhere: the controller's loop must not run inside the poller.
        public TaskCompletionSource<TrialResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
