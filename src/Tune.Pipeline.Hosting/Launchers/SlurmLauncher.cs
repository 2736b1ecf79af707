using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Tune.Pipeline.Hosting.Launchers;

/// <summary>
/// The <c>slurm</c> launcher: one job array (<c>sbatch --array=0-(N-1)</c>) whose task i runs agent i, watched with
/// <c>squeue</c> and cancelled with <c>scancel</c>. Only Slurm's command line is used, so any cluster a user can
/// submit to works; the agents reach the store themselves.
/// </summary>
/// <remarks>
/// The batch script and the agents' output go under <c>.tune/slurm/SWEEP/</c> in the sweep home, which every node must
/// see (a shared file system, as Slurm's own <c>--output</c> needs). The store's connection string travels in the
/// submitting environment (<see cref="AgentLaunch.StoreVariable"/>, <c>--export=ALL</c>), so it is in neither the
/// script nor the job's command line. Tasks are submitted with <c>--requeue</c>: a task whose node fails runs again
/// elsewhere, and the trial its agent held is reclaimed by the store's lease.
/// </remarks>
internal sealed class SlurmLauncher(TimeProvider time) : IAgentLauncher
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    // squeue's states of a task that will not run again (squeue(1), JOB STATE CODES).
    private static readonly HashSet<string> Ended = new(StringComparer.Ordinal)
    {
        "BOOT_FAIL", "CANCELLED", "COMPLETED", "DEADLINE", "FAILED", "NODE_FAIL", "OUT_OF_MEMORY", "PREEMPTED", "TIMEOUT", "SPECIAL_EXIT", "REVOKED",
    };

    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource<string> _noAgentCanRun = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<int, SlurmTask> _tasks = [];
    private AgentLaunch? _launch;
    private Task _watching = Task.CompletedTask;
    private string? _lastSummary;

    public string Name => AgentLaunchers.Slurm;

    public Task<string> NoAgentCanRun => _noAgentCanRun.Task;

    /// <summary>Gets the job array's id once submitted.</summary>
    public string? JobId { get; private set; }

    /// <summary>Gets the folder of the sweep's batch script, job id and agents' output.</summary>
    /// <param name="home">The sweep home.</param>
    /// <param name="sweepName">The sweep.</param>
    /// <returns><c>HOME/.tune/slurm/SWEEP</c>.</returns>
    public static string FolderOf(SweepHome home, string sweepName) => Path.Combine(home.Directory, ".tune", "slurm", sweepName);

    public async Task StartAsync(AgentLaunch launch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        _launch = launch;
        var folder = FolderOf(launch.Home, launch.SweepName);
        Directory.CreateDirectory(folder);
        var jobFile = Path.Combine(folder, "job");

        // A controller that died left its array running: its agents would lease beside ours, so it goes first.
        if (File.Exists(jobFile) && (await File.ReadAllTextAsync(jobFile, cancellationToken).ConfigureAwait(false)).Trim() is { Length: > 0 } previous)
        {
            var left = await QueryAsync(previous, cancellationToken).ConfigureAwait(false);
            if (left is not null && left.Any(t => !Ended.Contains(t.State)))
            {
                await RunAsync("scancel", [previous], cancellationToken).ConfigureAwait(false);
                await launch.Error.WriteLineAsync($"Cancelled Slurm job {previous}, the agents a previous controller of sweep '{launch.SweepName}' submitted.").ConfigureAwait(false);
            }
        }

        var script = Path.Combine(folder, "agents.sbatch");
        await File.WriteAllTextAsync(script, Script(launch, folder), cancellationToken).ConfigureAwait(false);
        string submitted;
        try
        {
            submitted = await RunAsync(
                "sbatch",
                ["--parsable", "--export=ALL", script],
                cancellationToken,
                new Dictionary<string, string> { [AgentLaunch.StoreVariable] = launch.Store }).ConfigureAwait(false);
        }
        catch (LauncherException refused) when (refused.InnerException is null)
        {
            // Slurm's own words say what was wrong; the sweep is in the store already, so it continues with --resume.
            throw new LauncherException($"Slurm refused the agents' job array: {refused.Message} Check agents.slurm in the sweep file (the script is {script}), then continue the sweep with --resume.", refused);
        }

        // --parsable prints "jobid" or "jobid;cluster".
        JobId = submitted.Trim().Split(';')[0];
        await File.WriteAllTextAsync(jobFile, JobId, cancellationToken).ConfigureAwait(false);
        await launch.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Submitted Slurm job {JobId}: {launch.Count} agents (array 0-{launch.Count - 1}); their output goes to {folder}.")).ConfigureAwait(false);
        _watching = Task.Run(() => WatchAsync(_stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(TimeSpan grace)
    {
        if (JobId is null)
        {
            return;
        }

        // The agents leave on their own once the sweep is closed; what is still queued or running after the grace is cancelled.
        var deadline = time.GetTimestamp();
        while (time.GetElapsedTime(deadline) < grace && !AllEnded())
        {
            await Task.Delay(PollInterval, time).ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _watching.ConfigureAwait(false);
        try
        {
            await RunAsync("scancel", [JobId], CancellationToken.None).ConfigureAwait(false);
        }
        catch (LauncherException exception)
        {
            await _launch!.Error.WriteLineAsync($"{exception.Message} Cancel the agents with: scancel {JobId}").ConfigureAwait(false);
            return;
        }

        // scancel only signals: wait, briefly, until Slurm reports every task ended, so that none outlives the sweep.
        var cancelled = time.GetTimestamp();
        while (time.GetElapsedTime(cancelled) < TimeSpan.FromSeconds(30))
        {
            var tasks = await QueryAsync(JobId, CancellationToken.None).ConfigureAwait(false);
            if (tasks is null || tasks.All(t => Ended.Contains(t.State)))
            {
                break;
            }

            await Task.Delay(PollInterval / 4, time).ConfigureAwait(false);
        }

        JobId = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.Zero).ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>Writes the batch script: the array, the resources, the user's own lines, then each task's agent.</summary>
    /// <param name="launch">The agents.</param>
    /// <param name="folder">Where the agents' output goes.</param>
    /// <returns>The script's text.</returns>
    internal static string Script(AgentLaunch launch, string folder)
    {
        var slurm = launch.Settings.Slurm;
        var text = new StringBuilder();
        text.Append("#!/bin/bash\n");
        Line($"--job-name=tune-{launch.SweepName}");
        Line(string.Create(CultureInfo.InvariantCulture, $"--array=0-{launch.Count - 1}"));
        Line($"--output={Path.Combine(folder, "agent-%A_%a.out")}");
        Line("--requeue");
        if (slurm.Partition is { } partition)
        {
            Line($"--partition={partition}");
        }

        if (slurm.Time is { } limit)
        {
            Line($"--time={limit}");
        }

        if (slurm.CpusPerTask is { } cpus)
        {
            Line(string.Create(CultureInfo.InvariantCulture, $"--cpus-per-task={cpus}"));
        }

        if (launch.GpusPerAgent > 0)
        {
            Line(string.Create(CultureInfo.InvariantCulture, $"--gres=gpu:{launch.GpusPerAgent}"));
        }

        foreach (var line in slurm.Sbatch)
        {
            Line(line);
        }

        text.Append("# Written by `sweep --launcher slurm`. The store comes from TUNE_STORE in the submitting environment.\n");
        text.Append("case \"$SLURM_ARRAY_TASK_ID\" in\n");
        for (var i = 0; i < launch.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {i}) agent=({string.Join(' ', launch.ArgumentsOf(i).Select(Quote))}) ;;\n");
        }

        text.Append("  *) echo \"unexpected array task $SLURM_ARRAY_TASK_ID\" >&2; exit 2 ;;\nesac\n");
        text.Append(CultureInfo.InvariantCulture, $"exec {string.Join(' ', Executable(slurm).Select(Quote))} agent \"${{agent[@]}}\"\n");
        return text.ToString();

        void Line(string option) => text.Append("#SBATCH ").Append(option).Append('\n');
    }

    /// <summary>Reads the tasks of a job array with squeue's fixed format: task index, state, node, reason.</summary>
    /// <param name="output">squeue's output for <c>-h -r -o "%K|%T|%N|%r"</c>.</param>
    /// <returns>The tasks by index.</returns>
    internal static IReadOnlyList<SlurmTask> ParseQueue(string output) =>
    [
        .. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('|'))
            .Where(fields => fields.Length >= 4 && int.TryParse(fields[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            .Select(fields => new SlurmTask(int.Parse(fields[0], CultureInfo.InvariantCulture), fields[1], fields[2], fields[3])),
    ];

    /// <summary>Describes the tasks in one line: how many are in each state, with their nodes or reasons.</summary>
    /// <param name="jobId">The job array.</param>
    /// <param name="tasks">Its tasks.</param>
    /// <returns>Such as <c>agents (slurm job 12): 3 running (n1, n2), 1 pending (Resources)</c>.</returns>
    internal static string Summary(string jobId, IEnumerable<SlurmTask> tasks)
    {
        var parts = tasks
            .GroupBy(t => t.State, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var where = g.Key == "RUNNING"
                    ? g.Select(t => t.Node).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                    : g.Select(t => t.Reason).Where(r => r.Length > 0 && r != "None").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
                var detail = string.Join(", ", where);
                return string.Create(CultureInfo.InvariantCulture, $"{g.Count()} {g.Key.ToLowerInvariant()}{(detail.Length > 0 ? $" ({detail})" : string.Empty)}");
            });
        return $"agents (slurm job {jobId}): {string.Join(", ", parts)}";
    }

    // The command each task runs: the sweep file's, else this very executable, which must then be on a path every node sees.
    private static IReadOnlyList<string> Executable(SlurmSettings slurm)
    {
        if (slurm.Command is { } command)
        {
            return [command];
        }

        var self = AgentSupervisor.SelfStartInfo([]);
        return [self.FileName, .. self.ArgumentList];
    }

    // Single quotes keep every character but the quote itself, which becomes '\''.
    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private bool AllEnded()
    {
        lock (_tasks)
        {
            return _tasks.Count > 0 && _tasks.Values.All(t => Ended.Contains(t.State));
        }
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        var launch = _launch!;
        var folder = FolderOf(launch.Home, launch.SweepName);
        var unreachable = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            IReadOnlyList<SlurmTask>? tasks;
            try
            {
                tasks = await QueryAsync(JobId!, cancellationToken).ConfigureAwait(false);
                unreachable = false;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (LauncherException exception)
            {
                // slurmctld restarting or busy: say so once, and keep watching.
                if (!unreachable)
                {
                    await launch.Error.WriteLineAsync(exception.Message).ConfigureAwait(false);
                }

                unreachable = true;
                tasks = null;
            }

            if (tasks is { Count: > 0 })
            {
                foreach (var task in tasks)
                {
                    SlurmTask? before;
                    lock (_tasks)
                    {
                        _tasks.TryGetValue(task.Index, out before);
                        _tasks[task.Index] = task;
                    }

                    if (Ended.Contains(task.State) && task.State != "COMPLETED" && before?.State != task.State)
                    {
                        await launch.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"Slurm task {JobId}_{task.Index} (agent {task.Index}){(task.Node.Length > 0 ? $" on {task.Node}" : string.Empty)} ended {task.State}; a trial it held is reclaimed when its lease expires. Its output: {Path.Combine(folder, $"agent-{JobId}_{task.Index}.out")}")).ConfigureAwait(false);
                    }
                }

                var summary = Summary(JobId!, tasks);
                if (!string.Equals(summary, _lastSummary, StringComparison.Ordinal))
                {
                    _lastSummary = summary;
                    launch.OnAgentsChanged(summary);
                }

                // Agents leave with exit 0 only once the sweep is closed; every task ended otherwise means none is left to run trials.
                if (tasks.Count >= launch.Count && tasks.All(t => Ended.Contains(t.State)) && tasks.All(t => t.State != "COMPLETED"))
                {
                    _noAgentCanRun.TrySetResult($"every task of Slurm job {JobId} has ended ({string.Join(", ", tasks.Select(t => t.State).Distinct(StringComparer.Ordinal))}). See the agents' output in {folder}.");
                }
            }

            try
            {
                await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<IReadOnlyList<SlurmTask>?> QueryAsync(string jobId, CancellationToken cancellationToken)
    {
        // --states=all keeps ended tasks in view (for MinJobAge, 300 s by default); an unknown job is an error, read as "nothing left".
        try
        {
            return ParseQueue(await RunAsync("squeue", ["-h", "-r", "--states=all", "-j", jobId, "-o", "%K|%T|%N|%r"], cancellationToken).ConfigureAwait(false));
        }
        catch (LauncherException exception) when (exception.Message.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
    }

    /// <summary>Runs one of Slurm's commands and returns what it printed.</summary>
    private static async Task<string> RunAsync(string command, IReadOnlyList<string> arguments, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(command) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new LauncherException($"{command} did not start.");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new LauncherException($"--launcher slurm runs {command}, which is not on this machine's PATH ({exception.Message}). Run the sweep on a Slurm login node, or pick another --launcher.", exception);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                var said = (await error.ConfigureAwait(false)).ReplaceLineEndings(" ").Trim();
                throw new LauncherException(string.Create(CultureInfo.InvariantCulture, $"{command} failed (exit code {process.ExitCode}): {said}"));
            }

            return await output.ConfigureAwait(false);
        }
    }
}

/// <summary>One task of the agents' job array as squeue shows it.</summary>
/// <param name="Index">The array index: the agent's index.</param>
/// <param name="State">The state in squeue's long form (RUNNING, PENDING, FAILED...).</param>
/// <param name="Node">The node it runs or ran on; empty while pending.</param>
/// <param name="Reason">Why it waits or ended (Resources, NodeFail...); "None" when there is nothing to say.</param>
internal sealed record SlurmTask(int Index, string State, string Node, string Reason);
