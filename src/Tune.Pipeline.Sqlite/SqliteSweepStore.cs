using System.Data.Common;
using Microsoft.Data.Sqlite;
using Tune.Pipeline.Stores;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Stores.Sqlite;

/// <summary>
/// Represents the embedded default sweep store: one SQLite file (by default <c>.tune/tune.db</c>) in WAL mode, which
/// several processes on one machine share safely.
/// </summary>
/// <remarks>
/// <para>
/// Readers never block the writer in WAL mode; writers take the write lock up front (<c>BEGIN IMMEDIATE</c>) and wait
/// for it with a busy timeout, and the store retries a unit of work that still meets a busy database, so "database is
/// locked" never reaches the caller. Commits are durable across a process crash (<c>synchronous=NORMAL</c>); a power
/// loss can lose the last commits but never corrupts the file. Do not put the file on a network share: SQLite's locks
/// do not hold there.
/// </para>
/// <para>
/// Before its first write the store checks the file, reading only: a file that is not an SQLite database, a damaged
/// one, or an SQLite database of other tables is refused with <see cref="Sweeps.StoreUnavailableException"/>, and left
/// byte for byte as it was.
/// </para>
/// </remarks>
public sealed class SqliteSweepStore : SqlSweepStore
{
    // SQLITE_CORRUPT and SQLITE_NOTADB: what SQLite says of a damaged file.
    private const int Corrupt = 11;
    private const int NotADatabase = 26;
    private const string Malformed = "database disk image is malformed";

    // Every SQLite database file opens with a 100-byte header, whose first 16 bytes are this string.
    private const int HeaderLength = 100;

    private static readonly byte[] SqliteMagic = "SQLite format 3\0"u8.ToArray();

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

    internal override async ValueTask CheckBeforeFirstUseAsync(CancellationToken cancellationToken)
    {
        // No file yet is a new store; so is an empty one, which SQLite itself reads as an empty database: `touch`
        // leaves one, and so does a process that died before its first commit.
        var file = new FileInfo(Path);
        if (!file.Exists || file.Length == 0)
        {
            return;
        }

        var header = new byte[HeaderLength];
        int read;
        var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        await using (stream.ConfigureAwait(false))
        {
            read = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        }

        if (read < header.Length || !header.AsSpan(0, SqliteMagic.Length).SequenceEqual(SqliteMagic))
        {
            throw NotASweepStore("it is not an SQLite database");
        }

        try
        {
            var connection = new SqliteConnection(CheckConnectionString());
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using (var check = Command(connection, null, "PRAGMA quick_check(1)"))
                {
                    // quick_check lists what it found over several lines; one line says it as SQLite's error 11 does.
                    if (await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string verdict && !string.Equals(verdict, "ok", StringComparison.Ordinal))
                    {
                        throw Damaged(Malformed);
                    }
                }

                // An SQLite file without tables is an empty database, which the first migration makes a store.
                await using var tables = Command(connection, null,
                    "SELECT COUNT(*), COUNT(CASE WHEN name = 'tune_schema' THEN 1 END) FROM sqlite_master WHERE type = 'table'");
                await using var reader = await tables.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && reader.GetInt64(0) > 0 && reader.GetInt64(1) == 0)
                {
                    throw NotASweepStore("it holds other tables");
                }
            }
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode is Corrupt or NotADatabase)
        {
            throw Damaged(exception.SqliteErrorCode == Corrupt ? Malformed : "file is not a database", exception);
        }
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
        exception is SqliteException { SqliteErrorCode: 14 or 8 or 10 or 23 or Corrupt or NotADatabase } or UnauthorizedAccessException or IOException;

    private string CheckConnectionString()
    {
        // A store in use has its -wal file: read it under SQLite's locks, which see the latest commits and never a
        // checkpoint half-written. A store nobody has open has none, and a read-only connection would leave -wal and
        // -shm files behind; immutable reads the file as it is and creates nothing.
        var inUse = File.Exists(Path + "-wal");
        return new SqliteConnectionStringBuilder
        {
            DataSource = inUse ? Path : new Uri(Path).AbsoluteUri + "?immutable=1",
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = 60,
        }.ToString();
    }

    private StoreUnavailableException NotASweepStore(string reason) =>
        new($"The sweep store {DisplayName} is not a Tune.Pipeline sweep store ({reason}). Pass another --store, or move the file away.");

    private StoreUnavailableException Damaged(string detail, Exception? cause = null) =>
        new($"The sweep store {DisplayName} is damaged (SQLite: {detail}). Restore it from a backup, or pass another --store.", cause);
}
