using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Tune.Pipeline.Stores;
using Tune.Pipeline.Stores.PostgreSql;
using Tune.Pipeline.Stores.Sqlite;

namespace Tune.Pipeline.Benchmarks;

/// <summary>
/// Measures trials per second through each sweep store with 1, 2, 4 and 8 agent processes (trivial objective), and the
/// parallel efficiency of 2 agents on a CPU-bound 20 ms objective (a busy loop). Runs the test experiment's real
/// executable: one controller process and its agent child processes. PostgreSQL is measured when TUNE_TEST_POSTGRES
/// (or --postgres) names a server. For scale: Optuna 3.1 on SQLite does 35 trials/s in one process, and two processes
/// on a 20 ms objective reach 32 trials/s of an ideal 98.
/// </summary>
/// <remarks>
/// With <c>--launcher slurm</c> (TUNE_TEST_SLURM naming the cluster's slurm.conf, build/slurm-cluster.sh), only
/// PostgreSQL is measured, its agents running as the array tasks of a Slurm job on the cluster's nodes; the peak of
/// the server's connections during each run is shown, which is what the pool sizing is read against.
/// Throughput is measured in the store, from the first trial's start to the last trial's end, so it leaves out the
/// processes' start-up; the wall time of the whole command, start-up included, is shown beside it.
/// </remarks>
internal static class StoresBenchmark
{
    private static string s_launcher = "local";

    public static async Task<int> RunAsync(string[] args)
    {
        var postgres = args.SkipWhile(a => a != "--postgres").Skip(1).FirstOrDefault() ?? Environment.GetEnvironmentVariable("TUNE_TEST_POSTGRES");
        s_launcher = args.SkipWhile(a => a != "--launcher").Skip(1).FirstOrDefault() ?? "local";
        if (s_launcher == "slurm" && (string.IsNullOrEmpty(postgres) || Environment.GetEnvironmentVariable("TUNE_TEST_SLURM") is not { Length: > 0 }))
        {
            Console.Error.WriteLine("stores --launcher slurm needs TUNE_TEST_POSTGRES (or --postgres) and TUNE_TEST_SLURM (the slurm.conf build/slurm-cluster.sh start prints).");
            return 2;
        }

        var trivialTrials = 600;
        var busyTrials = 200;
        Console.WriteLine($"stores: {Environment.ProcessorCount} logical cores; experiment {Experiment}; agents launched by {s_launcher}");
        Console.WriteLine($"{"store",-11} {"agents",6} {"objective",10} {"trials",7} {"trials/s",9} {"ideal/s",8} {"efficiency",10} {"wall s",7} {"peak conns",10}");
        var stores = new List<(string Name, Func<Task<(string Argument, Func<SqlSweepStore> Open, Func<Task> Drop)>> Create)>();
        if (s_launcher != "slurm")
        {
            stores.Add(("sqlite", CreateSqliteAsync));
        }

        if (!string.IsNullOrEmpty(postgres))
        {
            stores.Add(("postgresql", () => CreatePostgresAsync(postgres)));
        }

        MeasureCpuCeiling(busyTrials);
        foreach (var (name, create) in stores)
        {
            await MeasureInProcessAsync(name, create, trivialTrials);
            foreach (var agents in new[] { 1, 2, 4, 8 })
            {
                if (!await MeasureAsync(name, create, agents, trivialTrials, 0))
                {
                    return 1;
                }
            }

            foreach (var agents in new[] { 1, 2 })
            {
                if (!await MeasureAsync(name, create, agents, busyTrials, 20))
                {
                    return 1;
                }
            }
        }

        return 0;
    }

    private static string Experiment
    {
        get
        {
            var ours = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            return Path.Combine(ours.Parent!.Parent!.FullName, "Tune.Pipeline.Hosting.TestExperiment", ours.Name, "Tune.Pipeline.Hosting.TestExperiment.dll");
        }
    }

    // What this machine gives two threads right now: the same 20 ms busy loops with no store, no processes. On a
    // shared machine this, not 100 trials/s, is the ceiling the 2-agent efficiency should be read against.
    private static void MeasureCpuCeiling(int trials)
    {
        var watch = Stopwatch.StartNew();
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, _ =>
        {
            for (var i = 0; i < trials / 2; i++)
            {
                var spin = Stopwatch.StartNew();
                var x = 0.0;
                while (spin.ElapsedMilliseconds < 20)
                {
                    for (var j = 0; j < 1000; j++)
                    {
                        x += Math.Sqrt(j + x);
                    }
                }

                GC.KeepAlive(x);
            }
        });
        var perSecond = trials / watch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"no store",-11} {"2 thr",6} {"20 ms busy",10} {trials,7} {perSecond,9:F0} {100,8} {perSecond / 100,10:P0} {watch.Elapsed.TotalSeconds,7:F1}"));
    }

    // The controller's own cost through the store: an agent in its process, no queue, no child processes.
    private static async Task MeasureInProcessAsync(string storeName, Func<Task<(string Argument, Func<SqlSweepStore> Open, Func<Task> Drop)>> create, int trials)
    {
        var (_, open, drop) = await create();
        try
        {
            await using var store = open();
            var sweep = new Tune.Pipeline.Sweeps.SweepBuilder("bench").UseSampler(new Tune.Pipeline.Samplers.RandomSamplerOptions()).UseStore(store).Configure(o => o.MaxTrials = trials)
                .Build(new Tune.Pipeline.SearchSpaces.SearchSpace([Tune.Pipeline.SearchSpaces.Parameter.Uniform("X", 0, 1)]));
            var watch = Stopwatch.StartNew();
            await sweep.RunAsync(new Tune.Pipeline.Sweeps.InProcessTrialAgent((c, _) => c.GetDouble("X")));
            watch.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{storeName,-11} {"in-proc",6} {"trivial",10} {trials,7} {trials / watch.Elapsed.TotalSeconds,9:F0} {"",8} {"",10} {watch.Elapsed.TotalSeconds,7:F1}"));
        }
        finally
        {
            await drop();
        }
    }

    private static async Task<bool> MeasureAsync(
        string storeName, Func<Task<(string Argument, Func<SqlSweepStore> Open, Func<Task> Drop)>> create, int agents, int trials, int trialMilliseconds)
    {
        var (argument, open, drop) = await create();
        try
        {
            var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { Experiment, "sweep", "--store", argument, "--sweep", "bench", "--agents", agents.ToString(CultureInfo.InvariantCulture),
                "--max-trials", trials.ToString(CultureInfo.InvariantCulture), "--threads-per-trial", "1", "--max-retries", "0",

                // The stores are measured, not a model-based sampler's suggestions or the retrain after the sweep.
                "--sampler", "random", "--no-publish" })
            {
                info.ArgumentList.Add(a);
            }

            info.Environment["TUNE_TEST_TRIAL_MS"] = trialMilliseconds.ToString(CultureInfo.InvariantCulture);
            if (s_launcher == "slurm")
            {
                info.ArgumentList.Add("--launcher");
                info.ArgumentList.Add("slurm");
                info.Environment["SLURM_CONF"] = Environment.GetEnvironmentVariable("TUNE_TEST_SLURM");
                info.Environment["TUNE_HOME"] = Path.GetTempPath();
            }

            var wall = Stopwatch.StartNew();
            using var process = Process.Start(info)!;
            var error = process.StandardError.ReadToEndAsync();
            using var watching = new CancellationTokenSource();
            var peak = storeName == "postgresql" ? PeakConnectionsAsync(argument, watching.Token) : Task.FromResult(0);
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            wall.Stop();
            await watching.CancelAsync();
            var peakConnections = await peak;
            if (process.ExitCode != 0)
            {
                Console.Error.WriteLine($"stores: the sweep exited with {process.ExitCode}: {await error}");
                return false;
            }

            await using var store = open();
            var recorded = await store.RunAsync(async (c, t, ct) =>
            {
                await using var command = SqlSweepStore.Command(c, t,
                    "SELECT COUNT(*), MIN(started_at), MAX(ended_at) FROM trials WHERE sweep = 'bench' AND state = 'Completed'");
                await using var reader = await command.ExecuteReaderAsync(ct);
                await reader.ReadAsync(ct);
                return (Count: SqlSweepStore.Int64(reader.GetValue(0)), Start: SqlSweepStore.Int64(reader.GetValue(1)), End: SqlSweepStore.Int64(reader.GetValue(2)));
            }, transaction: false, CancellationToken.None);
            if (recorded.Count != trials)
            {
                Console.Error.WriteLine($"stores: expected {trials} completed trials, the store has {recorded.Count}");
                return false;
            }

            var perSecond = recorded.Count / ((recorded.End - recorded.Start) / 1000.0);
            var ideal = trialMilliseconds > 0 ? agents * 1000.0 / trialMilliseconds : double.NaN;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{storeName,-11} {agents,6} {(trialMilliseconds > 0 ? $"{trialMilliseconds} ms busy" : "trivial"),10} {trials,7} {perSecond,9:F0} {(double.IsNaN(ideal) ? "" : ideal.ToString("F0", CultureInfo.InvariantCulture)),8} {(double.IsNaN(ideal) ? "" : (perSecond / ideal).ToString("P0", CultureInfo.InvariantCulture)),10} {wall.Elapsed.TotalSeconds,7:F1} {(peakConnections > 0 ? peakConnections.ToString(CultureInfo.InvariantCulture) : ""),10}"));
            return true;
        }
        finally
        {
            await drop();
        }
    }

    // The most connections the server had open to the benchmark's database at once while the sweep ran (every process's pool).
    private static async Task<int> PeakConnectionsAsync(string connectionString, CancellationToken cancellationToken)
    {
        var peak = 0;
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
        while (!cancellationToken.IsCancellationRequested)
        {
            peak = Math.Max(peak, (int)(long)(await command.ExecuteScalarAsync(CancellationToken.None))!);
            try
            {
                await Task.Delay(50, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return peak;
    }

    private static Task<(string, Func<SqlSweepStore>, Func<Task>)> CreateSqliteAsync()
    {
        var directory = Directory.CreateTempSubdirectory("tune-bench-").FullName;
        var path = Path.Combine(directory, "tune.db");
        return Task.FromResult<(string, Func<SqlSweepStore>, Func<Task>)>((path, () => new SqliteSweepStore(path), () =>
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
            return Task.CompletedTask;
        }));
    }

    private static async Task<(string, Func<SqlSweepStore>, Func<Task>)> CreatePostgresAsync(string connectionString)
    {
        var schema = $"bench_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var scoped = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema }.ConnectionString;
        return (scoped, () => new PostgreSqlSweepStore(scoped), async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP SCHEMA {schema} CASCADE", connection);
            await command.ExecuteNonQueryAsync();
        });
    }
}
