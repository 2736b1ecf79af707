using System.Collections.Immutable;

namespace Tune.Pipeline.Stores;

/// <content>What a tracking forwarder records: the names a sweep is tracked under and the tracking server's ids.</content>
public abstract partial class SqlSweepStore
{
    /// <summary>
    /// Records the experiment name and objective metric a sweep is tracked under, so that a forwarder started later
    /// (<c>tune mlflow sync</c>) names them as the sweep did.
    /// </summary>
    /// <param name="sweepName">The sweep's name.</param>
    /// <param name="experimentName">The experiment's name: the tracking server's experiment.</param>
    /// <param name="objectiveMetric">The objective's metric name: the key of step values and final values.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the write is durable.</returns>
    public async ValueTask SetTrackingNamesAsync(string sweepName, string experimentName, string objectiveMetric, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sweepName);
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentName);
        ArgumentException.ThrowIfNullOrWhiteSpace(objectiveMetric);
        await WriteTrackingAsync(cancellationToken,
            "INSERT INTO tracking_sweeps (sweep, experiment_name, objective_metric, experiment_id) VALUES (@s, @e, @m, NULL) " +
            "ON CONFLICT (sweep) DO UPDATE SET experiment_name = excluded.experiment_name, objective_metric = excluded.objective_metric",
            ("@s", sweepName), ("@e", experimentName), ("@m", objectiveMetric)).ConfigureAwait(false);
    }

    /// <summary>Records the tracking server's id of the experiment a sweep is tracked in.</summary>
    /// <param name="sweepName">The sweep's name.</param>
    /// <param name="experimentId">The tracking server's experiment id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the write is durable.</returns>
    public async ValueTask SetTrackingExperimentAsync(string sweepName, string experimentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sweepName);
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentId);
        await WriteTrackingAsync(cancellationToken,
            "INSERT INTO tracking_sweeps (sweep, experiment_name, objective_metric, experiment_id) VALUES (@s, NULL, NULL, @x) " +
            "ON CONFLICT (sweep) DO UPDATE SET experiment_id = excluded.experiment_id",
            ("@s", sweepName), ("@x", experimentId)).ConfigureAwait(false);
    }

    /// <summary>
    /// Records a tracking run of a sweep (its parent run) or of one trial: its id once the server answered, or
    /// <see langword="null"/> just before the create is sent, so that a create whose answer is lost is looked up
    /// instead of sent again.
    /// </summary>
    /// <param name="sweepName">The sweep's name.</param>
    /// <param name="trialNumber">The trial's number; <see langword="null"/> for the sweep's own run.</param>
    /// <param name="runId">The tracking server's run id; <see langword="null"/> to record a create in flight.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the write is durable.</returns>
    public async ValueTask SetTrackingRunAsync(string sweepName, int? trialNumber, string? runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sweepName);
        if (trialNumber is { } number)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(number, nameof(trialNumber));
        }

        await WriteTrackingAsync(cancellationToken,
            "INSERT INTO tracking_runs (sweep, trial_number, run_id) VALUES (@s, @n, @r) ON CONFLICT (sweep, trial_number) DO UPDATE SET run_id = excluded.run_id",
            ("@s", sweepName), ("@n", trialNumber ?? TrackedSweep.SweepRunNumber), ("@r", runId)).ConfigureAwait(false);
    }

    /// <summary>Reads what the store holds about a sweep's tracking.</summary>
    /// <param name="sweepName">The sweep's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The sweep's tracking names and ids; empty ones when nothing was recorded.</returns>
    public async ValueTask<TrackedSweep> GetTrackingAsync(string sweepName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sweepName);
        return await RunAsync(async (c, t, ct) =>
        {
            var tracked = new TrackedSweep(sweepName);
            await using (var read = Command(c, t, "SELECT experiment_name, objective_metric, experiment_id FROM tracking_sweeps WHERE sweep = @s", ("@s", sweepName)))
            await using (var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                if (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    tracked = tracked with
                    {
                        ExperimentName = reader.IsDBNull(0) ? null : reader.GetString(0),
                        ObjectiveMetric = reader.IsDBNull(1) ? null : reader.GetString(1),
                        ExperimentId = reader.IsDBNull(2) ? null : reader.GetString(2),
                    };
                }
            }

            var runs = ImmutableDictionary.CreateBuilder<int, string?>();
            await using (var read = Command(c, t, "SELECT trial_number, run_id FROM tracking_runs WHERE sweep = @s", ("@s", sweepName)))
            await using (var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    runs[(int)Int64(reader.GetValue(0))] = reader.IsDBNull(1) ? null : reader.GetString(1);
                }
            }

            return tracked with { Runs = runs.ToImmutable() };
        }, transaction: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Claims, or renews, the store's one tracking-forwarder slot: a forwarder delivers the outbox only while it holds
    /// the slot, and a holder that stopped renewing for <paramref name="staleAfter"/> (a crashed process) loses it.
    /// </summary>
    /// <param name="owner">Who claims: unique per forwarder.</param>
    /// <param name="staleAfter">How long a holder may go without renewing.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The holder after the claim: <paramref name="owner"/> when it holds the slot.</returns>
    public async ValueTask<string> ClaimForwarderAsync(string owner, TimeSpan staleAfter, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        var now = Now();
        return await RunAsync(async (c, t, ct) =>
        {
            await ExecuteAsync(c, t, ct, "DELETE FROM tracking_forwarder WHERE heartbeat_at < @stale", ("@stale", now - (long)staleAfter.TotalMilliseconds)).ConfigureAwait(false);
            await ExecuteAsync(c, t, ct,
                "INSERT INTO tracking_forwarder (id, owner, heartbeat_at) VALUES (1, @o, @now) " +
                "ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at WHERE tracking_forwarder.owner = excluded.owner",
                ("@o", owner), ("@now", now)).ConfigureAwait(false);
            await using var read = Command(c, t, "SELECT owner FROM tracking_forwarder WHERE id = 1");
            return (string)(await read.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        }, transaction: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gives up the tracking-forwarder slot, if <paramref name="owner"/> holds it.</summary>
    /// <param name="owner">Who claimed it.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the write is durable.</returns>
    public async ValueTask ReleaseForwarderAsync(string owner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        await WriteTrackingAsync(cancellationToken, "DELETE FROM tracking_forwarder WHERE id = 1 AND owner = @o", ("@o", owner)).ConfigureAwait(false);
    }

    /// <summary>Counts the outbox messages not yet delivered, and finds the newest of them.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The count and the newest pending message's id (<see langword="null"/> when none is pending).</returns>
    public async ValueTask<(int Count, long? LastId)> GetOutboxBacklogAsync(CancellationToken cancellationToken = default)
    {
        return await RunAsync(async (c, t, ct) =>
        {
            await using var read = Command(c, t, "SELECT COUNT(*), MAX(id) FROM outbox WHERE delivered_at IS NULL");
            await using var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await reader.ReadAsync(ct).ConfigureAwait(false);
            return ((int)Int64(reader.GetValue(0)), reader.IsDBNull(1) ? (long?)null : Int64(reader.GetValue(1)));
        }, transaction: false, cancellationToken).ConfigureAwait(false);
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1068", Justification = "The SQL's parameters are a params array, which must come last.")]
    private Task<int> WriteTrackingAsync(CancellationToken cancellationToken, string sql, params (string Name, object? Value)[] parameters) =>
        RunAsync((c, t, ct) => ExecuteAsync(c, t, ct, sql, parameters), transaction: true, cancellationToken);
}
