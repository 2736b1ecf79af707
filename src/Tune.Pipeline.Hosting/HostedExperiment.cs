using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Stores;

namespace Tune.Pipeline.Hosting;

/// <summary>
/// Represents the experiment an executable hosts, as every verb sees it: its typed space, its identity (from the
/// generated space, options only overriding), its home folder, the host's options and where output goes.
/// </summary>
/// <typeparam name="TExperiment">The experiment.</typeparam>
/// <typeparam name="TParameters">The experiment's parameters type.</typeparam>
internal sealed class HostedExperiment<TExperiment, TParameters>
    where TExperiment : IExperiment<TParameters>, new()
    where TParameters : class
{
    public HostedExperiment(SearchSpace<TParameters> space, ExperimentHostOptions options, SweepHome home, TextWriter output, TextWriter error)
    {
        Space = space;
        Options = options;
        Home = home;
        Output = output;
        Error = error;
        Identity = ResolveIdentity(space, options);
    }

    public SearchSpace<TParameters> Space { get; }

    public ExperimentIdentity Identity { get; }

    public ExperimentHostOptions Options { get; }

    public SweepHome Home { get; }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    public TimeProvider Time => Options.TimeProvider;

    /// <summary>Gets the store a <c>--store</c> names, or the home's default store when it is not given.</summary>
    public string StoreOrDefault(string? store) => store ?? Home.DefaultStore;

    /// <summary>
    /// Releases an experiment instance a verb created, when its type is disposable: one that holds an accelerator or
    /// native handles (DigitsGpu's ILGPU context) frees them when the verb is done with it, not at process exit.
    /// </summary>
    /// <param name="experiment">The instance.</param>
    /// <returns>A task that completes when it is released.</returns>
    public static async ValueTask ReleaseAsync(TExperiment experiment)
    {
        switch (experiment)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    /// <summary>Opens a store, turning unreadable <c>--store</c> text into a usage error.</summary>
    /// <param name="store">The <c>--store</c> text.</param>
    /// <param name="maxConnections">The most connections this process needs at once (an agent's); no cap when <see langword="null"/>.</param>
    public SqlSweepStore OpenStore(string store, int? maxConnections = null)
    {
        try
        {
            return SweepStores.Open(store, Time, maxConnections);
        }
        catch (ArgumentException exception)
        {
            throw new UsageException(exception.Message);
        }
    }

    /// <summary>
    /// Opens a store for a verb that only reads a sweep (<c>status</c>, <c>retrain</c>): a SQLite file that does not
    /// exist is not created, because a read of a mistyped path must not leave an empty store behind.
    /// </summary>
    public SqlSweepStore OpenExistingStore(string store, string sweepName)
    {
        if (SweepStores.SqliteFile(store) is { } file && !File.Exists(file))
        {
            throw new UsageException(
                $"There is no sweep store at '{Path.GetFullPath(file)}'. {Home.PointTo(sweepName, store, Environment.CurrentDirectory) ?? "Pass --store with the file a sweep wrote, or run a sweep first."}");
        }

        return OpenStore(store);
    }

    /// <summary>
    /// Reads a sweep's status, or explains that the store has none by that name, naming the nearby stores that do.
    /// </summary>
    public async Task<SweepStatus> GetSweepAsync(SqlSweepStore store, string storeText, string sweepName, string fix, CancellationToken cancellationToken)
    {
        if (await store.GetSweepStatusAsync(sweepName, cancellationToken).ConfigureAwait(false) is { } status)
        {
            return status;
        }

        throw new UsageException($"Sweep '{sweepName}' does not exist in {store.DisplayName}. {Home.PointTo(sweepName, storeText, Environment.CurrentDirectory) ?? fix}");
    }

    /// <summary>
    /// Gets the complete command that continues a sweep from the command line: the experiment as <c>dotnet tune</c>
    /// finds it, the sweep, and the store when it is not the home's default. The rest is read back from the store.
    /// </summary>
    public string ResumeCommand(string sweepName, string store)
    {
        var experiments = Path.Combine(Home.Directory, "experiments") + Path.DirectorySeparatorChar;
        var experiment = Home.ProjectDirectory switch
        {
            { } project when project.StartsWith(experiments, StringComparison.Ordinal) => $"dotnet tune sweep {Identity.Name}",
            { } project => $"dotnet tune sweep {Quote(Path.GetRelativePath(Environment.CurrentDirectory, project))}",

            // Copied away from its project (another machine, say): this executable itself.
            null => $"dotnet {Quote(typeof(TExperiment).Assembly.Location)} sweep",
        };
        var storeFile = SweepStores.SqliteFile(store) is { } file ? Path.GetFullPath(file) : null;
        var storePart = storeFile is not null && string.Equals(storeFile, Home.DefaultStore, StringComparison.Ordinal)
            ? string.Empty
            : $" --store {(storeFile is not null ? Quote(storeFile) : RedactedUrl(store))}";
        return $"{experiment} --sweep {Quote(sweepName)} --resume{storePart}";
    }

    private static string Quote(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_' or ':' or '@' or '\\')
            ? text
            : $"'{text.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    // A password in a store URL is never printed; the user types the same URL again.
    private static string RedactedUrl(string store) =>
        Uri.TryCreate(store, UriKind.Absolute, out var uri) && !uri.UserInfo.Contains(':', StringComparison.Ordinal) ? Quote(store) : "<the same --store>";

    // The generated space carries the experiment's name, objective and goal; the host options only override them.
    private static ExperimentIdentity ResolveIdentity(SearchSpace<TParameters> space, ExperimentHostOptions options)
    {
        if (space.Experiment is { } declared)
        {
            return new ExperimentIdentity(
                options.ExperimentName ?? declared.Name, options.ObjectiveMetric ?? declared.ObjectiveMetric, options.Goal ?? declared.Goal);
        }

        if (options.ExperimentName is { } name && options.ObjectiveMetric is { } metric && options.Goal is { } goal)
        {
            return new ExperimentIdentity(name, metric, goal);
        }

        throw new InvalidOperationException(
            $"The search space of {typeof(TExperiment).Name} carries no experiment identity. Mark the experiment with [Experiment] and [Objective] so that the generator emits it, or set ExperimentHostOptions.ExperimentName, ObjectiveMetric and Goal.");
    }
}
