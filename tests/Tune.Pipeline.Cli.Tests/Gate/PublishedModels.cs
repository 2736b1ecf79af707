using System.Reflection;

namespace Tune.Pipeline.Cli.Tests.Gate;

/// <summary>
/// Real published folders from real sweeps of the test experiment (its objective is (x − 0.3)², minimized), made once
/// for the gate's tests: a good model, a near one (a shorter sweep, slightly worse) and a deliberately degraded one (a
/// single trial).
/// </summary>
public sealed class PublishedModels : IAsyncLifetime
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("tune-gate-").FullName;

    public string Good => Path.Combine(Directory, "good", "QuadraticExperiment");

    public string Near => Path.Combine(Directory, "near", "QuadraticExperiment");

    public string Degraded => Path.Combine(Directory, "degraded", "QuadraticExperiment");

    public static string ExperimentProject => Path.Combine(RepositoryRoot, "tests", "Tune.Pipeline.Hosting.TestExperiment");

    // As spelt in the build, so that `--no-build -c` finds the executable this test project's build made.
    public static string Configuration => typeof(PublishedModels).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

    private static string RepositoryRoot => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", ".."));

    private static string Executable
    {
        get
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
            return Path.Combine(RepositoryRoot, "artifacts", "bin", "Tune.Pipeline.Hosting.TestExperiment", folder, "Tune.Pipeline.Hosting.TestExperiment.dll");
        }
    }

    public async ValueTask InitializeAsync()
    {
        await SweepAsync("good", seed: 1, trials: 12);
        await SweepAsync("near", seed: 1, trials: 4);
        await SweepAsync("degraded", seed: 5, trials: 1);
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    private async Task SweepAsync(string name, int seed, int trials)
    {
        var (code, output, error) = await TuneChildProcess.RunDotnetAsync(
            Directory,
            [
                Executable, "sweep", "--store", "tune.db", "--sweep", name, "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--max-trials", trials.ToString(System.Globalization.CultureInfo.InvariantCulture), "--agents", "1", "--artifacts", name,
            ],
            environment: null,
            removed: null,
            CancellationToken.None);
        if (code != 0)
        {
            throw new InvalidOperationException($"The {name} sweep exited with {code}: {output} {error}");
        }
    }
}
