using System.Diagnostics;

namespace Tune.Pipeline.Experiments.Tests;

/// <summary>Runs an example's executable from this test's output folder, in a temporary sweep home (TUNE_HOME) so that the repository's .tune and artifacts stay untouched.</summary>
internal static class ExperimentExecutable
{
    /// <summary>Sweeps the example with a tiny budget and one agent; returns the folder it published to.</summary>
    /// <param name="assembly">The example's assembly in this output folder.</param>
    /// <param name="experiment">The experiment's name, the published folder's name.</param>
    /// <param name="home">The temporary sweep home.</param>
    /// <param name="arguments">More options for the sweep verb (such as <c>--config</c> with a smaller space).</param>
    public static async Task<string> SweepAsync(string assembly, string experiment, DirectoryInfo home, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, assembly), "sweep", "--max-trials", "3", "--agents", "1", "--seed", "1" },
            Environment = { ["TUNE_HOME"] = home.FullName },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{await output}\n{await error}");
        return Path.Combine(home.FullName, "artifacts", experiment);
    }
}
