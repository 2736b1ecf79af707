using System.CommandLine;
using Tune.Pipeline.Hosting;
using Tune.Pipeline.Stores;
using Tune.Pipeline.Stores.Sqlite;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Cli.Sweeps;

/// <summary>Opens the store that <c>--store</c> names for the read-only verbs, and turns their failures into exit codes.</summary>
internal static class StoreAccess
{
    /// <summary>Gets the sweep home of the current folder: where the default store lives (docs/stores-and-agents.md).</summary>
    public static SweepHome Home => SweepHome.ForDirectory(Environment.CurrentDirectory, Environment.GetEnvironmentVariable);

    /// <summary>Creates the <c>--store</c> option, defaulting to the embedded store of the sweep home.</summary>
    /// <returns>The option.</returns>
    public static Option<string> CreateOption() => new("--store")
    {
        Description = "The sweep store: a SQLite file path (or sqlite:PATH), or postgresql://user@host:port/database (default: .tune/tune.db in the sweep home, the repository or solution root above the current folder).",
        DefaultValueFactory = _ => Home.DefaultStore,
    };

    /// <summary>Gets whether the store exists: a server store is assumed to; a SQLite store is its file.</summary>
    /// <param name="store">The <c>--store</c> value.</param>
    /// <returns><see langword="true"/> when there is something to open.</returns>
    public static bool Exists(string store) => SweepStores.SqliteFile(store) is not { } file || File.Exists(Path.GetFullPath(file));

    /// <summary>
    /// Opens an existing store; a SQLite file that does not exist is not created, because a read of a mistyped path
    /// must not leave an empty store behind.
    /// </summary>
    /// <param name="store">The <c>--store</c> value.</param>
    /// <returns>The open store.</returns>
    /// <exception cref="UsageException">The SQLite file does not exist.</exception>
    public static SqlSweepStore Open(string store)
    {
        if (!Exists(store))
        {
            throw new UsageException($"There is no sweep store at '{Path.GetFullPath(SweepStores.SqliteFile(store)!)}'. Pass --store with the file a sweep wrote (by default a sweep writes .tune/tune.db in its sweep home: the repository or solution root above the experiment), or run a sweep first.");
        }

        try
        {
            return SweepStores.Open(store);
        }
        catch (ArgumentException exception)
        {
            throw new UsageException(exception.Message);
        }
    }

    /// <summary>Creates the <c>&lt;sweep&gt;</c> argument of the verbs that read one sweep.</summary>
    /// <returns>The argument.</returns>
    public static Argument<string> CreateSweepArgument() => new("sweep") { Description = "The sweep's name (`tune list` shows them)." };

    /// <summary>Opens the store, reads the sweep and its trials as stored, and hands them to <paramref name="body"/>.</summary>
    /// <param name="storeText">The <c>--store</c> value.</param>
    /// <param name="sweepName">The sweep's name.</param>
    /// <param name="body">The verb, given the open store, the sweep and its trials ordered by number.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The body's exit code.</returns>
    /// <exception cref="UsageException">The store file or the sweep does not exist.</exception>
    public static async Task<int> ReadSweepAsync(
        string storeText, string sweepName, Func<SqlSweepStore, SweepStatus, IReadOnlyList<StoredTrial>, Task<int>> body, CancellationToken cancellationToken)
    {
        var store = Open(storeText);
        await using (store.ConfigureAwait(false))
        {
            var sweep = await GetSweepAsync(store, sweepName, cancellationToken).ConfigureAwait(false);
            var trials = await store.GetStoredTrialsAsync(sweep.Name, cancellationToken).ConfigureAwait(false);
            return await body(store, sweep, trials).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a sweep, or explains that the store has none by that name.</summary>
    /// <param name="store">The open store.</param>
    /// <param name="sweepName">The sweep's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The sweep.</returns>
    /// <exception cref="UsageException">The store has no such sweep; the message names the store and the nearest sweep name.</exception>
    public static async Task<SweepStatus> GetSweepAsync(SqlSweepStore store, string sweepName, CancellationToken cancellationToken)
    {
        if (await store.GetSweepStatusAsync(sweepName, cancellationToken).ConfigureAwait(false) is { } sweep)
        {
            return sweep;
        }

        var elsewhere = store is SqliteSweepStore sqlite ? Home.PointTo(sweepName, sqlite.Path, Environment.CurrentDirectory) : null;
        var names = (await store.ListSweepsAsync(cancellationToken).ConfigureAwait(false)).Select(s => s.Name).ToList();
        var suggestion = NameSuggester.Suggest(sweepName, names);
        var hint = elsewhere is not null
            ? " " + elsewhere
            : suggestion is not null
            ? $" Did you mean '{suggestion}'?"
            : names.Count == 0 ? " It holds no sweep yet." : " `tune list` shows its sweeps.";
        throw new UsageException($"No sweep '{sweepName}' in the store {store.DisplayName}.{hint}");
    }

    /// <summary>Writes a verb's file (<c>--output</c>), turning a file that cannot be written into a usage error that names it.</summary>
    /// <param name="path">The full path.</param>
    /// <param name="what">What is written, for the message: <c>export</c>, <c>report</c>.</param>
    /// <param name="write">The write.</param>
    /// <returns>A task that completes when the file is written.</returns>
    /// <exception cref="UsageException">The file cannot be written.</exception>
    public static async Task WriteOutputAsync(string path, string what, Func<Task> write)
    {
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"Cannot write the {what} to '{path}': {exception.Message} Pass another --output.");
        }
    }

    /// <summary>Runs a verb's body, writing expected failures to standard error as one message with their exit code.</summary>
    /// <param name="error">Standard error.</param>
    /// <param name="body">The verb.</param>
    /// <returns>The body's exit code; 2 for a usage error, 3 for a store that cannot be used.</returns>
    public static async Task<int> RunAsync(TextWriter error, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (UsageException exception)
        {
            await error.WriteLineAsync(exception.Message).ConfigureAwait(false);
            return ExperimentHost.UsageError;
        }
        catch (StoreUnavailableException exception)
        {
            await error.WriteLineAsync(exception.Message).ConfigureAwait(false);
            return ExperimentHost.EnvironmentError;
        }
    }
}
