using System.Data.Common;
using Microsoft.Data.Sqlite;
using Tune.Pipeline.Stores;

namespace Tune.Pipeline.Stores.Sqlite;

/// <summary>
/// Represents the embedded default sweep store: one SQLite file (by default <c>.tune/tune.db</c>) in WAL mode, which
/// several processes on one machine share safely.
/// </summary>
/// <remarks>
/// Readers never block the writer in WAL mode; writers take the write lock up front (<c>BEGIN IMMEDIATE</c>) and wait
/// for it with a busy timeout, and the store retries a unit of work that still meets a busy database, so "database is
/// locked" never reaches the caller. Commits are durable across a process crash (<c>synchronous=NORMAL</c>); a power
/// loss can lose the last commits but never corrupts the file. Do not put the file on a network share: SQLite's locks
/// do not hold there.
/// </remarks>
public sealed class SqliteSweepStore : SqlSweepStore
{
    private readonly string _connectionString;

    /// <summary>Initializes a new instance of the <see cref="SqliteSweepStore"/> class; the file and its folder are created on first use.</summary>
    /// <param name="path">The database file's path.</param>
    /// <param name="timeProvider">The clock the store stamps its records with; defaults to the system clock.</param>
    public SqliteSweepStore(string path, TimeProvider? timeProvider = null)
        : base(timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 60,
        }.ToString();
    }

    /// <summary>Gets the default store's path, relative to the working directory: <c>.tune/tune.db</c>.</summary>
    public static string DefaultPath { get; } = System.IO.Path.Combine(".tune", "tune.db");

    /// <summary>Gets the database file's full path.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public override string DisplayName => $"'{Path}'";

    internal override string IdentityColumn => "INTEGER PRIMARY KEY AUTOINCREMENT";

    internal override string SkipLocked => string.Empty;

    internal override string SchemaTableExistsSql => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'tune_schema'";

    internal override DbConnection CreateConnection()
    {
        if (System.IO.Path.GetDirectoryName(Path) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        return new SqliteConnection(_connectionString);
    }

    internal override async ValueTask ConfigureConnectionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // busy_timeout makes SQLite itself wait for the lock; journal_mode is persistent, set by whoever comes first.
        await ExecuteAsync(connection, null, cancellationToken, "PRAGMA busy_timeout = 10000").ConfigureAwait(false);
        await ExecuteAsync(connection, null, cancellationToken, "PRAGMA journal_mode = WAL").ConfigureAwait(false);
        await ExecuteAsync(connection, null, cancellationToken, "PRAGMA synchronous = NORMAL").ConfigureAwait(false);
    }

    internal override async ValueTask<DbTransaction> BeginTransactionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // IMMEDIATE: take the write lock at BEGIN, where the busy timeout applies, instead of failing to upgrade a read
        // lock halfway through (SQLITE_BUSY_SNAPSHOT, which no timeout can wait out).
        await Task.CompletedTask.ConfigureAwait(false);
        return ((SqliteConnection)connection).BeginTransaction(deferred: false);
    }

    internal override bool IsTransient(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 5 or 6 };

    internal override bool IsUnreachable(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 14 or 8 or 10 or 23 or 26 } or UnauthorizedAccessException or IOException;
}
