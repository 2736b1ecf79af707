using System.Diagnostics;
using System.Runtime.InteropServices;
using Tune.Pipeline.Hosting;

namespace Tune.Pipeline.Cli.Experiments;

/// <summary>Builds an experiment project and runs its executable as a child process on this console.</summary>
/// <param name="error">Where build failures and launch problems are written.</param>
internal sealed class ExperimentLauncher(TextWriter error)
{
    /// <summary>Gets the dotnet host to run builds and framework-dependent executables with: the one running tune, when it is dotnet.</summary>
    public static string DotnetHost { get; } =
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? path : "dotnet";

    /// <summary>Builds the project (unless told not to) and finds its executable.</summary>
    /// <param name="projectPath">The .csproj.</param>
    /// <param name="configuration">The build configuration.</param>
    /// <param name="build">Whether to build first.</param>
    /// <param name="cancellationToken">Stops the build.</param>
    /// <returns>The built assembly's path, or <see langword="null"/> and the exit code to return.</returns>
    public async Task<(string? Executable, int ExitCode)> PrepareAsync(string projectPath, string configuration, bool build, CancellationToken cancellationToken)
    {
        // -getProperty prints where the build put the assembly, wherever the project's settings put it; with -t:Build
        // the build runs first (without a target, only the project is evaluated).
        string[] arguments = build
            ? ["build", projectPath, "-c", configuration, "-nologo", "-t:Build", "-getProperty:TargetPath"]
            : ["msbuild", projectPath, $"-p:Configuration={configuration}", "-nologo", "-getProperty:TargetPath"];
        var (exitCode, output, errors) = await CaptureAsync(arguments, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            await error.WriteLineAsync(build
                ? $"Building {projectPath} ({configuration}) failed with exit code {exitCode}:"
                : $"Reading {projectPath} failed with exit code {exitCode}:").ConfigureAwait(false);
            await error.WriteLineAsync(string.Join(Environment.NewLine, new[] { output.Trim(), errors.Trim() }.Where(s => s.Length > 0))).ConfigureAwait(false);
            return (null, ExperimentHost.SweepFailed);
        }

        var executable = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (executable is null || !File.Exists(executable))
        {
            await error.WriteLineAsync(build
                ? $"Building {projectPath} ({configuration}) produced no assembly at '{executable}'. Check that it is an executable project (OutputType Exe)."
                : $"{projectPath} has not been built in {configuration}: '{executable}' is missing. Leave out --no-build, or build it with `dotnet build -c {configuration}`.").ConfigureAwait(false);
            return (null, build ? ExperimentHost.SweepFailed : ExperimentHost.UsageError);
        }

        return (executable, ExperimentHost.Success);
    }

    /// <summary>Runs the executable with the arguments, sharing this console, and waits for it.</summary>
    /// <param name="executable">The built assembly.</param>
    /// <param name="arguments">Its arguments: the verb, then the user's.</param>
    /// <returns>The executable's exit code.</returns>
    /// <remarks>
    /// Ctrl+C reaches the child from the terminal itself (it is in the same process group); tune ignores it and waits,
    /// so that the child can stop its agents and close the sweep before the prompt comes back.
    /// </remarks>
    public static async Task<int> RunAsync(string executable, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(DotnetHost) { UseShellExecute = false };
        info.ArgumentList.Add(executable);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {DotnetHost} {executable}.");

        // Not cancellable on purpose: the child decides when it is done.
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        return process.ExitCode;
    }

    /// <summary>Runs the executable with the arguments and captures what it writes, for verbs whose output tune reads.</summary>
    /// <param name="executable">The built assembly.</param>
    /// <param name="arguments">Its arguments: the verb, then its options.</param>
    /// <param name="cancellationToken">Stops the executable (its whole process tree).</param>
    /// <returns>Its exit code, standard output and standard error.</returns>
    public static Task<(int ExitCode, string Output, string Error)> CaptureExperimentAsync(string executable, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        CaptureAsync([executable, .. arguments], cancellationToken);

    /// <summary>Runs the dotnet host with the arguments and captures what it writes.</summary>
    /// <param name="arguments">The host's arguments: a command (build, new...) or an assembly, then its own.</param>
    /// <param name="cancellationToken">Stops the process (its whole process tree).</param>
    /// <returns>Its exit code, standard output and standard error.</returns>
    internal static async Task<(int ExitCode, string Output, string Error)> CaptureAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(DotnetHost)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // No telemetry banner or first-run text in the captured output.
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {DotnetHost}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output.ConfigureAwait(false), await errors.ConfigureAwait(false));
    }
}
