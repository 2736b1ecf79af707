using System.Diagnostics;
using System.Text;

namespace Tune.Pipeline.MSBuild;

/// <summary>The outcome of one run of an experiment's executable.</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="Output">What it wrote to standard output, when captured.</param>
/// <param name="ErrorLines">The last lines it wrote to standard error.</param>
internal sealed record ExperimentRun(int ExitCode, string Output, IReadOnlyList<string> ErrorLines);

/// <summary>
/// Runs an experiment's built executable (<c>dotnet app.dll verb ...</c>) in its project folder, the way <c>dotnet tune</c>
/// does, so that relative paths in <c>TunePipeline*</c> properties mean what they mean on the command line there.
/// </summary>
internal sealed class ExperimentProcess
{
    /// <summary>The most error lines kept for the TUNE1005 message; the rest were already logged as they came.</summary>
    private const int KeptErrorLines = 5;

    private readonly object _gate = new();
    private Process? _process;
    private bool _cancelled;

    /// <summary>Gets the dotnet host: the one MSBuild runs on (DOTNET_HOST_PATH, set by the SDK), else <c>dotnet</c> on PATH.</summary>
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>Gets whether <see cref="Cancel"/> stopped the run.</summary>
    public bool Cancelled => _cancelled;

    /// <summary>Shows a command line as one would type it, for messages.</summary>
    /// <param name="executable">The assembly.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <returns>The text.</returns>
    public static string Show(string executable, IEnumerable<string> arguments) =>
        string.Join(" ", new[] { "dotnet", executable }.Concat(arguments).Select(a => a.Length == 0 || a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a));

    /// <summary>Runs the executable and waits for it.</summary>
    /// <param name="executable">The experiment's built assembly.</param>
    /// <param name="arguments">The verb and its options.</param>
    /// <param name="workingDirectory">The experiment's project folder.</param>
    /// <param name="onOutput">Receives each output line as it comes, or <see langword="null"/> to capture the output instead.</param>
    /// <param name="onError">Receives each error line as it comes.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="System.ComponentModel.Win32Exception">The dotnet host could not be started.</exception>
    public ExperimentRun Run(string executable, IReadOnlyList<string> arguments, string workingDirectory, Action<string>? onOutput, Action<string> onError)
    {
        var info = new ProcessStartInfo(DotnetHost)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(executable);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var captured = new StringBuilder();
        var errors = new Queue<string>();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            if (onOutput is null)
            {
                lock (captured)
                {
                    captured.AppendLine(e.Data);
                }
            }
            else
            {
                onOutput(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            onError(e.Data);
            lock (errors)
            {
                if (e.Data.Trim().Length == 0)
                {
                    return;
                }

                errors.Enqueue(e.Data);
                if (errors.Count > KeptErrorLines)
                {
                    errors.Dequeue();
                }
            }
        };

        lock (_gate)
        {
            if (_cancelled)
            {
                return new ExperimentRun(-1, string.Empty, []);
            }

            process.Start();
            _process = process;
        }

        // Nothing is ever typed at a sweep run by a build.
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();
        lock (_gate)
        {
            _process = null;
        }

        lock (captured)
        {
            lock (errors)
            {
                return new ExperimentRun(process.ExitCode, captured.ToString(), [.. errors]);
            }
        }
    }

    /// <summary>Stops a run in progress (Ctrl+C on the build): the executable and its agent processes.</summary>
    public void Cancel()
    {
        lock (_gate)
        {
            _cancelled = true;
            try
            {
                _process?.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited between the check and the kill.
            }
        }
    }
}
