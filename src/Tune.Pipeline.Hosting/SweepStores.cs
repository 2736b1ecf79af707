using Tune.Pipeline.Stores;
using Tune.Pipeline.Stores.PostgreSql;
using Tune.Pipeline.Stores.Sqlite;

namespace Tune.Pipeline.Hosting;

/// <summary>
/// Opens a sweep store from the text of a <c>--store</c> option: a <c>postgresql://</c> URL, or a SQLite file path.
/// The one place that knows every store, for the experiment executable and the <c>tune</c> command alike.
/// </summary>
public static class SweepStores
{
    /// <summary>Opens the store a <c>--store</c> option names; nothing is connected until the store's first use.</summary>
    /// <param name="store">A <c>postgresql://user@host:port/database</c> URL, or a SQLite file path.</param>
    /// <param name="timeProvider">The clock the store stamps its records with; the system clock when <see langword="null"/>.</param>
    /// <returns>The store; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">The text is empty, or a PostgreSQL URL that cannot be read; the message never repeats a password.</exception>
    public static SqlSweepStore Open(string store, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(store);
        return PostgreSqlSweepStore.IsPostgreSql(store)
            ? new PostgreSqlSweepStore(store, timeProvider)
            : new SqliteSweepStore(store, timeProvider);
    }
}
