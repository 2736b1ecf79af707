using Tune.Pipeline.Stores.PostgreSql;

namespace Tune.Pipeline.Stores.Tests;

public sealed class PostgreSqlSweepStoreQueriesTests : SweepStoreQueriesTests
{
    private string? _connectionString;

    protected override async Task<SqlSweepStore> CreateStoreAsync()
    {
        _connectionString = await PostgresTestServer.CreateSchemaAsync(Ct);
        return new PostgreSqlSweepStore(_connectionString);
    }

    protected override async ValueTask DisposeDatabaseAsync()
    {
        if (_connectionString is not null)
        {
            await PostgresTestServer.DropSchemaAsync(_connectionString);
        }
    }
}
