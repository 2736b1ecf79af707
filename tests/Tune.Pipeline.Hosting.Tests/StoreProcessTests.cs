using Tune.Pipeline.Stores;
using Tune.Pipeline.Stores.PostgreSql;
using Tune.Pipeline.Stores.Sqlite;
using Tune.Pipeline.Stores.Tests;

namespace Tune.Pipeline.Hosting.Tests;

/// <summary>Issue 11's store side through real experiment processes: a sweep is created once, and an unusable store file is an environment error.</summary>
public sealed class StoreProcessTests : IDisposable
{
    private const int MaxTrials = 6;

    private readonly string _directory = Directory.CreateTempSubdirectory("tune-store-process-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Sweep_TwoStartedAtOnceOnSqlite_OneRunsItAndTheOtherExits2()
    {
        var path = Path.Combine(_directory, ".tune", "tune.db");
        await using var store = new SqliteSweepStore(path);

        for (var round = 0; round < 3; round++)
        {
            await AssertOneCreatesAsync(store, path, $"same-{round}");
        }
    }

    [Fact]
    public async Task Sweep_TwoStartedAtOnceOnPostgreSql_OneRunsItAndTheOtherExits2()
    {
        var connectionString = await PostgresTestServer.CreateSchemaAsync(Ct);
        try
        {
            await using var store = new PostgreSqlSweepStore(connectionString);

            for (var round = 0; round < 3; round++)
            {
                await AssertOneCreatesAsync(store, connectionString, $"same-{round}");
            }
        }
        finally
        {
            await PostgresTestServer.DropSchemaAsync(connectionString);
        }
    }

    [Theory]
    [InlineData("damaged", "is damaged (SQLite: database disk image is malformed). Restore it from a backup, or pass another --store.")]
    [InlineData("truncated", "is damaged (SQLite: database disk image is malformed). Restore it from a backup, or pass another --store.")]
    [InlineData("random", "is not a Tune.Pipeline sweep store (it is not an SQLite database). Pass another --store, or move the file away.")]
    [InlineData("text", "is not a Tune.Pipeline sweep store (it is not an SQLite database). Pass another --store, or move the file away.")]
    [InlineData("foreign", "is not a Tune.Pipeline sweep store (it holds other tables). Pass another --store, or move the file away.")]
    public async Task Sweep_UnusableStoreFile_Exits3WithOneLineAndLeavesTheFileAsItWas(string kind, string expected)
    {
        var path = await UnusableStoreFiles.WriteAsync(_directory, kind, Ct);
        var before = UnusableStoreFiles.Sha256(path);

        var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--store", path, "--sweep", "s", "--max-trials", "2", "--no-publish");

        Assert.True(exitCode == 3, error);
        Assert.Equal($"The sweep store '{path}' {expected}", error.Trim());
        Assert.Equal(before, UnusableStoreFiles.Sha256(path));
        Assert.Equal([path], Directory.GetFiles(_directory, Path.GetFileName(path) + "*"));
    }

    [Theory]
    [InlineData("status")]
    [InlineData("agent")]
    [InlineData("retrain")]
    public async Task Verb_DamagedStoreFile_Exits3WithOneLineAndLeavesTheFileAsItWas(string verb)
    {
        var path = await UnusableStoreFiles.WriteAsync(_directory, "damaged", Ct);
        var before = UnusableStoreFiles.Sha256(path);

        var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, null, verb, "--store", path, "--sweep", "s");

        Assert.True(exitCode == 3, error);
        Assert.Equal($"The sweep store '{path}' is damaged (SQLite: database disk image is malformed). Restore it from a backup, or pass another --store.", error.Trim());
        Assert.Equal(before, UnusableStoreFiles.Sha256(path));
    }

    [Fact]
    public async Task Sweep_PostgreSqlUrlWithAnUnescapedAt_Exits2SayingToEncodeItWithoutThePassword()
    {
        var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, null,
            "sweep", "--store", "postgresql://tuner:s3cr@t-pw@127.0.0.1:5432/tune", "--sweep", "s", "--no-publish");

        Assert.True(exitCode == 2, error);
        Assert.Contains("%40", error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_PostgreSqlUnreachable_Exits3NamingTheStoreWithoutThePassword()
    {
        var listener = System.Net.Sockets.TcpListener.Create(0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, null, "status", "--store", $"postgresql://tuner:s3cret-pw@127.0.0.1:{port}/tune?Timeout=2", "--sweep", "s");

        Assert.True(exitCode == 3, error);
        Assert.Contains($"postgresql://127.0.0.1:{port}/tune", error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_SqliteFolderCannotBeCreated_Exits3NamingTheStore()
    {
        var file = Path.Combine(_directory, "a-file");
        await File.WriteAllTextAsync(file, "not a folder", Ct);

        var (exitCode, _, error) = await ExperimentProcess.RunAsync(_directory, null, "sweep", "--store", Path.Combine(file, "tune.db"), "--sweep", "s", "--no-publish");

        Assert.True(exitCode == 3, error);
        Assert.StartsWith($"The sweep store '{Path.Combine(file, "tune.db")}' cannot be used", error, StringComparison.Ordinal);
    }

    private async Task AssertOneCreatesAsync(SqlSweepStore store, string storeArgument, string sweep)
    {
        string[] arguments = ["sweep", "--store", storeArgument, "--sweep", sweep, "--max-trials", MaxTrials.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-publish"];
        using var first = ExperimentProcess.Start(_directory, null, arguments);
        using var second = ExperimentProcess.Start(_directory, null, arguments);

        int[] exitCodes = [await first.WaitAsync(TimeSpan.FromSeconds(120)), await second.WaitAsync(TimeSpan.FromSeconds(120))];
        var rows = await StoreProbe.TrialsAsync(store, sweep, Ct);

        var errors = $"first: {first.Error}{Environment.NewLine}second: {second.Error}";
        Assert.True(exitCodes.Order().SequenceEqual([0, 2]), $"exit codes {exitCodes[0]} and {exitCodes[1]}; {errors}");
        var loser = exitCodes[0] == 2 ? first : second;
        Assert.Contains($"Sweep '{sweep}' already exists in ", loser.Error, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(0, MaxTrials), rows.Select(r => r.Number));
        Assert.All(rows, r => Assert.Equal("Completed", r.State));
    }
}
