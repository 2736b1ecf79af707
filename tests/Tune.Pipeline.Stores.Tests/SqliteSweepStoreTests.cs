using Tune.Pipeline.Stores.Sqlite;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Stores.Tests;

public sealed class SqliteSweepStoreTests : SweepStoreContractTests
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tune-sqlite-").FullName;

    [Fact]
    public async Task OpenSweepAsync_NewFile_CreatesItInWalMode()
    {
        await using var store = new SqliteSweepStore(Path.Combine(_directory, "nested", "tune.db"));

        await store.OpenSweepAsync(Build("wal"), Ct);
        var mode = await store.RunAsync(async (c, t, ct) =>
        {
            await using var command = SqlSweepStore.Command(c, t, "PRAGMA journal_mode");
            return (string)(await command.ExecuteScalarAsync(ct))!;
        }, transaction: false, Ct);

        Assert.Equal("wal", mode);
    }

    [Fact]
    public async Task OpenSweepAsync_UnwritablePath_ThrowsStoreUnavailableNamingThePath()
    {
        var file = Path.Combine(_directory, "file");
        await File.WriteAllTextAsync(file, "not a folder", Ct);
        await using var store = new SqliteSweepStore(Path.Combine(file, "tune.db"));

        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await store.OpenSweepAsync(Build("x"), Ct));

        Assert.IsType<StoreUnavailableException>(error);
        Assert.Contains(file, error.Message, StringComparison.Ordinal);
    }

    protected override Task<SqlSweepStore> CreateStoreAsync() =>
        Task.FromResult<SqlSweepStore>(new SqliteSweepStore(Path.Combine(_directory, "tune.db")));

    protected override ValueTask DisposeDatabaseAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
