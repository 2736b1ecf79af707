using System.Reflection;
using Microsoft.Data.Sqlite;
using Tune.Pipeline.Stores.Sqlite;

namespace Tune.Pipeline.Hosting;

/// <summary>
/// Represents the folder a sweep's default files live in: the embedded store <c>.tune/tune.db</c> and the published
/// <c>artifacts/</c>. It never depends on the folder a command is run from, so that <c>dotnet run -- sweep</c> inside an
/// experiment's folder and <c>dotnet tune show</c> at the repository's root read and write the same store.
/// </summary>
/// <remarks>
/// The rule, in order: the folder <c>TUNE_HOME</c> names; else the nearest folder at or above the experiment's project
/// folder (recorded in the executable at build time) that holds <c>.git</c>, a <c>.sln</c> or a <c>.slnx</c>; else
/// the project folder itself. Where no project folder is known (the <c>tune</c> command, or an executable copied to
/// another machine), the same search starts at the current folder.
/// </remarks>
public sealed class SweepHome
{
    /// <summary>The environment variable that names the home folder explicitly.</summary>
    public const string Variable = "TUNE_HOME";

    /// <summary>The assembly metadata key under which the build records the experiment's project folder.</summary>
    public const string ProjectDirectoryMetadata = "TunePipelineProjectDirectory";

    private static readonly string[] SkippedFolders = ["bin", "obj", "node_modules", "artifacts", ".git"];

    private SweepHome(string directory, string? projectDirectory)
    {
        Directory = directory;
        ProjectDirectory = projectDirectory;
    }

    /// <summary>Gets the home folder's full path.</summary>
    public string Directory { get; }

    /// <summary>Gets the experiment's project folder as recorded at build time, when it exists on this machine.</summary>
    public string? ProjectDirectory { get; }

    /// <summary>Gets the default store's full path: <c>&lt;home&gt;/.tune/tune.db</c>.</summary>
    public string DefaultStore => Path.Combine(Directory, SqliteSweepStore.DefaultPath);

    /// <summary>Gets the default folder models are published under: <c>&lt;home&gt;/artifacts</c>.</summary>
    public string Artifacts => Path.Combine(Directory, "artifacts");

    /// <summary>Finds the home of an experiment's executable.</summary>
    /// <param name="experimentAssembly">The experiment's assembly, which may carry its project folder.</param>
    /// <param name="currentDirectory">The folder the command runs in.</param>
    /// <param name="environment">Reads environment variables.</param>
    /// <returns>The home.</returns>
    public static SweepHome ForExperiment(Assembly? experimentAssembly, string currentDirectory, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var project = experimentAssembly?.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == ProjectDirectoryMetadata)?.Value;
        return ForProject(project, currentDirectory, environment);
    }

    /// <summary>Finds the home of an experiment whose project folder is known (or not, when <see langword="null"/>).</summary>
    /// <param name="projectDirectory">The experiment's project folder as recorded at build time.</param>
    /// <param name="currentDirectory">The folder the command runs in.</param>
    /// <param name="environment">Reads environment variables.</param>
    /// <returns>The home.</returns>
    internal static SweepHome ForProject(string? projectDirectory, string currentDirectory, Func<string, string?> environment)
    {
        var known = projectDirectory is { Length: > 0 } && System.IO.Directory.Exists(projectDirectory) ? Path.GetFullPath(projectDirectory) : null;
        return Find(known ?? currentDirectory, known, environment);
    }

    /// <summary>Finds the home that a command run in <paramref name="currentDirectory"/> uses.</summary>
    /// <param name="currentDirectory">The folder the command runs in.</param>
    /// <param name="environment">Reads environment variables.</param>
    /// <returns>The home.</returns>
    public static SweepHome ForDirectory(string currentDirectory, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return Find(currentDirectory, null, environment);
    }

    /// <summary>
    /// Lists the SQLite stores near this home, other than <paramref name="searched"/>, that hold a sweep of that name:
    /// the home's and the current folder's default stores and any <c>.tune/tune.db</c> up to three folders below the home.
    /// </summary>
    /// <param name="sweepName">The sweep that was not found.</param>
    /// <param name="searched">The store already searched.</param>
    /// <param name="currentDirectory">The folder the command runs in.</param>
    /// <returns>The stores' full paths; empty when none holds it.</returns>
    /// <remarks>Each file is opened read-only and only read, so that a look never changes another store.</remarks>
    public IReadOnlyList<string> FindStoresHolding(string sweepName, string searched, string currentDirectory)
    {
        var searchedPath = Path.GetFullPath(searched);
        var candidates = new List<string> { DefaultStore, Path.GetFullPath(Path.Combine(currentDirectory, SqliteSweepStore.DefaultPath)) };
        candidates.AddRange(StoresBelow(Directory, depth: 3));
        return [.. candidates.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal)
            .Where(c => !string.Equals(c, searchedPath, StringComparison.Ordinal) && File.Exists(c) && Holds(c, sweepName))];
    }

    /// <summary>
    /// Says where else a sweep that is not in <paramref name="searched"/> can be found: the one sentence every verb and
    /// <c>tune</c> add to "not found", or <see langword="null"/> when no store nearby holds it (see <see cref="FindStoresHolding"/>).
    /// </summary>
    /// <param name="sweepName">The sweep that was not found.</param>
    /// <param name="searched">The <c>--store</c> text searched; a server store has no neighbours to name.</param>
    /// <param name="currentDirectory">The folder the command runs in.</param>
    /// <returns><c>Sweep 'NAME' is in PATH: pass --store PATH.</c>, or <see langword="null"/>.</returns>
    public string? PointTo(string sweepName, string searched, string currentDirectory)
    {
        var elsewhere = SweepStores.SqliteFile(searched) is { } file ? FindStoresHolding(sweepName, file, currentDirectory) : [];
        return elsewhere.Count > 0 ? $"Sweep '{sweepName}' is in {string.Join(" and ", elsewhere)}: pass --store {elsewhere[0]}." : null;
    }

    private static SweepHome Find(string start, string? project, Func<string, string?> environment)
    {
        if (environment(Variable) is { Length: > 0 } explicitHome)
        {
            return new SweepHome(Path.GetFullPath(explicitHome), project);
        }

        var origin = new DirectoryInfo(Path.GetFullPath(start));
        for (var folder = origin; folder is not null; folder = folder.Parent)
        {
            if (IsRoot(folder))
            {
                return new SweepHome(folder.FullName, project);
            }
        }

        return new SweepHome(origin.FullName, project);
    }

    private static bool IsRoot(DirectoryInfo folder)
    {
        try
        {
            return System.IO.Directory.Exists(Path.Combine(folder.FullName, ".git"))
                || File.Exists(Path.Combine(folder.FullName, ".git"))
                || folder.EnumerateFiles("*.sln").Any()
                || folder.EnumerateFiles("*.slnx").Any();
        }
        catch (Exception exception) when (exception is UnauthorizedAccessException or IOException)
        {
            // A folder we may not list cannot be the root we look for; keep climbing.
            return false;
        }
    }

    private static IEnumerable<string> StoresBelow(string folder, int depth)
    {
        var store = Path.Combine(folder, SqliteSweepStore.DefaultPath);
        if (File.Exists(store))
        {
            yield return store;
        }

        if (depth == 0)
        {
            yield break;
        }

        string[] children;
        try
        {
            children = System.IO.Directory.GetDirectories(folder);
        }
        catch (Exception exception) when (exception is UnauthorizedAccessException or IOException)
        {
            yield break;
        }

        foreach (var child in children)
        {
            var name = Path.GetFileName(child);
            if (name.StartsWith('.') || SkippedFolders.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var found in StoresBelow(child, depth - 1))
            {
                yield return found;
            }
        }
    }

    private static bool Holds(string path, string sweepName)
    {
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM sweeps WHERE name = $name";
            command.Parameters.AddWithValue("$name", sweepName);
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
        }
        catch (SqliteException)
        {
            // Not a store, a damaged one, or one without sweeps yet: it holds nothing to point at.
            return false;
        }
    }
}
