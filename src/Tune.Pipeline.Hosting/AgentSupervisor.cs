using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace Tune.Pipeline.Hosting;

/// <summary>
/// Starts local agents as child processes of this executable and restarts one that dies, until stopped.
/// </summary>
/// <remarks>
/// Each child gets its standard input from a pipe that only this process holds: when this process dies, however it
/// dies, the pipe closes and the child exits (<c>--exit-with-parent</c>), so no orphan keeps leasing trials.
/// </remarks>
internal sealed class AgentSupervisor : IAsyncDisposable
{
    private const int MaxQuickFailures = 5;
    private static readonly TimeSpan QuickFailure = TimeSpan.FromSeconds(10);

    private readonly IReadOnlyList<string> _agentArguments;
    private readonly Func<int, IReadOnlyList<string>> _slotArguments;
    private readonly TextWriter _error;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _slots = [];
    private readonly Lock _lock = new();
    private readonly HashSet<Process> _running = [];
    private int _slotsGivenUp;

    /// <param name="agentArguments">The arguments every agent gets.</param>
    /// <param name="error">Where agents' output goes, each line prefixed with its slot.</param>
    /// <param name="time">The clock.</param>
    /// <param name="slotArguments">The arguments one slot's agent gets beyond those (such as <c>--device cuda:0</c> for a GPU agent), by slot from 1; none when not given.</param>
    public AgentSupervisor(IReadOnlyList<string> agentArguments, TextWriter error, TimeProvider time, Func<int, IReadOnlyList<string>>? slotArguments = null)
    {
        _agentArguments = agentArguments;
        _slotArguments = slotArguments ?? (_ => []);

        // Lines from several agents must not interleave.
        _error = TextWriter.Synchronized(error);
        _time = time;
    }

    /// <summary>Gets a task that completes when every slot has given up restarting its agent.</summary>
    public TaskCompletionSource AllGaveUp { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Restarts { get; private set; }

    public void Start(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var slot = i + 1;
            _slots.Add(Task.Run(() => RunSlotAsync(slot, count)));
        }
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

                var output = PumpAsync(process.StandardOutput, slot);
                var error = PumpAsync(process.StandardError, slot);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                await Task.WhenAll(output, error).ConfigureAwait(false);
                exitCode = process.ExitCode;
                lock (_lock)
                {
                    _running.Remove(process);
                }
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
                    AllGaveUp.TrySetResult();
                }

                return;
            }

            Restarts++;
            await WriteAsync($"Agent {slot} exited with code {exitCode.ToString(CultureInfo.InvariantCulture)}; restarting it.").ConfigureAwait(false);
        }
    }

    private Process StartAgent(int slot)
    {
        var info = SelfStartInfo([.. _agentArguments, .. _slotArguments(slot)]);
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.Environment["TUNE_AGENT_SLOT"] = slot.ToString(CultureInfo.InvariantCulture);
        return Process.Start(info) ?? throw new InvalidOperationException("The agent process did not start.");
    }

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
