using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Stores.Sqlite;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Stores.Tests;

/// <summary>Files a SQLite store must refuse without changing them; shared with the hosting tests, which run them through real processes.</summary>
public static class UnusableStoreFiles
{
    /// <summary>Writes a file of the given kind: a real store "damaged" in its middle, "truncated" to half or "header-only", or "random" bytes, "text", or a "foreign" SQLite database.</summary>
    public static async Task<string> WriteAsync(string directory, string kind, CancellationToken ct)
    {
        var path = Path.Combine(directory, kind + ".db");
        if (kind is "text")
        {
            await File.WriteAllTextAsync(path, "name,auc\nfirst,0.9\n", ct);
            return path;
        }

        if (kind is "random")
        {
            var bytes = new byte[16384];
            new Random(11).NextBytes(bytes);
            await File.WriteAllBytesAsync(path, bytes, ct);
            return path;
        }

        if (kind is "foreign")
        {
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Ada')";
            await command.ExecuteNonQueryAsync(ct);
            return path;
        }

        await using (var store = new SqliteSweepStore(path))
        {
            await store.OpenSweepAsync(new SweepBuilder("filled").Build(new SearchSpace([Parameter.Uniform("x", 0, 1)])), ct);

            // Enough rows for many pages, so that the middle of the file is table data.
            await store.RunAsync((c, t, ct) => SqlSweepStore.ExecuteAsync(c, t, ct,
                "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 4000) INSERT INTO steps (sweep, number, step, value) SELECT 'filled', 0, i, i FROM n"),
                transaction: true, ct);
        }

        var content = await File.ReadAllBytesAsync(path, ct);
        var middle = content.Length / 2 / 4096 * 4096;
        var damaged = kind switch
        {
            "damaged" => [.. content[..middle], .. Enumerable.Repeat((byte)0xA5, 4096), .. content[(middle + 4096)..]],
            "truncated" => content[..middle],
            "header-only" => content[..60],
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown kind of file."),
        };
        await File.WriteAllBytesAsync(path, damaged, ct);
        return path;
    }

    public static string Sha256(string path) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));
}
