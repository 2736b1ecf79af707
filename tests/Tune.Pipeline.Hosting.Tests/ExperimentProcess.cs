using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Tune.Pipeline.Hosting.Tests;

/// <summary>
/// Runs the test experiment's executable (tests/Tune.Pipeline.Hosting.TestExperiment) as a real process, or its bare
/// twin that references no optional package (tests/Tune.Pipeline.Hosting.BareExperiment).
/// </summary>
public sealed class ExperimentProcess : IDisposable
{
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly Process _process;

    private ExperimentProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(_output, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_error, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Output => Read(_output);

    public string Error => Read(_error);

    public static string ExecutablePath => PathOf("Tune.Pipeline.Hosting.TestExperiment");

    public static string BareExecutablePath => PathOf("Tune.Pipeline.Hosting.BareExperiment");

    public static ExperimentProcess Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        Start(ExecutablePath, workingDirectory, environment, arguments);

    public static ExperimentProcess Start(string executable, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(executable);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return new ExperimentProcess(Process.Start(info)!);
    }

    public static Task<(int ExitCode, string Output, string Error)> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        RunAsync(ExecutablePath, workingDirectory, environment, arguments);

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string executable, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        using var process = Start(executable, workingDirectory, environment, arguments);
        var exitCode = await process.WaitAsync(TimeSpan.FromSeconds(120));
        return (exitCode, process.Output, process.Error);
    }

    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The experiment process did not exit within {timeout}.{Environment.NewLine}stdout: {Output}{Environment.NewLine}stderr: {Error}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Kill() => _process.Kill();

    /// <summary>Sends SIGINT, what a terminal's Ctrl+C delivers.</summary>
    public void Interrupt()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    // artifacts/bin/Tune.Pipeline.Hosting.Tests/<configuration>/ -> the experiment's folder beside it.
    private static string PathOf(string project)
    {
        var ours = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return Path.Combine(ours.Parent!.Parent!.FullName, project, ours.Name, project + ".dll");
    }

    private static void Append(StringBuilder builder, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }
    }

    private static string Read(StringBuilder builder)
    {
        lock (builder)
        {
            return builder.ToString();
        }
    }
}
