using Tune.Pipeline.Stores.Sqlite;

namespace Tune.Pipeline.Stores.Tests;

public sealed class SqliteSweepStoreQueriesTests : SweepStoreQueriesTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tune-queries-").FullName;

    protected override Task<SqlSweepStore> CreateStoreAsync() =>
        Task.FromResult<SqlSweepStore>(new SqliteSweepStore(Path.Combine(_directory, "tune.db")));

    protected override ValueTask DisposeDatabaseAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
