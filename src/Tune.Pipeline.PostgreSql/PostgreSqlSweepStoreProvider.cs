using Tune.Pipeline.Stores;
using Tune.Pipeline.Stores.PostgreSql;

[assembly: SweepStoreProvider(typeof(PostgreSqlSweepStoreProvider))]

namespace Tune.Pipeline.Stores.PostgreSql;

/// <summary>Opens <c>postgresql://</c> stores for an experiment executable that references this package.</summary>
public sealed class PostgreSqlSweepStoreProvider : ISweepStoreProvider
{
    /// <inheritdoc/>
    public SqlSweepStore Open(string store, TimeProvider timeProvider) => new PostgreSqlSweepStore(store, timeProvider);

    /// <inheritdoc/>
    public SqlSweepStore Open(string store, TimeProvider timeProvider, int maxConnections) => new PostgreSqlSweepStore(store, timeProvider, maxConnections);
}
