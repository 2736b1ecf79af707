using System.Collections.Immutable;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Stores;

/// <summary>
/// Represents a sweep store in a relational database: sweeps, trials, step values, stop requests, the trial queue that
/// agent processes lease from, and an outbox for tracking. The SQLite and PostgreSQL stores derive from it.
/// </summary>
/// <remarks>
/// <para>
/// One instance holds one connection and serializes its callers; each process (controller or agent) opens its own
/// instance. Every write that changes a trial also writes its outbox message, in the same transaction. Transient
/// conflicts (SQLite's "database is locked", PostgreSQL's serialization failures) are retried with backoff and never
/// reach the caller; a store that cannot be reached throws <see cref="StoreUnavailableException"/>.
/// </para>
/// <para>
/// The schema carries its version. Opening a store migrates an older schema forward, in one transaction; a store
/// written by a newer version is refused with both versions named.
/// </para>
/// </remarks>
public abstract partial class SqlSweepStore : ISweepStore, IAsyncDisposable
{
    /// <summary>Gets the schema version this library writes.</summary>
    public const int SchemaVersion = 6;

    private static readonly TimeSpan MaxRetryTime = TimeSpan.FromSeconds(120);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Random _jitter = new(Environment.ProcessId);
    private DbConnection? _connection;
    private bool _checked;
    private bool _migrated;
    private bool _disposed;

    internal SqlSweepStore(TimeProvider? timeProvider)
    {
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the store's name for messages: a path, or host, port and database; never a connection string.</summary>
    public abstract string DisplayName { get; }

    /// <summary>Gets the clock the store stamps its records with.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>
    /// Gets or sets a value indicating whether each attempt the controller starts is queued for agent processes in the
    /// same write (set by the host's queue agent), rather than run by an agent in the controller's process.
    /// </summary>
    internal bool QueueNewAttempts { get; set; }

    internal abstract string IdentityColumn { get; }

    internal abstract string SkipLocked { get; }

    internal abstract string SchemaTableExistsSql { get; }

    internal virtual string? MigrationLockSql => null;

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<Trial>> OpenSweepAsync(Sweep sweep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var now = Now();
        return await RunAsync(async (c, t, ct) =>
        {
            if (sweep.OpenMode != SweepOpenMode.Resume)
            {
                // The key decides who creates, in this one statement: a second controller's insert waits for the first's
                // transaction and then does nothing (PostgreSQL, even under READ COMMITTED), or waits for the write lock
                // BEGIN IMMEDIATE took (SQLite). Reading first and inserting after would let both see no sweep.
                var definition = new SweepDefinition(
                    sweep.Name, sweep.Space.Fingerprint, sweep.Goal.ToString(), sweep.Seed, sweep.MaxTrials, sweep.MaxConcurrentTrials, sweep.MaxRetries,
                    sweep.Sampler.GetType().Name, sweep.EarlyStoppingPolicy.GetType().Name, [.. sweep.Space.Parameters.Select(p => p.ToString())], sweep.Settings)
                    { EarlyStoppingSettings = sweep.EarlyStoppingPolicy.ToString() };
                var created = await ExecuteAsync(c, t, ct,
                    "INSERT INTO sweeps (name, fingerprint, definition, seed, goal, max_retries, state, stop_reason, created_at, updated_at) VALUES (@s, @f, @d, @seed, @g, @r, 'open', NULL, @now, @now) " +
                    "ON CONFLICT (name) DO NOTHING",
                    ("@s", sweep.Name), ("@f", sweep.Space.Fingerprint), ("@d", JsonSerializer.Serialize(definition, StoreJsonContext.Default.SweepDefinition)),
                    ("@seed", sweep.Seed), ("@g", sweep.Goal.ToString()), ("@r", sweep.MaxRetries), ("@now", now)).ConfigureAwait(false);
                if (created > 0)
                {
                    await WriteOutboxAsync(c, t, sweep.Name, null, "sweep", JsonSerializer.Serialize(new SweepEvent("open", null), StoreJsonContext.Default.SweepEvent), now, ct).ConfigureAwait(false);
                    return (IReadOnlyList<Trial>)[];
                }
            }

            string? fingerprint = null;
            Goal? goal = null;
            await using (var read = Command(c, t, "SELECT fingerprint, goal FROM sweeps WHERE name = @s", ("@s", sweep.Name)))
            await using (var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                if (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    fingerprint = reader.GetString(0);
                    goal = Enum.TryParse<Goal>(reader.GetString(1), out var recorded) ? recorded : null;
                }
            }

            SweepConflictException.ThrowIfRefused(sweep, DisplayName, fingerprint, goal);

            await ExecuteAsync(c, t, ct, "UPDATE sweeps SET state = 'open', stop_reason = NULL, updated_at = @now WHERE name = @s", ("@s", sweep.Name), ("@now", now)).ConfigureAwait(false);
            await SettleFinishedLeasesAsync(c, t, sweep.Name, now, ct).ConfigureAwait(false);
            return await ReadTrialsAsync(c, t, sweep.Name, sweep.Space, ct).ConfigureAwait(false);
        }, transaction: true, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask SaveTrialAsync(string sweepName, Trial trial, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sweepName);
        ArgumentNullException.ThrowIfNull(trial);
        var now = Now();
        var parameters = ConfigurationJson.Write(trial.Configuration);
        var metrics = trial.Metrics.IsEmpty ? null : JsonSerializer.Serialize(new Dictionary<string, double>(trial.Metrics), StoreJsonContext.Default.DictionaryStringDouble);
        // In queue mode a new attempt is queued in the same write that starts it: it waits, pending, for an agent.
        var queue = QueueNewAttempts && trial.State == TrialState.Running;
        await RunAsync(async (c, t, ct) =>
        {
            int? recordedAttempts;
            await using (var read = Command(c, t, "SELECT attempts FROM trials WHERE sweep = @s AND number = @n", ("@s", sweepName), ("@n", trial.Number)))
            {
                var scalar = await read.ExecuteScalarAsync(ct).ConfigureAwait(false);
                recordedAttempts = scalar is null or DBNull ? null : Convert.ToInt32(scalar, CultureInfo.InvariantCulture);
            }

            (string, object?)[] values =
            [
                ("@s", sweepName), ("@n", trial.Number), ("@p", parameters), ("@seed", trial.Seed), ("@state", queue ? nameof(TrialState.Pending) : trial.State.ToString()),
                ("@v", trial.Value), ("@e", trial.Error), ("@a", trial.Attempts), ("@start", Millis(trial.StartedAt)), ("@end", Millis(trial.EndedAt)), ("@m", metrics),
                ("@i", trial.IsInterrupted ? 1 : 0), ("@q", (int)QueueState.None),
            ];
            if (recordedAttempts is null)
            {
                // Inserted only when the previous number exists (and, by the key, this one does not): gapless by induction.
                var inserted = await ExecuteAsync(c, t, ct,
                    "INSERT INTO trials (sweep, number, parameters, seed, state, value, error, attempts, started_at, ended_at, metrics, interrupted, queue, stop_requested) " +
                    "SELECT @s, @n, @p, @seed, @state, @v, @e, @a, @start, @end, @m, @i, @q, 0 WHERE @n = 0 OR EXISTS (SELECT 1 FROM trials WHERE sweep = @s AND number = @n - 1)",
                    values).ConfigureAwait(false);
                if (inserted == 0)
                {
                    throw new InvalidOperationException($"Sweep '{sweepName}' in {DisplayName} has no trial {trial.Number - 1}, so trial {trial.Number} would leave a gap; trial numbers are gapless.");
                }
            }
            else
            {
                var queueColumns = string.Empty;
                if (trial.Attempts > recordedAttempts)
                {
                    // Steps belong to the attempt that reported them, and the queue's lease to the attempt that took it.
                    if (recordedAttempts > 0)
                    {
                        await ExecuteAsync(c, t, ct, "DELETE FROM steps WHERE sweep = @s AND number = @n", ("@s", sweepName), ("@n", trial.Number)).ConfigureAwait(false);
                    }

                    queueColumns = $", queue = {Q(queue ? QueueState.Waiting : QueueState.None)}, lease_owner = NULL, heartbeat_at = NULL, leased_at = NULL, last_step = NULL, stop_requested = 0, " +
                        "result_value = NULL, result_metrics = NULL, result_error = NULL";
                }
                else if (trial.State != TrialState.Running)
                {
                    // A finished or interrupted trial's lease is revoked, so a late agent cannot write into it.
                    queueColumns = ", queue = @q, lease_owner = NULL";
                }

                await ExecuteAsync(c, t, ct,
                    "UPDATE trials SET parameters = @p, seed = @seed, state = @state, value = @v, error = @e, attempts = @a, started_at = @start, ended_at = @end, metrics = @m, interrupted = @i" +
                    queueColumns + " WHERE sweep = @s AND number = @n",
                    values).ConfigureAwait(false);
            }

            await WriteTrialOutboxAsync(c, t, sweepName, trial, parameters, now, ct).ConfigureAwait(false);
            return 0;
        }, transaction: true, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask AppendStepAsync(string sweepName, int trialNumber, StepValue stepValue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sweepName);
        var now = Now();
        await RunAsync(async (c, t, ct) =>
        {
            // An agent process may have written this step already; the controller's copy of it is then a no-op.
            await InsertStepAsync(c, t, sweepName, trialNumber, stepValue, now, ct).ConfigureAwait(false);
            return 0;
        }, transaction: true, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask CloseSweepAsync(string sweepName, SweepStopReason stopReason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sweepName);
        var now = Now();
        await RunAsync(async (c, t, ct) =>
        {
            await using (var read = Command(c, t, $"SELECT MIN(number) FROM trials WHERE sweep = @s AND state = '{nameof(TrialState.Running)}'", ("@s", sweepName)))
            {
                if (await read.ExecuteScalarAsync(ct).ConfigureAwait(false) is { } running and not DBNull)
                {
                    throw new InvalidOperationException($"Sweep '{sweepName}' is closing with trial {running} still running; a sweep never leaves a trial running.");
                }
            }

            await ExecuteAsync(c, t, ct, "UPDATE sweeps SET state = 'closed', stop_reason = @r, updated_at = @now WHERE name = @s",
                ("@s", sweepName), ("@r", stopReason.ToString()), ("@now", now)).ConfigureAwait(false);
            await WriteOutboxAsync(c, t, sweepName, null, "sweep", JsonSerializer.Serialize(new SweepEvent("closed", stopReason.ToString()), StoreJsonContext.Default.SweepEvent), now, ct).ConfigureAwait(false);
            return 0;
        }, transaction: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a sweep's trials with their steps, ordered by number.</summary>
    /// <param name="sweepName">The sweep's name.</param>
    /// <param name="space">The sweep's search space, which the stored parameters are read back into.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The trials; empty when the sweep is unknown.</returns>
    public async ValueTask<IReadOnlyList<Trial>> GetTrialsAsync(string sweepName, SearchSpace space, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sweepName);
        ArgumentNullException.ThrowIfNull(space);
        return await RunAsync((c, t, ct) => ReadTrialsAsync(c, t, sweepName, space, ct), transaction: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the oldest outbox messages not yet delivered.</summary>
    /// <param name="maxCount">The most messages to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The messages in write order.</returns>
    public async ValueTask<IReadOnlyList<OutboxMessage>> ReadOutboxAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        return await RunAsync(async (c, t, ct) =>
        {
            var messages = new List<OutboxMessage>();
            await using var read = Command(c, t, "SELECT id, sweep, trial_number, kind, payload, created_at FROM outbox WHERE delivered_at IS NULL ORDER BY id LIMIT @max", ("@max", maxCount));
            await using var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                messages.Add(new OutboxMessage(
                    Int64(reader.GetValue(0)), reader.GetString(1), reader.IsDBNull(2) ? null : (int)Int64(reader.GetValue(2)),
                    reader.GetString(3), reader.GetString(4), DateTimeOffset.FromUnixTimeMilliseconds(Int64(reader.GetValue(5)))));
            }

            return (IReadOnlyList<OutboxMessage>)messages;
        }, transaction: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks outbox messages delivered, so that <see cref="ReadOutboxAsync"/> no longer returns them.</summary>
    /// <param name="ids">The messages' identifiers.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the write is durable.</returns>
    public async ValueTask MarkDeliveredAsync(IEnumerable<long> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var list = ids.ToList();
        var now = Now();
        await RunAsync(async (c, t, ct) =>
        {
            foreach (var id in list)
            {
                await ExecuteAsync(c, t, ct, "UPDATE outbox SET delivered_at = @now WHERE id = @id AND delivered_at IS NULL", ("@id", id), ("@now", now)).ConfigureAwait(false);
            }

            return 0;
        }, transaction: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the store's connection.</summary>
    /// <returns>A task that completes when the connection is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            _connection = null;
        }

        _gate.Dispose();
        GC.SuppressFinalize(this);
    }

    internal abstract DbConnection CreateConnection();

    /// <summary>
    /// Checks, once and before the store's first connection can write anything, that what the store names can hold a
    /// sweep store; throws <see cref="StoreUnavailableException"/> otherwise, having changed nothing.
    /// </summary>
    internal virtual ValueTask CheckBeforeFirstUseAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    internal abstract ValueTask ConfigureConnectionAsync(DbConnection connection, CancellationToken cancellationToken);

    internal abstract bool IsTransient(Exception exception);

    internal abstract bool IsUnreachable(Exception exception);

    internal virtual ValueTask<DbTransaction> BeginTransactionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection.BeginTransactionAsync(cancellationToken);

    internal long Now() => TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    internal async Task<T> RunAsync<T>(Func<DbConnection, DbTransaction?, CancellationToken, Task<T>> body, bool transaction, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var started = TimeProvider.GetTimestamp();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var connection = await EnsureOpenAsync(cancellationToken).ConfigureAwait(false);
                    if (!transaction)
                    {
                        return await body(connection, null, cancellationToken).ConfigureAwait(false);
                    }

                    var tx = await BeginTransactionAsync(connection, cancellationToken).ConfigureAwait(false);
                    await using (tx.ConfigureAwait(false))
                    {
                        var result = await body(connection, tx, cancellationToken).ConfigureAwait(false);
                        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                        return result;
                    }
                }
                catch (Exception exception) when (IsTransient(exception) && TimeProvider.GetElapsedTime(started) < MaxRetryTime && !cancellationToken.IsCancellationRequested)
                {
                    // Another process holds the write lock or won a conflicting write: back off and try the whole unit again.
                    var delay = TimeSpan.FromMilliseconds(Math.Min(50, attempt * 2) * (0.5 + _jitter.NextDouble()));
                    await Task.Delay(delay, TimeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (IsUnreachable(exception) || IsTransient(exception))
                {
                    await DropConnectionAsync().ConfigureAwait(false);
                    throw new StoreUnavailableException(
                        $"The sweep store {DisplayName} cannot be used: {exception.Message} Check that it is reachable and writable, or pass another --store.", exception);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    internal static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1068", Justification = "The SQL's parameters are a params array, which must come last.")]
    internal static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static long Int64(object value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);

    internal static long? Millis(DateTimeOffset? time) => time?.ToUnixTimeMilliseconds();

    private async ValueTask<DbConnection> EnsureOpenAsync(CancellationToken cancellationToken)
    {
        if (_connection is null)
        {
            if (!_checked)
            {
                await CheckBeforeFirstUseAsync(cancellationToken).ConfigureAwait(false);
                _checked = true;
            }

            var connection = CreateConnection();
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                await ConfigureConnectionAsync(connection, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            _connection = connection;
        }

        if (!_migrated)
        {
            await MigrateAsync(_connection, cancellationToken).ConfigureAwait(false);
            _migrated = true;
        }

        return _connection;
    }

    private async ValueTask DropConnectionAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            _connection = null;
        }
    }

    private static async Task WriteOutboxAsync(DbConnection c, DbTransaction? t, string sweepName, int? trialNumber, string kind, string payload, long now, CancellationToken ct) =>
        await ExecuteAsync(c, t, ct, "INSERT INTO outbox (sweep, trial_number, kind, payload, created_at, delivered_at) VALUES (@s, @n, @k, @p, @now, NULL)",
            ("@s", sweepName), ("@n", trialNumber), ("@k", kind), ("@p", payload), ("@now", now)).ConfigureAwait(false);

    private static async Task WriteTrialOutboxAsync(DbConnection c, DbTransaction? t, string sweepName, Trial trial, string parameters, long now, CancellationToken ct)
    {
        using var document = JsonDocument.Parse(parameters);
        var payload = new TrialEvent(
            trial.Number, trial.State.ToString(), trial.Attempts, trial.Value, trial.Error, Millis(trial.StartedAt), Millis(trial.EndedAt),
            document.RootElement, trial.Metrics.IsEmpty ? null : new Dictionary<string, double>(trial.Metrics), trial.LastStep?.Step)
        {
            Interrupted = trial.IsInterrupted,
        };
        await WriteOutboxAsync(c, t, sweepName, trial.Number, "trial", JsonSerializer.Serialize(payload, StoreJsonContext.Default.TrialEvent), now, ct).ConfigureAwait(false);
    }

    private static async Task<bool> InsertStepAsync(DbConnection c, DbTransaction? t, string sweepName, int trialNumber, StepValue stepValue, long now, CancellationToken ct)
    {
        var inserted = await ExecuteAsync(c, t, ct,
            "INSERT INTO steps (sweep, number, step, value) VALUES (@s, @n, @step, @v) ON CONFLICT (sweep, number, step) DO NOTHING",
            ("@s", sweepName), ("@n", trialNumber), ("@step", stepValue.Step), ("@v", stepValue.Value)).ConfigureAwait(false);
        if (inserted > 0)
        {
            var payload = JsonSerializer.Serialize(new StepEvent(trialNumber, stepValue.Step, stepValue.Value, now), StoreJsonContext.Default.StepEvent);
            await WriteOutboxAsync(c, t, sweepName, trialNumber, "step", payload, now, ct).ConfigureAwait(false);
        }

        return inserted > 0;
    }

    private async Task<IReadOnlyList<Trial>> ReadTrialsAsync(DbConnection c, DbTransaction? t, string sweepName, SearchSpace space, CancellationToken ct)
    {
        var steps = await ReadStepsAsync(c, t, sweepName, ct).ConfigureAwait(false);
        var trials = new List<Trial>();
        await using (var read = Command(c, t,
            "SELECT number, parameters, seed, state, value, error, attempts, started_at, ended_at, metrics, interrupted FROM trials WHERE sweep = @s ORDER BY number", ("@s", sweepName)))
        await using (var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var number = (int)Int64(reader.GetValue(0));
                Configuration configuration;
                try
                {
                    configuration = ConfigurationJson.Read(space, reader.GetString(1));
                }
                catch (InvalidConfigurationException exception)
                {
                    throw new InvalidOperationException($"Trial {number} of sweep '{sweepName}' in {DisplayName} does not fit the search space: {exception.Message}", exception);
                }

                trials.Add(new Trial(number, configuration, Enum.Parse<TrialState>(reader.GetString(3)), reader.IsDBNull(4) ? null : reader.GetDouble(4))
                {
                    Seed = Int64(reader.GetValue(2)),
                    Error = reader.IsDBNull(5) ? null : reader.GetString(5),
                    Attempts = (int)Int64(reader.GetValue(6)),
                    StartedAt = reader.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeMilliseconds(Int64(reader.GetValue(7))),
                    EndedAt = reader.IsDBNull(8) ? null : DateTimeOffset.FromUnixTimeMilliseconds(Int64(reader.GetValue(8))),
                    Metrics = reader.IsDBNull(9)
                        ? ImmutableDictionary<string, double>.Empty
                        : JsonSerializer.Deserialize(reader.GetString(9), StoreJsonContext.Default.DictionaryStringDouble)!.ToImmutableDictionary(StringComparer.Ordinal),
                    Steps = steps.TryGetValue(number, out var list) ? list : [],
                    IsInterrupted = Int64(reader.GetValue(10)) != 0,
                });
            }
        }

        return trials;
    }

    private static async Task SettleFinishedLeasesAsync(DbConnection c, DbTransaction? t, string sweepName, long now, CancellationToken ct)
    {
        // An agent may have finished a trial after the controller that queued it died: its result is kept, so resuming
        // neither loses nor repeats it. Failures are left unfinished, and the controller retries them.
        var settled = new List<(int Number, TrialOutcome Outcome, string? Metrics, int Attempts)>();
        await using (var read = Command(c, t,
            "SELECT number, stop_requested, result_value, result_metrics, result_error, attempts FROM trials " +
            $"WHERE sweep = @s AND queue = {Q(QueueState.Done)} AND state IN ('{nameof(TrialState.Pending)}', '{nameof(TrialState.Running)}')", ("@s", sweepName)))
        await using (var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var number = (int)Int64(reader.GetValue(0));
                var metrics = reader.IsDBNull(3) ? null : reader.GetString(3);
                var (result, exception) = QueuedTrial.ReadResult(number, reader.IsDBNull(2) ? null : reader.GetDouble(2), metrics, reader.IsDBNull(4) ? null : reader.GetString(4));
                var outcome = TrialOutcome.Classify(number, result, exception, stopRequested: Int64(reader.GetValue(1)) != 0);
                if (outcome.Kind is TrialOutcomeKind.Completed or TrialOutcomeKind.Pruned)
                {
                    settled.Add((number, outcome, outcome.Kind == TrialOutcomeKind.Completed ? metrics : null, (int)Int64(reader.GetValue(5))));
                }
            }
        }

        foreach (var (number, outcome, metrics, attempts) in settled)
        {
            var state = outcome.State.ToString();
            await ExecuteAsync(c, t, ct,
                "UPDATE trials SET state = @state, value = @v, metrics = @m, interrupted = 0, ended_at = heartbeat_at, queue = @q WHERE sweep = @s AND number = @n",
                ("@s", sweepName), ("@n", number), ("@state", state), ("@v", outcome.Value), ("@m", metrics), ("@q", (int)QueueState.None)).ConfigureAwait(false);
            await WriteOutboxAsync(c, t, sweepName, number, "trial",
                JsonSerializer.Serialize(new TrialEvent(number, state, attempts, outcome.Value, null, null, now, null, null, null), StoreJsonContext.Default.TrialEvent), now, ct).ConfigureAwait(false);
        }
    }
}
