using System.Diagnostics;
using Tune.Pipeline.Hosting.Launchers;

namespace Tune.Pipeline.Hosting.Tests;

/// <summary>
/// The Slurm cluster the tests use: TUNE_TEST_SLURM names its slurm.conf (build/slurm-cluster.sh start prints it; .ci/run
/// exports it). Not set, the tests skip with the reason, except on CI (CI=true), where they fail.
/// </summary>
internal static class SlurmCluster
{
    /// <summary>The tests share two one-CPU nodes: one at a time, so that each sees the nodes it expects.</summary>
    public const string Collection = "slurm cluster";

    public static string ConfigOrSkip()
    {
        if (Environment.GetEnvironmentVariable("TUNE_TEST_SLURM") is { Length: > 0 } conf && File.Exists(conf))
        {
            return conf;
        }

        const string Reason = "No Slurm cluster: run build/slurm-cluster.sh start and set TUNE_TEST_SLURM to the slurm.conf it prints.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(Reason);
        }

        Assert.Skip(Reason);
        return string.Empty;
    }

    /// <summary>Reads a job array's tasks as the launcher does (squeue's fixed format).</summary>
    public static async Task<IReadOnlyList<SlurmTask>> TasksAsync(string conf, string job) =>
        SlurmLauncher.ParseQueue(await RunAsync(conf, "squeue", "-h", "-r", "--states=all", "-j", job, "-o", "%K|%T|%N|%r"));

    public static Task ControlAsync(string conf, params string[] arguments) => RunAsync(conf, "scontrol", arguments);

    /// <summary>Gets what <c>scontrol show job</c> says of a job or array task (its JobState, Restarts...).</summary>
    public static Task<string> ShowJobAsync(string conf, string job) => RunAsync(conf, "scontrol", "show", "job", job);

    /// <summary>Brings a node taken down back; with ReturnToService=2 its slurmd may have brought it back already.</summary>
    public static async Task ReturnToServiceAsync(string conf, string node)
    {
        var state = (await RunAsync(conf, "sinfo", "-h", "-N", "-n", node, "-o", "%t")).Trim();
        if (state.StartsWith("down", StringComparison.Ordinal) || state.StartsWith("drain", StringComparison.Ordinal))
        {
            await ControlAsync(conf, "update", $"nodename={node}", "state=resume");
        }
    }

    private static async Task<string> RunAsync(string conf, string command, params string[] arguments)
    {
        var info = new ProcessStartInfo(command, arguments) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["SLURM_CONF"] = conf;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', arguments)}: {await error}");
        return await output;
    }
}

[CollectionDefinition(SlurmCluster.Collection, DisableParallelization = true)]
public sealed class SlurmClusterGroup;
