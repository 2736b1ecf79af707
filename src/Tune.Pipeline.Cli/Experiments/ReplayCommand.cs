using System.CommandLine;
using Tune.Pipeline.Hosting;
using Tune.Pipeline.Publishing;

namespace Tune.Pipeline.Cli.Experiments;

/// <summary>
/// <c>tune replay artifacts/&lt;experiment&gt;/sweep.lock.json [--rerun] [--trials 0,5,9 | --sample n]</c>: builds the
/// lock's experiment and runs its <c>replay</c> verb, which checks that the sampler reproduces every locked
/// configuration from the seed and, with <c>--rerun</c>, that the trials reach their locked values.
/// </summary>
/// <remarks>
/// Its own options are <c>--experiment</c>, <c>--no-build</c> and <c>--configuration</c>; every other argument goes to the
/// experiment's <c>replay</c> verb unchanged.
/// </remarks>
internal static class ReplayCommand
{
    private const string ExperimentName = "--experiment";

    /// <summary>Creates the command.</summary>
    /// <returns>The <c>replay</c> command.</returns>
    public static Command Create()
    {
        var lockFile = new Argument<string>("lock") { Description = "The lock file: artifacts/<experiment>/sweep.lock.json." };
        var arguments = new Argument<string[]>("arguments")
        {
            Description = "Passed to the experiment's replay verb: --rerun, --trials 0,5,9, --sample n, --config sweep.yaml, --max-concurrent-trials c.",
            Arity = ArgumentArity.ZeroOrMore,
            CaptureRemainingTokens = true,
        };
        var experiment = new Option<string?>(ExperimentName) { Description = "The experiment (project folder, .csproj or name); defaults to the lock's experiment under experiments/." };
        var noBuild = new Option<bool>("--no-build") { Description = "Run the experiment as last built, without building it." };
        var configuration = new Option<string>("--configuration", "-c") { Description = "The build configuration.", DefaultValueFactory = _ => "Release" };
        var command = new Command("replay", "Check a lock file: the sampler must reproduce its configurations from the seed (fast, no training); --rerun also reruns its trials with their locked seeds. Exit 1 on any difference, naming both values.")
        {
            lockFile, arguments, experiment, noBuild, configuration,
        };
        command.SetAction(async (result, ct) =>
        {
            var error = result.InvocationConfiguration.Error;
            var (forwarded, skipBuild, chosen) = ExperimentCommand.Split(result.GetValue(arguments) ?? [], result.GetValue(noBuild), result.GetValue(configuration)!);
            var named = result.GetValue(experiment);
            var index = forwarded.IndexOf(ExperimentName);
            if (index >= 0 && index + 1 < forwarded.Count)
            {
                named = forwarded[index + 1];
                forwarded.RemoveRange(index, 2);
            }

            if (chosen is null)
            {
                await error.WriteLineAsync("--configuration needs a value, such as Release or Debug.").ConfigureAwait(false);
                return ExperimentHost.UsageError;
            }

            var path = Path.GetFullPath(result.GetValue(lockFile)!);
            try
            {
                var locked = await SweepLock.ReadAsync(path, ct).ConfigureAwait(false);
                var project = ExperimentResolver.Resolve(named ?? locked.Experiment, Environment.CurrentDirectory);
                var (executable, exitCode) = await new ExperimentLauncher(error).PrepareAsync(project.ProjectPath, chosen, build: !skipBuild, ct).ConfigureAwait(false);
                return executable is null ? exitCode : await ExperimentLauncher.RunAsync(executable, ["replay", "--lock", path, .. forwarded]).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException or InvalidDataException or UsageException)
            {
                await error.WriteLineAsync(exception is InvalidDataException or UsageException ? exception.Message : $"Lock file '{path}' does not exist.").ConfigureAwait(false);
                return ExperimentHost.UsageError;
            }
        });
        return command;
    }
}
