using System.CommandLine;
using System.Globalization;
using Tune.Pipeline.Hosting;
using Tune.Pipeline.Reporting;
using Tune.Pipeline.Stores;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Cli.Sweeps;

/// <summary><c>tune show &lt;sweep&gt; [--store]</c>: a sweep's settings, its trials best first, and the best trial's parameters.</summary>
internal static class ShowCommand
{
    /// <summary>Builds the verb.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var sweep = StoreAccess.CreateSweepArgument();
        var store = StoreAccess.CreateOption();
        var command = new Command("show", "Show a sweep: its settings and search space, its trials best first, and the best trial's parameters.") { sweep, store };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            return StoreAccess.RunAsync(parseResult.InvocationConfiguration.Error, () => StoreAccess.ReadSweepAsync(
                parseResult.GetValue(store)!, parseResult.GetValue(sweep)!, (opened, read, trials) => ShowAsync(output, opened, read, trials), cancellationToken));
        });
        return command;
    }

    private static async Task<int> ShowAsync(TextWriter output, SqlSweepStore store, SweepStatus sweep, IReadOnlyList<StoredTrial> trials)
    {
        await WriteSettingsAsync(output, store, sweep, trials).ConfigureAwait(false);
        if (trials.Count == 0)
        {
            await output.WriteLineAsync("No trials yet.").ConfigureAwait(false);
            return ExperimentHost.Success;
        }

        var table = new TextTable(("trial", true), ("state", false), ("value", true), ("parameters", false), ("attempts", true), ("duration", true), ("agent", false));
        foreach (var trial in TrialOrder.BestFirst(trials, sweep.Goal, static t => t.Standing))
        {
            table.AddRow(
                trial.Number.ToString(CultureInfo.InvariantCulture),
                TrialFormat.State(trial.State, trial.IsInterrupted),
                TrialFormat.Objective(trial.Standing),
                StoredTrials.ShortParameters(trial),
                trial.Attempts.ToString(CultureInfo.InvariantCulture),
                TrialFormat.Duration(trial.StartedAt, trial.EndedAt),

                // host/process/nonce/device: which GPU (cuda:N) or CPU agent ran the last attempt; empty for in-process trials.
                trial.Agent ?? string.Empty);
        }

        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync("Trials, best first (a pruned trial by its value at the step it stopped at, shown as @step):").ConfigureAwait(false);
        await table.WriteAsync(output).ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        if (TrialOrder.Best(trials, sweep.Goal, static t => t.Standing) is { } best)
        {
            await BestCommand.WriteTextAsync(output, sweep, best).ConfigureAwait(false);
        }
        else
        {
            await output.WriteLineAsync("No trial has completed yet.").ConfigureAwait(false);
        }

        return ExperimentHost.Success;
    }

    private static async Task WriteSettingsAsync(TextWriter output, SqlSweepStore store, SweepStatus sweep, IReadOnlyList<StoredTrial> trials)
    {
        var settings = StoredTrials.Settings(sweep, trials);
        await output.WriteLineAsync($"Sweep '{sweep.Name}' in {store.DisplayName}").ConfigureAwait(false);
        foreach (var (name, value) in settings)
        {
            await output.WriteLineAsync($"  {name,-15}{value}").ConfigureAwait(false);
        }

        await output.WriteLineAsync("  parameters").ConfigureAwait(false);
        foreach (var (name, distribution) in StoredTrials.Definitions(sweep))
        {
            await output.WriteLineAsync($"    {name}: {distribution}").ConfigureAwait(false);
        }
    }
}
