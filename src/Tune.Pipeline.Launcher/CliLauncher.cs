using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Tune.Pipeline.Launcher;

/// <summary>
/// Finds the repository around the current folder, builds its tune command line when the sources are newer than the
/// last build, and runs it with the caller's arguments, console and exit code.
/// </summary>
internal static class CliLauncher
{
    private const string CliProject = "src/Tune.Pipeline.Cli/Tune.Pipeline.Cli.csproj";

    // Where UseArtifactsOutput (build/Common.props) puts the Release build of the project above.
    private const string CliAssembly = "artifacts/bin/Tune.Pipeline.Cli/release/tune.dll";

    // Written after each successful build: a build that changes nothing leaves tune.dll's time alone, so its time cannot
    // tell whether the sources were built.
    private const string Stamp = "artifacts/bin/Tune.Pipeline.Cli/release/tune.launcher-stamp";

    private static readonly string[] InputPatterns = ["*.cs", "*.csproj", "*.props", "*.targets", "*.globalconfig", "*.txt", "*.json"];

    private static readonly string[] RootSettings = ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", "nuget.config"];

    /// <summary>Runs the command line.</summary>
    /// <param name="args">The arguments for tune.</param>
    /// <param name="currentDirectory">The folder to find the repository from.</param>
    /// <returns>tune's exit code; 1 when the build fails, 3 outside a repository.</returns>
    public static async Task<int> RunAsync(string[] args, string currentDirectory)
    {
        var root = FindRoot(currentDirectory);
        if (root is null)
        {
            await Console.Error.WriteLineAsync(
                $"dotnet tune runs the tune command line of the Tune.Pipeline repository it is called in, and no folder from '{currentDirectory}' up holds {CliProject}. Run it inside the repository.").ConfigureAwait(false);
            return 3;
        }

        var assembly = Path.Combine(root, CliAssembly);
        if (IsStale(root, assembly))
        {
            var built = await BuildAsync(root).ConfigureAwait(false);
            if (built != 0)
            {
                return built;
            }
        }

        return await RunCliAsync(assembly, args).ConfigureAwait(false);
    }

    /// <summary>Finds the nearest folder at or above <paramref name="start"/> that holds the CLI project.</summary>
    /// <param name="start">The folder to start from.</param>
    /// <returns>The repository root, or <see langword="null"/>.</returns>
    internal static string? FindRoot(string start)
    {
        for (var folder = new DirectoryInfo(Path.GetFullPath(start)); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, CliProject)))
            {
                return folder.FullName;
            }
        }

        return null;
    }

    /// <summary>
    /// Decides whether to build: no build yet, or a source or build setting written after the last one. All of src/ counts,
    /// not just the CLI's references: a spare build is an up-to-date check, a missed one runs old code.
    /// </summary>
    /// <param name="root">The repository root.</param>
    /// <param name="assembly">The built CLI.</param>
    /// <returns><see langword="true"/> to build.</returns>
    internal static bool IsStale(string root, string assembly)
    {
        var stamp = new FileInfo(Path.Combine(root, Stamp));
        if (!File.Exists(assembly) || !stamp.Exists)
        {
            return true;
        }

        var built = stamp.LastWriteTimeUtc;
        var build = Path.Combine(root, "build");
        var settings = RootSettings
            .Select(f => Path.Combine(root, f))
            .Concat(Directory.Exists(build) ? Directory.EnumerateFiles(build, "*", SearchOption.TopDirectoryOnly) : []);
        var sources = InputPatterns.SelectMany(p => Directory.EnumerateFiles(Path.Combine(root, "src"), p, SearchOption.AllDirectories))
            .Where(f => !IsBuildOutput(f));
        return settings.Concat(sources).Any(f => File.Exists(f) && File.GetLastWriteTimeUtc(f) > built);
    }

    private static bool IsBuildOutput(string file)
    {
        var separator = Path.DirectorySeparatorChar;
        return file.Contains($"{separator}bin{separator}", StringComparison.Ordinal) || file.Contains($"{separator}obj{separator}", StringComparison.Ordinal);
    }

    private static async Task<int> BuildAsync(string root)
    {
        await Console.Error.WriteLineAsync($"Building the tune command line ({CliProject}, Release); this happens after its sources change.").ConfigureAwait(false);
        var info = Start("build", Path.Combine(root, CliProject), "-c", "Release", "-nologo", "-v", "q");
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            // The build's own output only when it fails: it names the file and line to fix.
            await Console.Error.WriteLineAsync(await output.ConfigureAwait(false)).ConfigureAwait(false);
            await Console.Error.WriteLineAsync(await error.ConfigureAwait(false)).ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"Building {CliProject} failed with exit code {process.ExitCode}.").ConfigureAwait(false);
            return 1;
        }

        var stamp = Path.Combine(root, Stamp);
        await File.WriteAllTextAsync(stamp, "Written by dotnet tune after a successful build; its time is what the sources are compared with.\n").ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> RunCliAsync(string assembly, string[] args)
    {
        var info = Start([assembly, .. args]);

        // Ctrl+C reaches tune (and the experiment it runs) from the terminal; wait for them to stop rather than leave
        // them running behind the prompt.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet.");
        await process.WaitForExitAsync().ConfigureAwait(false);
        return process.ExitCode;
    }

    private static ProcessStartInfo Start(params string[] arguments)
    {
        // The host that runs this tool: `dotnet tune` runs it with the SDK's dotnet, which then runs tune too.
        var host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? path : "dotnet";
        var info = new ProcessStartInfo(host) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }
}
