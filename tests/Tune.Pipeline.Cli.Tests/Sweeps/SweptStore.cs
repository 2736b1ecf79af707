using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Stores;
using Tune.Pipeline.Stores.Sqlite;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Cli.Tests.Sweeps;

/// <summary>
/// A SQLite store in a temp folder, filled by two real sweeps of <see cref="CsvTrapExperiment"/>: "alpha" (minimize,
/// 12 trials, some failing) and "beta" (maximize, 3 trials). Shared by the tests of one class.
/// </summary>
public sealed class SweptStore : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tune-cli-").FullName;

    public string Path => System.IO.Path.Combine(_directory, "tune.db");

    public static SearchSpace Space => CsvTrapSearchSpace.Instance;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = new SqliteSweepStore(Path);
        await SweepAsync(store, "alpha", Goal.Minimize, 12, ct);
        await SweepAsync(store, "beta", Goal.Maximize, 3, ct);
    }

    /// <summary>Reads a sweep's trials back through the store's typed API, as the experiment would.</summary>
    public async Task<IReadOnlyList<Trial>> TrialsAsync(string sweep)
    {
        await using var store = new SqliteSweepStore(Path);
        return await store.GetTrialsAsync(sweep, Space, TestContext.Current.CancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    private static async Task SweepAsync(SqliteSweepStore store, string name, Goal goal, int trials, CancellationToken ct)
    {
        var sweep = new SweepBuilder(name)
            .UseStore(store)
            .Configure(o =>
            {
                o.Goal = goal;
                o.Seed = 11;
                o.MaxTrials = trials;
            })
            .Build(CsvTrapSearchSpace.Instance);
        await sweep.RunAsync(new CsvTrapExperiment(), ct);
    }
}
