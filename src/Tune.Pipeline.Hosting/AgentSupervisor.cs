using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Tune.Pipeline.Hosting.Launchers;

namespace Tune.Pipeline.Hosting;

/// <summary>
/// Starts local agents as child processes of this executable and restarts one that dies, until stopped: the
/// <c>local</c> launcher.
/// </summary>
/// <remarks>
/// Each child gets its standard input from a pipe that only this process holds: when this process dies, however it
/// dies, the pipe closes and the child exits (<c>--exit-with-parent</c>), so no orphan keeps leasing trials.
/// </remarks>
internal sealed class AgentSupervisor : IAgentLauncher
{
    private const int MaxQuickFailures = 5;
    private static readonly TimeSpan QuickFailure = TimeSpan.FromSeconds(10);

    private readonly TextWriter _error;
    private readonly TimeProvider _time;
    private AgentLaunch? _launch;
    private int _runningCount;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _slots = [];
    private readonly Lock _lock = new();
    private readonly HashSet<Process> _running = [];
    private int _slotsGivenUp;

    public AgentSupervisor(TextWriter error, TimeProvider time)
    {
        // Lines from several agents must not interleave.
        _error = TextWriter.Synchronized(error);
        _time = time;
    }

    /// <summary>Gets a task that completes when every slot has given up restarting its agent.</summary>
    public TaskCompletionSource<string> AllGaveUp { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => "local";

    public Task<string> NoAgentCanRun => AllGaveUp.Task;

    public int Restarts { get; private set; }

    public Task StartAsync(AgentLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        _launch = launch;
        for (var i = 0; i < launch.Count; i++)
        {
            var slot = i + 1;
            _slots.Add(Task.Run(() => RunSlotAsync(slot, launch.Count), CancellationToken.None));
        }

        return Task.CompletedTask;
    }

    /// <summary>Lets the agents finish (they exit when the sweep closes), then kills any still running after the grace period.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        var all = Task.WhenAll(_slots);
        if (await Task.WhenAny(all, Task.Delay(grace, _time)).ConfigureAwait(false) != all)
        {
            lock (_lock)
            {
                foreach (var process in _running)
                {
                    TryKill(process);
                }
            }

            await all.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        _stopping.Dispose();
    }

    internal static ProcessStartInfo SelfStartInfo(IEnumerable<string> arguments)
    {
        var processPath = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this executable is unknown, so agents cannot be started.");
        var info = new ProcessStartInfo(processPath) { UseShellExecute = false, WorkingDirectory = Environment.CurrentDirectory };

        // Run through the dotnet host (`dotnet Experiment.dll`): the child needs the assembly too.
        if (string.Equals(Path.GetFileNameWithoutExtension(processPath), "dotnet", StringComparison.OrdinalIgnoreCase)
            && Assembly.GetEntryAssembly()?.Location is { Length: > 0 } entry)
        {
            info.ArgumentList.Add(entry);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    private async Task RunSlotAsync(int slot, int count)
    {
        var quickFailures = 0;
        while (!_stopping.IsCancellationRequested)
        {
            var started = _time.GetTimestamp();
            int exitCode;
            using (var process = StartAgent(slot))
            {
                lock (_lock)
                {
                    _running.Add(process);
                }

                Report(Interlocked.Increment(ref _runningCount));

                var output = PumpAsync(process.StandardOutput, slot);
                var error = PumpAsync(process.StandardError, slot);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                await Task.WhenAll(output, error).ConfigureAwait(false);
                exitCode = process.ExitCode;
                lock (_lock)
                {
                    _running.Remove(process);
                }

                Report(Interlocked.Decrement(ref _runningCount));
            }

            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            // An agent exits 0 only when the sweep is closed, and 130 when Ctrl+C reached it too (the controller is stopping);
            // anything else while the sweep runs is a death to repair.
            if (exitCode is ExperimentHost.Success or ExperimentHost.Interrupted)
            {
                return;
            }

            quickFailures = _time.GetElapsedTime(started) < QuickFailure ? quickFailures + 1 : 0;
            if (quickFailures >= MaxQuickFailures)
            {
                await WriteAsync($"Agent {slot} failed {MaxQuickFailures} times in a row (exit code {exitCode}); not restarting it.").ConfigureAwait(false);
                if (Interlocked.Increment(ref _slotsGivenUp) == count)
                {
                    AllGaveUp.TrySetResult($"every local agent failed {MaxQuickFailures} times in a row. See the agents' output above.");
                }

                return;
            }

            Restarts++;
            await WriteAsync($"Agent {slot} exited with code {exitCode.ToString(CultureInfo.InvariantCulture)}; restarting it.").ConfigureAwait(false);
        }
    }

    private Process StartAgent(int slot)
    {
        var launch = _launch!;
        var info = SelfStartInfo(["agent", "--store", launch.Store, .. launch.ArgumentsOf(slot - 1), "--exit-with-parent"]);
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.Environment["TUNE_AGENT_SLOT"] = slot.ToString(CultureInfo.InvariantCulture);
        return Process.Start(info) ?? throw new InvalidOperationException("The agent process did not start.");
    }

    private void Report(int running) =>
        _launch?.OnAgentsChanged(string.Create(CultureInfo.InvariantCulture, $"agents (local): {running} of {_launch.Count} running, {Restarts} restarted"));

    private async Task PumpAsync(StreamReader reader, int slot)
    {
        while (await reader.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } line)
        {
            await WriteAsync($"[agent {slot.ToString(CultureInfo.InvariantCulture)}] {line}").ConfigureAwait(false);
        }
    }

    private Task WriteAsync(string line)
    {
        _error.WriteLine(line);
        return Task.CompletedTask;
    }

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
    }
}
