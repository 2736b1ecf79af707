using System.Diagnostics;

namespace Tune.Pipeline.Cli.Tests;

/// <summary>Runs the built `tune` as a child process: for commands that run an experiment on the console, or need an environment of their own.</summary>
internal static class TuneChildProcess
{
    private static readonly string[] AmbientVariables = ["GITHUB_STEP_SUMMARY", "GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "MLFLOW_TRACKING_URI", "AZURE_STORAGE_CONNECTION_STRING"];

    private static string TuneAssembly =>
        Path.Combine(AppContext.BaseDirectory, "..", "..", "Tune.Pipeline.Cli", new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name, "tune.dll");

    public static Task<(int Code, string Output, string Error)> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        RunDotnetAsync(workingDirectory, [TuneAssembly, .. arguments], environment, AmbientVariables, TestContext.Current.CancellationToken);

    /// <summary>Runs the dotnet host with the arguments and waits for it, capturing what it writes.</summary>
    /// <param name="workingDirectory">Where it runs.</param>
    /// <param name="arguments">The host's arguments: an assembly or a command, then its own.</param>
    /// <param name="environment">Variables to set.</param>
    /// <param name="removed">Variables of this process not to hand down, so that the runner's own cannot change the outcome.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    public static async Task<(int Code, string Output, string Error)> RunDotnetAsync(
        string workingDirectory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, IEnumerable<string>? removed, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var name in removed ?? [])
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output, await error);
    }
}
