using System.Data.Common;
using System.Globalization;
using System.Reflection;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Stores;

/// <content>The schema and its forward migrations.</content>
public abstract partial class SqlSweepStore
{
    /// <summary>
    /// The error text with which schema version 3 and older marked an interrupted trial (now <see cref="Trial.IsInterrupted"/>):
    /// the version 4 migration and a tracking forwarder reading old outbox messages recognize it.
    /// </summary>
    internal const string LegacyInterruptedError = "Interrupted: the sweep stopped while the trial ran; resuming the sweep runs it again.";

    private async Task MigrateAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var version = await ReadVersionAsync(connection, null, cancellationToken).ConfigureAwait(false);
        if (version == SchemaVersion)
        {
            return;
        }

        ThrowIfNewer(version);
        var tx = await BeginTransactionAsync(connection, cancellationToken).ConfigureAwait(false);
        await using (tx.ConfigureAwait(false))
        {
            if (MigrationLockSql is { } lockSql)
            {
                await ExecuteAsync(connection, tx, cancellationToken, lockSql).ConfigureAwait(false);
            }

            // Read again under the write lock: another process may have migrated meanwhile.
            version = await ReadVersionAsync(connection, tx, cancellationToken).ConfigureAwait(false);
            ThrowIfNewer(version);
            for (var next = version + 1; next <= SchemaVersion; next++)
            {
                foreach (var statement in Migration(next))
                {
                    await ExecuteAsync(connection, tx, cancellationToken, statement).ConfigureAwait(false);
                }
            }

            if (version < SchemaVersion)
            {
                await ExecuteAsync(connection, tx, cancellationToken,
                    version == 0 ? "INSERT INTO tune_schema (id, version, written_by) VALUES (1, @v, @by)" : "UPDATE tune_schema SET version = @v, written_by = @by WHERE id = 1",
                    ("@v", SchemaVersion), ("@by", LibraryVersion)).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static string LibraryVersion =>
        typeof(SqlSweepStore).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    private void ThrowIfNewer(int version)
    {
        if (version > SchemaVersion)
        {
            throw new StoreUnavailableException(
                $"The sweep store {DisplayName} has schema version {version}, written by a newer Tune.Pipeline; this version ({LibraryVersion}) reads schema version {SchemaVersion} and older. Upgrade Tune.Pipeline, or pass another --store.");
        }
    }

    private async Task<int> ReadVersionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using (var exists = Command(connection, transaction, SchemaTableExistsSql))
        {
            if (Int64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L) == 0)
            {
                return 0;
            }
        }

        await using var read = Command(connection, transaction, "SELECT version FROM tune_schema WHERE id = 1");
        var value = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? 0 : Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }

    // Each version's statements, applied in order; a shipped version's statements never change.
    private IEnumerable<string> Migration(int version) => version switch
    {
        1 =>
        [
            "CREATE TABLE tune_schema (id INTEGER PRIMARY KEY, version INTEGER NOT NULL, written_by TEXT NOT NULL)",
            "CREATE TABLE sweeps (name TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, definition TEXT NOT NULL, seed BIGINT NOT NULL, goal TEXT NOT NULL, " +
                "max_retries INTEGER NOT NULL, state TEXT NOT NULL, stop_reason TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
            "CREATE TABLE trials (sweep TEXT NOT NULL, number INTEGER NOT NULL, parameters TEXT NOT NULL, seed BIGINT NOT NULL, state TEXT NOT NULL, " +
                "value DOUBLE PRECISION, error TEXT, attempts INTEGER NOT NULL, started_at BIGINT, ended_at BIGINT, metrics TEXT, " +
                "queue INTEGER NOT NULL, lease_owner TEXT, heartbeat_at BIGINT, leased_at BIGINT, last_step BIGINT, stop_requested INTEGER NOT NULL, " +
                "result_value DOUBLE PRECISION, result_metrics TEXT, result_error TEXT, PRIMARY KEY (sweep, number))",
            "CREATE INDEX trials_queue ON trials (sweep, queue, number)",
            "CREATE TABLE steps (sweep TEXT NOT NULL, number INTEGER NOT NULL, step BIGINT NOT NULL, value DOUBLE PRECISION NOT NULL, PRIMARY KEY (sweep, number, step))",
            $"CREATE TABLE outbox (id {IdentityColumn}, sweep TEXT NOT NULL, trial_number INTEGER, kind TEXT NOT NULL, payload TEXT NOT NULL, created_at BIGINT NOT NULL, delivered_at BIGINT)",
            "CREATE INDEX outbox_pending ON outbox (delivered_at, id)",
        ],

        // Tracking: the names a sweep is tracked under, and the tracking server's ids for it and its trials. A row whose
        // run_id is NULL records a create that was sent but not answered, so that the run is looked up, never made twice.
        2 =>
        [
            "CREATE TABLE tracking_sweeps (sweep TEXT PRIMARY KEY, experiment_name TEXT, objective_metric TEXT, experiment_id TEXT)",
            "CREATE TABLE tracking_runs (sweep TEXT NOT NULL, trial_number INTEGER NOT NULL, run_id TEXT, PRIMARY KEY (sweep, trial_number))",
        ],
        // The one tracking forwarder a store may have at a time (a sweep's, or `tune mlflow sync`): two delivering the
        // same outbox at once could each create a run before either recorded it.
        3 =>
        [
            "CREATE TABLE tracking_forwarder (id INTEGER PRIMARY KEY, owner TEXT NOT NULL, heartbeat_at BIGINT NOT NULL)",
        ],
        // Interruption is a recorded flag, not an error text: rows that schema 3 marked with the old text move to the flag.
        4 =>
        [
            "ALTER TABLE trials ADD COLUMN interrupted INTEGER NOT NULL DEFAULT 0",
            $"UPDATE trials SET interrupted = 1, error = NULL WHERE state = 'Pending' AND error = '{LegacyInterruptedError}'",
        ],

        // The one controller a sweep may have at a time: two `sweep --resume` of one sweep must not both run it.
        5 =>
        [
            "CREATE TABLE sweep_controllers (sweep TEXT PRIMARY KEY, owner TEXT NOT NULL, heartbeat_at BIGINT NOT NULL)",
        ],

        // Which agent ran a trial's last attempt (host/process/nonce/device), kept after its lease ends: which GPU or CPU
        // agent it was. Trials of older stores, and trials run in process, have none.
        6 =>
        [
            "ALTER TABLE trials ADD COLUMN agent TEXT",
        ],
        _ => throw new InvalidOperationException($"Schema version {version} has no migration."),
    };
}
