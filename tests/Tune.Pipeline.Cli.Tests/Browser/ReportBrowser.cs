using PuppeteerSharp;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Stopping;
using Tune.Pipeline.Stores.Sqlite;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Cli.Tests.Browser;

/// <summary>
/// A real sweep (sampler, median stopping, SQLite store) of <see cref="StepsExperiment"/>, its report written by
/// <c>tune report</c>, and the system Chromium, launched once for the tests of a class. Chromium is Debian's
/// <c>chromium</c> (or <c>TUNE_TEST_CHROMIUM</c>); PuppeteerSharp drives it by its path and downloads nothing.
/// </summary>
public sealed class ReportBrowser : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tune-browser-").FullName;

    /// <summary>Gets the browser, or null where none is installed (see <see cref="SkipUnlessBrowser"/>).</summary>
    public IBrowser? Browser { get; private set; }

    /// <summary>Gets the SQLite store the sweep wrote.</summary>
    public string StorePath => Path.Combine(_directory, "tune.db");

    /// <summary>Gets the written report.</summary>
    public string ReportPath => Path.Combine(_directory, "report.html");

    /// <summary>Gets the number of trials the sweep ran.</summary>
    public const int Trials = 24;

    /// <summary>Gets where screenshots go: artifacts/test-results/browser in the repository, which .ci/run keeps.</summary>
    public static string ScreenshotDirectory =>
        Directory.CreateDirectory(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "artifacts", "test-results", "browser"))).FullName;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = StorePath;
        await using (var sqlite = new SqliteSweepStore(store))
        {
            var sweep = new SweepBuilder("browser")
                .UseStore(sqlite)
                .UseEarlyStopping(new MedianStoppingPolicyOptions { EvaluationInterval = 1, DelayEvaluation = 2 })
                .Configure(o =>
                {
                    o.Goal = Goal.Maximize;
                    o.Seed = 5;
                    o.MaxTrials = Trials;
                })
                .Build(StepsExperimentSearchSpace.Instance);
            await sweep.RunAsync(new StepsExperiment(), ct);
        }

        var (code, _, error) = await Tune.RunAsync("report", "browser", "--store", store, "--output", ReportPath);
        Assert.True(code == 0, error);
        if (FindChromium() is { } chromium)
        {
            Browser = await Puppeteer.LaunchAsync(new LaunchOptions
            {
                ExecutablePath = chromium,
                Headless = true,

                // Root in a container has no user namespace for Chromium's sandbox.
                Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            });
        }
    }

    /// <summary>Skips a test where no browser is installed; on CI (CI=true) a missing browser fails instead.</summary>
    public IBrowser SkipUnlessBrowser()
    {
        if (Browser is null)
        {
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), "No Chromium: .ci/run installs Debian's chromium; set TUNE_TEST_CHROMIUM to another.");
            Assert.Skip("No Chromium on this machine (apt-get install chromium, or set TUNE_TEST_CHROMIUM).");
        }

        return Browser;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
            Browser.Dispose();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private static string? FindChromium()
    {
        if (Environment.GetEnvironmentVariable("TUNE_TEST_CHROMIUM") is { Length: > 0 } configured)
        {
            return configured;
        }

        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return new[] { "chromium", "chromium-browser", "google-chrome" }.SelectMany(name => path.Select(folder => Path.Combine(folder, name))).FirstOrDefault(File.Exists);
    }
}
