using System.Globalization;
using System.Net;
using System.Text.Json;
using Tune.Pipeline.Stores;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Tracking.MLflow;

/// <summary>
/// Delivers a sweep store's outbox to an MLflow tracking server, in order: each sweep becomes a parent run in the
/// experiment it is tracked under, each trial a child run (<c>mlflow.parentRunId</c>) named <c>trial-&lt;n&gt;</c> with
/// its parameter values as params, its step values as the objective metric at their steps, its final value and its
/// status; a closed sweep finishes its run and names its best trial.
/// </summary>
/// <remarks>
/// <para>
/// Nothing is lost and nothing is sent twice. A message is marked delivered only after MLflow acknowledged it, so an
/// outage leaves it pending for the next pass (or <c>tune mlflow sync</c>). Run ids are recorded in the store; before
/// a create is sent the store records that it is in flight, and a run whose create may have reached the server
/// (lost answer, crash) is looked up by its <see cref="RunKeyTag"/> before another is made. Every value is sent with
/// the timestamp the store gave it, and values that may have been delivered already (messages pending when this
/// forwarder started, or sent again after a failure) are checked against the run's metric history first.
/// </para>
/// <para>
/// A message MLflow refuses for good (400, or a run deleted there) is skipped with a warning so that it does not hold
/// back the rest; the store keeps its data. One forwarder per store at a time: passes of one instance never overlap, and
/// a pass claims the store's forwarder slot first (<see cref="SqlSweepStore.ClaimForwarderAsync"/>), so that a second
/// forwarder on the same store, in another process, waits or is refused (<see cref="MLflowForwarderBusyException"/>).
/// </para>
/// </remarks>
public sealed class MLflowForwarder : IAsyncDisposable
{
    /// <summary>The tag holding a run's stable key: the sweep's name, or <c>&lt;sweep&gt;/&lt;trial&gt;</c>.</summary>
    public const string RunKeyTag = "tune.run_key";

    /// <summary>The objective's metric key when the store records none.</summary>
    public const string DefaultObjectiveMetric = "objective";

    // The run tag limit of older servers (newer ones keep 8000): an error longer than this is cut, and says so.
    private const int MaxTagValueLength = MLflowLimits.MaxExperimentTagValueLength;

    private readonly SqlSweepStore _store;
    private readonly MLflowClient _client;
    private readonly MLflowForwarderOptions _options;
    private readonly Dictionary<string, TrackedSweep> _sweeps = new(StringComparer.Ordinal);
    private readonly HashSet<string> _suspectRuns = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long? _inheritedUpTo;
    private bool _claimed;

    /// <summary>Initializes a new instance of the <see cref="MLflowForwarder"/> class.</summary>
    /// <param name="store">The store whose outbox is delivered; its owner disposes it.</param>
    /// <param name="client">The MLflow client; its owner disposes it.</param>
    /// <param name="options">Polling and warnings; defaults when <see langword="null"/>.</param>
    public MLflowForwarder(SqlSweepStore store, MLflowClient client, MLflowForwarderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(client);
        _store = store;
        _client = client;
        _options = options ?? new MLflowForwarderOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.BatchSize, 1, nameof(options));

        // Machine and process first: the name another forwarder shows when it is refused.
        Owner = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName} process {Environment.ProcessId} ({Guid.NewGuid():N})");
    }

    /// <summary>Gets this forwarder's name as the store's forwarder slot records it.</summary>
    public string Owner { get; }

    /// <summary>Gets everything this forwarder has delivered so far, over all its passes.</summary>
    public MLflowDelivery Delivered { get; private set; } = new();

    /// <summary>
    /// Delivers every pending outbox message, oldest first, until the outbox is empty.
    /// </summary>
    /// <param name="cancellationToken">Cancels the pass; what was acknowledged stays marked delivered.</param>
    /// <returns>What this pass delivered.</returns>
    /// <exception cref="MLflowException">MLflow cannot be reached, or refuses every call (wrong address, credentials); the messages not delivered stay pending.</exception>
    /// <exception cref="Sweeps.StoreUnavailableException">The store cannot be read or written.</exception>
    public async Task<MLflowDelivery> DeliverPendingAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Messages pending before this forwarder's first look may have reached MLflow before an earlier process died.
            _inheritedUpTo ??= (await _store.GetOutboxBacklogAsync(cancellationToken).ConfigureAwait(false)).LastId ?? 0;
            var pass = new MLflowDelivery();
            while (true)
            {
                // Renewed with every read, so that a long pass keeps the slot and a dead process loses it.
                await ClaimAsync(cancellationToken).ConfigureAwait(false);
                var messages = await _store.ReadOutboxAsync(_options.BatchSize, cancellationToken).ConfigureAwait(false);
                if (messages.Count == 0)
                {
                    return pass;
                }

                for (var i = 0; i < messages.Count;)
                {
                    var group = TakeGroup(messages, i);
                    MLflowDelivery delivered;
                    try
                    {
                        delivered = await DeliverGroupAsync(group, cancellationToken).ConfigureAwait(false);
                        await _store.MarkDeliveredAsync(group.Select(static m => m.Id), cancellationToken).ConfigureAwait(false);
                    }
                    catch
                    {
                        // Part of it may have reached MLflow before the failure or the cancellation, and it is not
                        // marked delivered: the values sent again are checked against the run's history first.
                        _suspectRuns.Add(RunKey(group[0].SweepName, group[0].TrialNumber));
                        throw;
                    }

                    pass += delivered;
                    Delivered += delivered;
                    i += group.Count;
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Gives up the store's forwarder slot, so that another forwarder may deliver at once.</summary>
    /// <returns>A task that completes when the store has recorded it.</returns>
    public async ValueTask ReleaseAsync()
    {
        if (_claimed)
        {
            _claimed = false;
            await _store.ReleaseForwarderAsync(Owner, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task ClaimAsync(CancellationToken cancellationToken)
    {
        var holder = await _store.ClaimForwarderAsync(Owner, _options.ClaimTimeout, cancellationToken).ConfigureAwait(false);
        _claimed = string.Equals(holder, Owner, StringComparison.Ordinal);
        if (!_claimed)
        {
            throw new MLflowForwarderBusyException(
                $"Another forwarder ({holder}) is delivering the tracking events of the sweep store {_store.DisplayName}: a tracked sweep or a `tune mlflow sync`. It delivers what waits; nothing is lost.")
            {
                Holder = holder,
            };
        }
    }

    /// <summary>
    /// Delivers the outbox as it fills, until cancelled: a pass every <see cref="MLflowForwarderOptions.PollInterval"/>;
    /// while MLflow is unreachable, one <see cref="MLflowForwarderOptions.Unavailable"/> call and a try every
    /// <see cref="MLflowForwarderOptions.OutageRetryInterval"/>. It never throws for an outage of MLflow or the store.
    /// </summary>
    /// <param name="cancellationToken">Stops the loop.</param>
    /// <returns>A task that completes when the loop is cancelled.</returns>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var down = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            var wait = _options.PollInterval;
            try
            {
                await DeliverPendingAsync(cancellationToken).ConfigureAwait(false);
                down = false;
            }
            catch (MLflowException exception) when (!cancellationToken.IsCancellationRequested)
            {
                if (!down)
                {
                    _options.Unavailable?.Invoke(exception);
                }

                down = true;
                wait = _options.OutageRetryInterval;
            }
            catch (MLflowForwarderBusyException) when (!cancellationToken.IsCancellationRequested)
            {
                // Another process delivers for now (a sync); this one takes over when that one lets go.
                wait = _options.OutageRetryInterval;
            }
            catch (Sweeps.StoreUnavailableException) when (!cancellationToken.IsCancellationRequested)
            {
                // The sweep meets the same store and reports it; tracking waits for it to come back.
                wait = _options.OutageRetryInterval;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await Task.Delay(wait, _store.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Gives up the store's forwarder slot and releases the pass gate; the store and client belong to the caller.</summary>
    /// <returns>A task that completes when the slot is given up.</returns>
    public async ValueTask DisposeAsync()
    {
        await ReleaseAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    // The sweep's name is escaped, so that no sweep's key ("a%2F1") can equal another sweep's trial key ("a/1").
    internal static string RunKey(string sweepName, int? trialNumber) =>
        trialNumber is { } number ? string.Create(CultureInfo.InvariantCulture, $"{Uri.EscapeDataString(sweepName)}/{number}") : Uri.EscapeDataString(sweepName);

    // Consecutive step values of one trial go to MLflow in one batch; every other message alone.
    private static List<OutboxMessage> TakeGroup(IReadOnlyList<OutboxMessage> messages, int start)
    {
        var first = messages[start];
        var group = new List<OutboxMessage> { first };
        if (first.Kind != "step")
        {
            return group;
        }

        for (var i = start + 1; i < messages.Count; i++)
        {
            var next = messages[i];
            if (next.Kind != "step" || next.TrialNumber != first.TrialNumber || !string.Equals(next.SweepName, first.SweepName, StringComparison.Ordinal))
            {
                break;
            }

            group.Add(next);
        }

        return group;
    }

    private async Task<MLflowDelivery> DeliverGroupAsync(List<OutboxMessage> group, CancellationToken cancellationToken)
    {
        var first = group[0];
        try
        {
            return first.Kind switch
            {
                "sweep" => await DeliverSweepAsync(first, cancellationToken).ConfigureAwait(false),
                "trial" => await DeliverTrialAsync(first, cancellationToken).ConfigureAwait(false),
                "step" => await DeliverStepsAsync(group, cancellationToken).ConfigureAwait(false),
                _ => Skip(group, $"its kind '{first.Kind}' is not one this version forwards (sweep, trial, step)"),
            };
        }
        catch (MLflowException exception) when (IsRefusalOfThisMessage(exception))
        {
            return Skip(group, exception.Message);
        }
        catch (MLflowValidationException exception)
        {
            return Skip(group, exception.Message);
        }
        catch (JsonException exception)
        {
            return Skip(group, $"its payload is not what this version reads ({exception.Message})");
        }
    }

    // A 400 or a missing run concerns this message; an unknown route or refused credentials concern every message,
    // so they stop the pass instead of skipping the whole outbox.
    private static bool IsRefusalOfThisMessage(MLflowException exception) =>
        !exception.IsTransient
        && exception.ErrorCode is not null
        && exception.ErrorCode != MLflowErrorCodes.EndpointNotFound
        && exception.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden);

    private MLflowDelivery Skip(List<OutboxMessage> group, string reason)
    {
        var first = group[0];
        var trial = first.TrialNumber is { } number ? string.Create(CultureInfo.InvariantCulture, $", trial {number}") : string.Empty;
        var what = group.Count == 1 ? $"the {first.Kind} event" : string.Create(CultureInfo.InvariantCulture, $"{group.Count} {first.Kind} events");
        _options.Warning?.Invoke(string.Create(
            CultureInfo.InvariantCulture,
            $"MLflow tracking skipped {what} of sweep '{first.SweepName}'{trial} (outbox message {first.Id}): {reason} The sweep store keeps the data."));
        return new MLflowDelivery { Skipped = group.Count };
    }

    private async Task<MLflowDelivery> DeliverSweepAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.Deserialize(message.Payload, StoreJsonContext.Default.SweepEvent) ?? throw new JsonException("The sweep event is null.");
        var status = await _store.GetSweepStatusAsync(message.SweepName, cancellationToken).ConfigureAwait(false);
        var (tracked, runId, created) = await EnsureSweepRunAsync(message.SweepName, status?.CreatedAt ?? message.CreatedAt, cancellationToken).ConfigureAwait(false);
        var key = RunKey(message.SweepName, null);

        // What the sweep was created with, sent with every sweep event: params never change, so sending again is safe.
        var parameters = new List<MLflowParam>();
        if (status is not null)
        {
            string?[] values =
            [
                status.Sampler, status.EarlyStoppingPolicy, Text(status.MaxTrials), Text(status.MaxConcurrentTrials), Text(status.MaxRetries),
                status.Seed.ToString(CultureInfo.InvariantCulture), status.Fingerprint, status.Goal.ToString(), Objective(tracked),
            ];
            string[] names = ["sampler", "early_stopping_policy", "max_trials", "max_concurrent_trials", "max_retries", "seed", "space_fingerprint", "goal", "objective"];
            parameters.AddRange(names.Zip(values).Where(static p => p.Second is not null).Select(static p => new MLflowParam(p.First, p.Second!)));
        }

        if (!string.Equals(payload.State, "closed", StringComparison.Ordinal))
        {
            await LogAsync(runId, key, new MLflowBatch { Params = parameters }, [], Inherited(message), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var tags = new List<MLflowTag>();
            var metrics = new List<MLflowMetric>();
            if (payload.StopReason is { } reason)
            {
                tags.Add(new MLflowTag("tune.stop_reason", reason));
            }

            if (status?.BestTrialNumber is { } best && status.BestValue is { } value)
            {
                tags.Add(new MLflowTag("tune.best_trial", best.ToString(CultureInfo.InvariantCulture)));
                if (tracked.Runs.GetValueOrDefault(best) is { } bestRun)
                {
                    tags.Add(new MLflowTag("tune.best_run_id", bestRun));
                }

                metrics.Add(new MLflowMetric("best_" + Objective(tracked), value, message.CreatedAt));
            }

            await LogAsync(runId, key, new MLflowBatch { Params = parameters, Tags = tags }, metrics, Inherited(message), cancellationToken).ConfigureAwait(false);
            // A sweep stopped by Ctrl+C is KILLED, as MLflow's own clients mark an interrupted run; resumed and ended, FINISHED.
            var ended = string.Equals(payload.StopReason, nameof(SweepStopReason.Cancelled), StringComparison.Ordinal) ? MLflowRunStatus.Killed : MLflowRunStatus.Finished;
            await _client.UpdateRunAsync(runId, ended, message.CreatedAt, cancellationToken).ConfigureAwait(false);
        }

        return new MLflowDelivery { SweepEvents = 1, RunsCreated = created };

        static string? Text(int? value) => value?.ToString(CultureInfo.InvariantCulture);
    }

    private async Task<MLflowDelivery> DeliverTrialAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.Deserialize(message.Payload, StoreJsonContext.Default.TrialEvent) ?? throw new JsonException("The trial event is null.");
        // A message written before schema version 4 marks interruption by its error text.
        if (payload.State == "Pending" && (payload.Interrupted || string.Equals(payload.Error, SqlSweepStore.LegacyInterruptedError, StringComparison.Ordinal)))
        {
            // Stopped with its sweep (Ctrl+C): KILLED until a resumed sweep runs it again and it ends.
            var (_, interruptedRun, made) = await EnsureTrialRunAsync(message.SweepName, payload.Number, message.CreatedAt, cancellationToken).ConfigureAwait(false);
            await LogAsync(interruptedRun, RunKey(message.SweepName, payload.Number), new MLflowBatch { Tags = [new MLflowTag("tune.interrupted", "true")] }, [], Inherited(message), cancellationToken).ConfigureAwait(false);
            await _client.UpdateRunAsync(interruptedRun, MLflowRunStatus.Killed, message.CreatedAt, cancellationToken).ConfigureAwait(false);
            return new MLflowDelivery { TrialEvents = 1, RunsCreated = made };
        }

        if (payload.State == "Pending")
        {
            // Nothing to show until the trial runs: its run starts with its first attempt.
            return new MLflowDelivery { TrialEvents = 1 };
        }

        var startedAt = payload.StartedAt is { } start ? DateTimeOffset.FromUnixTimeMilliseconds(start) : message.CreatedAt;
        var (tracked, runId, created) = await EnsureTrialRunAsync(message.SweepName, payload.Number, startedAt, cancellationToken).ConfigureAwait(false);
        var key = RunKey(message.SweepName, payload.Number);
        var endedAt = payload.EndedAt is { } end ? DateTimeOffset.FromUnixTimeMilliseconds(end) : message.CreatedAt;
        var parameters = new List<MLflowParam>();
        if (payload.Parameters is { ValueKind: JsonValueKind.Object } values)
        {
            foreach (var property in values.EnumerateObject())
            {
                // Choices are stored as their values, so the param is the value, never an index.
                parameters.Add(new MLflowParam(property.Name, property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText()));
            }
        }

        var tags = new List<MLflowTag> { new("tune.attempts", payload.Attempts.ToString(CultureInfo.InvariantCulture)) };
        var metrics = new List<MLflowMetric>();
        MLflowRunStatus? final = null;
        switch (payload.State)
        {
            case "Completed":
                final = MLflowRunStatus.Finished;
                break;
            case "Failed":
                final = MLflowRunStatus.Failed;
                tags.Add(new MLflowTag("tune.error", ErrorTag(payload.Error ?? "The trial failed without a message.")));
                break;
            case "Pruned":
                final = MLflowRunStatus.Killed;
                tags.Add(new MLflowTag("tune.pruned", "true"));
                break;
        }

        if (final is not null)
        {
            var objective = Objective(tracked);

            // The final value sits at the trial's last step, so MLflow's latest value of the metric is the final one.
            var step = payload.LastStep ?? 0;
            if (payload.Value is { } value)
            {
                metrics.Add(new MLflowMetric(objective, value, endedAt, step));
            }

            foreach (var (name, extra) in payload.Metrics ?? [])
            {
                if (!string.Equals(name, objective, StringComparison.Ordinal))
                {
                    metrics.Add(new MLflowMetric(name, extra, endedAt, step));
                }
            }
        }

        await LogAsync(runId, key, new MLflowBatch { Params = parameters, Tags = tags }, metrics, Inherited(message), cancellationToken).ConfigureAwait(false);
        if (final is { } status)
        {
            await _client.UpdateRunAsync(runId, status, endedAt, cancellationToken).ConfigureAwait(false);
        }

        return new MLflowDelivery { TrialEvents = 1, RunsCreated = created };
    }

    private async Task<MLflowDelivery> DeliverStepsAsync(List<OutboxMessage> group, CancellationToken cancellationToken)
    {
        var first = group[0];
        var steps = group.Select(m => JsonSerializer.Deserialize(m.Payload, StoreJsonContext.Default.StepEvent) ?? throw new JsonException("A step event is null.")).ToList();
        var number = first.TrialNumber ?? steps[0].Number;
        var (tracked, runId, created) = await EnsureTrialRunAsync(first.SweepName, number, first.CreatedAt, cancellationToken).ConfigureAwait(false);
        var objective = Objective(tracked);
        var metrics = steps.Select(s => new MLflowMetric(objective, s.Value, DateTimeOffset.FromUnixTimeMilliseconds(s.Timestamp), s.Step)).ToList();
        await LogAsync(runId, RunKey(first.SweepName, number), new MLflowBatch(), metrics, group.Any(Inherited), cancellationToken).ConfigureAwait(false);
        return new MLflowDelivery { StepValues = group.Count, RunsCreated = created };
    }

    private bool Inherited(OutboxMessage message) => message.Id <= _inheritedUpTo;

    private static string Objective(TrackedSweep tracked) => tracked.ObjectiveMetric ?? DefaultObjectiveMetric;

    private static string ErrorTag(string error)
    {
        if (error.Length <= MaxTagValueLength)
        {
            return error;
        }

        var note = string.Create(CultureInfo.InvariantCulture, $" [truncated by Tune.Pipeline: {error.Length} characters, MLflow keeps {MaxTagValueLength}; the sweep store has the whole error]");
        return MLflowLimits.Truncate(error, MaxTagValueLength - note.Length) + note;
    }

    /// <summary>
    /// Logs params and tags, then metric values; values that may be on the server already are first checked against
    /// its history, so that no value appears twice.
    /// </summary>
    private async Task LogAsync(string runId, string runKey, MLflowBatch batch, List<MLflowMetric> metrics, bool inherited, CancellationToken cancellationToken)
    {
        if (metrics.Count > 0 && (inherited || _suspectRuns.Contains(runKey)))
        {
            metrics = await WithoutDeliveredAsync(runId, metrics, cancellationToken).ConfigureAwait(false);
        }

        if (batch.Params.Count > 0 || batch.Tags.Count > 0 || metrics.Count > 0)
        {
            // Values cut to MLflow's limits are told through the client's own warning.
            await _client.LogBatchAsync(runId, new MLflowBatch { Params = batch.Params, Tags = batch.Tags, Metrics = metrics }, cancellationToken).ConfigureAwait(false);
        }

        _suspectRuns.Remove(runKey);
    }

    private async Task<List<MLflowMetric>> WithoutDeliveredAsync(string runId, List<MLflowMetric> metrics, CancellationToken cancellationToken)
    {
        var delivered = new HashSet<(string, long, long, long)>();
        foreach (var key in metrics.Select(static m => m.Key).Distinct(StringComparer.Ordinal))
        {
            foreach (var metric in await _client.GetMetricHistoryAsync(runId, key, cancellationToken).ConfigureAwait(false))
            {
                delivered.Add(Identity(metric));
            }
        }

        return [.. metrics.Where(m => !delivered.Contains(Identity(m)))];

        // MLflow's own identity of a value: key, step, millisecond timestamp and value (NaN equal to NaN).
        static (string, long, long, long) Identity(MLflowMetric metric) =>
            (metric.Key, metric.Step, metric.Timestamp.ToUnixTimeMilliseconds(), BitConverter.DoubleToInt64Bits(double.IsNaN(metric.Value) ? double.NaN : metric.Value));
    }

    private async Task<(TrackedSweep Tracked, string RunId, int Created)> EnsureSweepRunAsync(string sweepName, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        var tracked = await TrackedAsync(sweepName, cancellationToken).ConfigureAwait(false);
        if (tracked.Runs.GetValueOrDefault(TrackedSweep.SweepRunNumber) is { } known)
        {
            return (tracked, known, 0);
        }

        var experiment = tracked.ExperimentName ?? sweepName;
        var tags = new List<MLflowTag> { new("tune.sweep", sweepName), new("tune.experiment", experiment) };
        var (runId, created) = await EnsureRunAsync(tracked, null, sweepName, null, tags, startedAt, cancellationToken).ConfigureAwait(false);
        return (_sweeps[sweepName], runId, created);
    }

    private async Task<(TrackedSweep Tracked, string RunId, int Created)> EnsureTrialRunAsync(string sweepName, int trialNumber, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        var (tracked, parentRunId, created) = await EnsureSweepRunAsync(sweepName, startedAt, cancellationToken).ConfigureAwait(false);
        if (tracked.Runs.GetValueOrDefault(trialNumber) is { } known)
        {
            return (tracked, known, created);
        }

        var number = trialNumber.ToString(CultureInfo.InvariantCulture);
        var tags = new List<MLflowTag> { new("tune.sweep", sweepName), new("tune.trial", number) };
        var (runId, trialCreated) = await EnsureRunAsync(tracked, trialNumber, "trial-" + number, parentRunId, tags, startedAt, cancellationToken).ConfigureAwait(false);
        return (_sweeps[sweepName], runId, created + trialCreated);
    }

    /// <summary>
    /// Finds or creates one run: the id recorded in the store; else, when a create was in flight, the run tagged with
    /// its key; else a new run, recorded as in flight before the create is sent and by id once it is answered.
    /// </summary>
    private async Task<(string RunId, int Created)> EnsureRunAsync(
        TrackedSweep tracked, int? trialNumber, string runName, string? parentRunId, List<MLflowTag> tags, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        var sweepName = tracked.SweepName;
        var slot = trialNumber ?? TrackedSweep.SweepRunNumber;
        var key = RunKey(sweepName, trialNumber);
        var experimentId = await ExperimentIdAsync(sweepName, cancellationToken).ConfigureAwait(false);
        if (tracked.Runs.ContainsKey(slot))
        {
            var query = new MLflowRunQuery { ExperimentIds = [experimentId], Filter = $"tags.`{RunKeyTag}` = '{key.Replace("'", "\\'", StringComparison.Ordinal)}'", PageSize = 10 };
            var page = await _client.SearchRunsPageAsync(query, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (page.Runs.Count > 0)
            {
                await RecordRunAsync(sweepName, trialNumber, page.Runs[0].RunId, cancellationToken).ConfigureAwait(false);
                return (page.Runs[0].RunId, 0);
            }
        }
        else
        {
            await RecordRunAsync(sweepName, trialNumber, null, cancellationToken).ConfigureAwait(false);
        }

        tags.Add(new MLflowTag(RunKeyTag, key));
        var run = await _client.CreateRunAsync(experimentId, runName, parentRunId, tags, startedAt, cancellationToken).ConfigureAwait(false);
        await RecordRunAsync(sweepName, trialNumber, run.RunId, cancellationToken).ConfigureAwait(false);
        return (run.RunId, 1);
    }

    private async Task RecordRunAsync(string sweepName, int? trialNumber, string? runId, CancellationToken cancellationToken)
    {
        await _store.SetTrackingRunAsync(sweepName, trialNumber, runId, cancellationToken).ConfigureAwait(false);
        var tracked = _sweeps[sweepName];
        _sweeps[sweepName] = tracked with { Runs = tracked.Runs.SetItem(trialNumber ?? TrackedSweep.SweepRunNumber, runId) };
    }

    private async Task<string> ExperimentIdAsync(string sweepName, CancellationToken cancellationToken)
    {
        var tracked = _sweeps[sweepName];
        if (tracked.ExperimentId is { } known)
        {
            return known;
        }

        var experiment = await _client.GetOrCreateExperimentAsync(tracked.ExperimentName ?? sweepName, cancellationToken: cancellationToken).ConfigureAwait(false);
        await _store.SetTrackingExperimentAsync(sweepName, experiment.ExperimentId, cancellationToken).ConfigureAwait(false);
        _sweeps[sweepName] = tracked with { ExperimentId = experiment.ExperimentId };
        return experiment.ExperimentId;
    }

    private async Task<TrackedSweep> TrackedAsync(string sweepName, CancellationToken cancellationToken)
    {
        if (!_sweeps.TryGetValue(sweepName, out var tracked))
        {
            tracked = await _store.GetTrackingAsync(sweepName, cancellationToken).ConfigureAwait(false);
            _sweeps[sweepName] = tracked;
        }

        return tracked;
    }
}
