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

    [Theory]
    [InlineData("postgresql://tuner:s3cr@t-pw@db.example:5432/tune", "has 2 '@' signs before the host")]
    [InlineData("postgresql://tuner:s3cr/t@pw@db.example/tune", "has an '@' after a '/'")]
    [InlineData("postgresql://tuner:s3cret-pw@db.example:99999/tune", "port is not a number from 1 to 65535")]
    [InlineData("postgresql://tuner:s3cret-pw@db.example:54x2/tune", "port is not a number from 1 to 65535")]
    [InlineData("postgresql://tuner:s3cret-pw@/tune", "names no host")]
    public void Constructor_UnreadableUrl_ThrowsNamingTheProblemWithoutThePassword(string url, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => new PostgreSqlSweepStore(url));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("percent-encoded (@ as %40)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=db;Username=tune", null, 100)]
    [InlineData("Host=db;Username=tune", 4, 4)]
    [InlineData("postgresql://tune@db:5432/tune", 4, 4)]
    [InlineData("Host=db;Username=tune;Maximum Pool Size=9", 4, 9)]
    [InlineData("Host=db;Username=tune;maxpoolsize=9", 4, 9)]
    [InlineData("postgresql://tune@db:5432/tune?Maximum%20Pool%20Size=9", 4, 9)]
    public async Task Constructor_MaxConnections_CapsThePoolUnlessTheConnectionStringSizesIt(string connectionString, int? maxConnections, int expected)
    {
        await using var store = new PostgreSqlSweepStore(connectionString, null, maxConnections);

        Assert.Equal(expected, store.MaxConnections);
    }

    [Fact]
    public void Constructor_UnreadableKeyValues_ThrowsOneLineWithoutThePassword()
    {
        var error = Assert.Throws<ArgumentException>(() => new PostgreSqlSweepStore("Host=db.example;Password=s3cret-pw;Colour=blue"));

        Assert.EndsWith("or postgresql://user@host:port/database.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_PasswordWithAnEncodedAt_NamesHostPortAndDatabase()
    {
        var store = new PostgreSqlSweepStore("postgresql://tuner:s3cr%40t@db.example:6543/tune");

        Assert.Equal("postgresql://db.example:6543/tune", store.DisplayName);
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
