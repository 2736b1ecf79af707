using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Npgsql;
using Tune.Pipeline.Stores;

namespace Tune.Pipeline.Stores.PostgreSql;

/// <summary>
/// Represents the sweep store for agents on many machines: a PostgreSQL database, from which agents lease trials with
/// <c>FOR UPDATE SKIP LOCKED</c>.
/// </summary>
/// <remarks>
/// Give it a key-value connection string (<c>Host=...;Username=...;Database=...</c>) or a URI
/// (<c>postgresql://user:password@host:5432/database</c>). Messages name the host, port and database, never the
/// password or the connection string. The tables live in the connection's search path, so one database can hold
/// several stores in separate schemas. Sessions run with <c>synchronous_commit = off</c>: a crash of the database
/// server itself can lose the last moments of commits (never consistency); resuming the sweep runs those trials again.
/// </remarks>
public sealed partial class PostgreSqlSweepStore : SqlSweepStore
{
    private const string UriShape = "Write it as postgresql://user:password@host:5432/database, with any @ : / ? # or % in the user name or password percent-encoded (@ as %40).";

    private readonly string _connectionString;

    /// <summary>Initializes a new instance of the <see cref="PostgreSqlSweepStore"/> class.</summary>
    /// <param name="connectionString">A key-value connection string or a <c>postgresql://</c> URI.</param>
    /// <param name="timeProvider">The clock the store stamps its records with; defaults to the system clock.</param>
    /// <exception cref="ArgumentException">The connection string cannot be read; the message does not repeat it.</exception>
    public PostgreSqlSweepStore(string connectionString, TimeProvider? timeProvider = null)
        : this(connectionString, timeProvider, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PostgreSqlSweepStore"/> class whose connection pool holds at most <paramref name="maxConnections"/> connections, unless the connection string sets its own <c>Maximum Pool Size</c>.</summary>
    /// <param name="connectionString">A key-value connection string or a <c>postgresql://</c> URI.</param>
    /// <param name="timeProvider">The clock the store stamps its records with; defaults to the system clock.</param>
    /// <param name="maxConnections">The pool's size when the connection string does not set one; Npgsql's default (100) when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The connection string cannot be read; the message does not repeat it.</exception>
    public PostgreSqlSweepStore(string connectionString, TimeProvider? timeProvider, int? maxConnections)
        : base(timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        NpgsqlConnectionStringBuilder builder;
        var keyValues = IsUri(connectionString) ? FromUri(connectionString) : connectionString;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(keyValues);
        }
        catch (ArgumentException exception)
        {
            // No parameter name: it would add "(Parameter 'connectionString')" to the one line a command prints.
            throw new ArgumentException($"The PostgreSQL connection string cannot be read ({exception.GetType().Name}). Use Host=...;Username=...;Database=... or postgresql://user@host:port/database.", exception);
        }

        builder.Pooling = true;

        // Every agent process holds its own pool, and Npgsql lets each grow to 100 while PostgreSQL allows 100 in all by
        // default: an agent's pool is capped (the host asks for a few), so N agents hold at most N times that. A size the
        // user wrote wins.
        if (maxConnections is { } cap && !PoolSizeGiven().IsMatch(keyValues))
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(cap, 1, nameof(maxConnections));
            builder.MaxPoolSize = cap;
            builder.MinPoolSize = Math.Min(builder.MinPoolSize, cap);
        }

        // The same few statements run for every trial: prepared once per connection, they skip parsing and planning.
        builder.MaxAutoPrepare = 32;
        builder.IncludeErrorDetail = false;
        _connectionString = builder.ConnectionString;
        DisplayName = $"postgresql://{builder.Host}:{builder.Port.ToString(CultureInfo.InvariantCulture)}/{builder.Database ?? builder.Username}";
    }

    /// <inheritdoc/>
    public override string DisplayName { get; }

    /// <summary>Gets the most connections this store's pool opens at once.</summary>
    internal int MaxConnections => new NpgsqlConnectionStringBuilder(_connectionString).MaxPoolSize;

    internal override string IdentityColumn => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";

    internal override string SkipLocked => " FOR UPDATE SKIP LOCKED";

    internal override string SchemaTableExistsSql => "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'tune_schema'";

    // Serializes migrations of one schema across processes, for the transaction's duration.
    internal override string? MigrationLockSql => "SELECT pg_advisory_xact_lock(7309228615041)";

    /// <summary>Tells whether a <c>--store</c> value names a PostgreSQL database rather than a SQLite file.</summary>
    /// <param name="store">The value.</param>
    /// <returns><see langword="true"/> for a <c>postgres://</c> or <c>postgresql://</c> URI or a key-value string with a host.</returns>
    public static bool IsPostgreSql(string store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return IsUri(store) || store.Contains("Host=", StringComparison.OrdinalIgnoreCase);
    }

    internal override DbConnection CreateConnection() => new NpgsqlConnection(_connectionString);

    // A commit does not wait for the server's disk: a crash of the database server (not of an agent or the controller)
    // can lose the last moments of commits, never consistency, and a resumed sweep runs those trials again.
    internal override async ValueTask ConfigureConnectionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await ExecuteAsync(connection, null, cancellationToken, "SET synchronous_commit = off").ConfigureAwait(false);

    internal override bool IsTransient(Exception exception) =>
        exception is PostgresException { SqlState: "40001" or "40P01" or "55P03" };

    internal override bool IsUnreachable(Exception exception) =>
        exception is NpgsqlException { InnerException: SocketException or IOException or TimeoutException } or SocketException
        || exception is NpgsqlException and not PostgresException
        || exception is PostgresException { SqlState: "28P01" or "28000" or "3D000" or "57P01" or "57P03" or "53300" };

    private static bool IsUri(string value) =>
        value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);

    private static string FromUri(string value)
    {
        if (FindUriProblem(value) is { } problem)
        {
            throw new ArgumentException(problem + " " + UriShape);
        }

        Uri uri;
        try
        {
            uri = new Uri(value);
        }
        catch (UriFormatException)
        {
            // UriFormatException's message can quote the text, password and all.
            throw new ArgumentException("The PostgreSQL URL cannot be read. " + UriShape);
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length > 1)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        var database = uri.AbsolutePath.Trim('/');
        if (database.Length > 0)
        {
            builder.Database = Uri.UnescapeDataString(database);
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            try
            {
                builder[key] = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : string.Empty;
            }
            catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidCastException)
            {
                throw new ArgumentException($"The PostgreSQL URL's option '{key}' is not a connection setting Npgsql accepts with that value. Use a setting such as ?Timeout=5 or ?SSL Mode=Require.", exception);
            }
        }

        return builder.ConnectionString;
    }

    /// <summary>Finds what makes a URL unreadable as a store's address, in words that never repeat the URL: it may hold a password.</summary>
    private static string? FindUriProblem(string value)
    {
        var rest = value[(value.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var end = rest.IndexOfAny(['/', '?', '#']);
        var authority = end < 0 ? rest : rest[..end];
        var ats = authority.Count(c => c == '@');
        if (ats > 1)
        {
            return $"The PostgreSQL URL has {ats} '@' signs before the host; only the one after the user name and password may be there, so an '@' in the password must be percent-encoded as %40.";
        }

        if (ats == 0 && end >= 0 && rest[end..].Contains('@', StringComparison.Ordinal))
        {
            return "The PostgreSQL URL has an '@' after a '/', '?' or '#', so its user name and password cannot be told from its host; percent-encode those characters in the password (/ as %2F, ? as %3F, # as %23, @ as %40).";
        }

        var host = authority[(authority.LastIndexOf('@') + 1)..];
        var colon = host.StartsWith('[') ? host.IndexOf("]:", StringComparison.Ordinal) + 1 : host.LastIndexOf(':');
        var name = colon > 0 ? host[..colon] : host;
        if (name.Length == 0 || name == "[]")
        {
            return "The PostgreSQL URL names no host.";
        }

        if (colon > 0 && !(int.TryParse(host[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535))
        {
            return "The PostgreSQL URL's port is not a number from 1 to 65535.";
        }

        return null;
    }

    // "Maximum Pool Size" or "Max Pool Size" in the key-value form (a URL's query is already in that form here).
    [GeneratedRegex(@"(^|;)\s*max(imum)?\s*pool\s*size\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PoolSizeGiven();
}
