using Tune.Pipeline.Stores.PostgreSql;
using Tune.Pipeline.Stores.Sqlite;

namespace Tune.Pipeline.Hosting.Tests;

public sealed class SweepStoresTests
{
    [Fact]
    public async Task Open_PostgreSqlForAnAgent_CapsItsPoolThroughThePackage()
    {
        // No server is needed: the pool's size is settled when the store is opened, before any connection.
        var store = SweepStores.Open("postgresql://tune@db.invalid:5432/tune", TimeProvider.System, StoreTrialAgent.MaxConnections);
        await using (store)
        {
            Assert.Equal(4, Assert.IsType<PostgreSqlSweepStore>(store).MaxConnections);
        }
    }

    [Fact]
    public async Task Open_SqliteWithACap_OpensTheFileAsWithout()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("tune-stores-").FullName, "tune.db");
        var store = SweepStores.Open(path, TimeProvider.System, 4);
        await using (store)
        {
            Assert.IsType<SqliteSweepStore>(store);
            Assert.Empty(await store.ListSweepsAsync(TestContext.Current.CancellationToken));
        }
    }
}
