using Tune.Pipeline.Stores.PostgreSql;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Stores.Tests;

public sealed class PostgreSqlSweepStoreTests : SweepStoreContractTests
{
    private string? _connectionString;

    [Fact]
    public async Task OpenSweepAsync_Unreachable_ThrowsStoreUnavailableWithoutThePassword()
    {
        var port = System.Net.Sockets.TcpListener.Create(0);
        port.Start();
        var free = ((System.Net.IPEndPoint)port.LocalEndpoint).Port;
        port.Stop();
        await using var store = new PostgreSqlSweepStore($"postgresql://tuner:s3cret-pw@127.0.0.1:{free}/tune?Timeout=2");

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(async () => await store.OpenSweepAsync(Build("x"), Ct));

        Assert.DoesNotContain("s3cret-pw", error.Message, StringComparison.Ordinal);
        Assert.Contains($"postgresql://127.0.0.1:{free}/tune", error.Message, StringComparison.Ordinal);
    }

    protected override async Task<SqlSweepStore> CreateStoreAsync()
    {
        _connectionString ??= await PostgresTestServer.CreateSchemaAsync(Ct);
        return new PostgreSqlSweepStore(_connectionString);
    }

    protected override async ValueTask DisposeDatabaseAsync()
    {
        if (_connectionString is null)
        {
            return;
        }

        await PostgresTestServer.DropSchemaAsync(_connectionString);
    }
}
