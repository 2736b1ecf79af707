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

    [Theory]
    [InlineData("damaged", "is damaged (SQLite: ")]
    [InlineData("truncated", "is damaged (SQLite: ")]
    [InlineData("header-only", "is not a Tune.Pipeline sweep store (it is not an SQLite database)")]
    [InlineData("random", "is not a Tune.Pipeline sweep store (it is not an SQLite database)")]
    [InlineData("text", "is not a Tune.Pipeline sweep store (it is not an SQLite database)")]
    [InlineData("foreign", "is not a Tune.Pipeline sweep store (it holds other tables)")]
    public async Task OpenSweepAsync_UnusableFile_ThrowsStoreUnavailableAndLeavesTheFileAsItWas(string kind, string expected)
    {
        var path = await UnusableStoreFiles.WriteAsync(_directory, kind, Ct);
        var before = UnusableStoreFiles.Sha256(path);
        await using var store = new SqliteSweepStore(path);

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(async () => await store.OpenSweepAsync(Build("x"), Ct));

        Assert.Contains($"The sweep store '{path}' {expected}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(before, UnusableStoreFiles.Sha256(path));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*"));
    }

    [Fact]
    public async Task GetSweepStatusAsync_DamagedFile_ThrowsStoreUnavailableSayingWhatToDo()
    {
        var path = await UnusableStoreFiles.WriteAsync(_directory, "damaged", Ct);
        await using var store = new SqliteSweepStore(path);

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(async () => await store.GetSweepStatusAsync("x", Ct));

        Assert.EndsWith("Restore it from a backup, or pass another --store.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenSweepAsync_EmptyFile_IsANewStore()
    {
        var path = Path.Combine(_directory, "empty.db");
        await File.WriteAllBytesAsync(path, [], Ct);
        await using var store = new SqliteSweepStore(path);

        var trials = await store.OpenSweepAsync(Build("fresh"), Ct);

        Assert.Empty(trials);
    }

    [Fact]
    public async Task OpenSweepAsync_ClosedStore_ReopensWithoutLeavingCheckFiles()
    {
        var path = Path.Combine(_directory, "closed.db");
        await using (var first = new SqliteSweepStore(path))
        {
            await first.OpenSweepAsync(Build("kept"), Ct);
        }

        await using var second = new SqliteSweepStore(path);
        var status = await second.GetSweepStatusAsync("kept", Ct);

        Assert.Equal("kept", status!.Name);
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
