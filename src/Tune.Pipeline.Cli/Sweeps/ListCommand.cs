using System.CommandLine;
using Tune.Pipeline.Hosting;
using Tune.Pipeline.Reporting;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Cli.Sweeps;

/// <summary><c>tune list [--store PATH|URL]</c>: every sweep in a store, oldest first.</summary>
internal static class ListCommand
{
    /// <summary>Builds the verb.</summary>
    /// <returns>The command.</returns>
    public static Command Create()
    {
        var store = StoreAccess.CreateOption();
        var command = new Command("list", "List the sweeps in a store: state, goal, trials by state, best value, when created and updated.") { store };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            return StoreAccess.RunAsync(parseResult.InvocationConfiguration.Error, () => ListAsync(parseResult.GetValue(store)!, output, cancellationToken));
        });
        return command;
    }

    private static async Task<int> ListAsync(string storeText, TextWriter output, CancellationToken cancellationToken)
    {
        if (!StoreAccess.Exists(storeText))
        {
            // Nothing has been swept here yet: an empty list, not an error.
            await output.WriteLineAsync($"No sweeps: there is no store at '{Path.GetFullPath(storeText)}' yet. Run a sweep (`tune sweep <experiment>`), or pass --store.").ConfigureAwait(false);
            return ExperimentHost.Success;
        }

        var store = StoreAccess.Open(storeText);
        await using (store.ConfigureAwait(false))
        {
            var sweeps = await store.ListSweepsAsync(cancellationToken).ConfigureAwait(false);
            if (sweeps.Count == 0)
            {
                await output.WriteLineAsync($"No sweeps in the store {store.DisplayName}.").ConfigureAwait(false);
                return ExperimentHost.Success;
            }

            var table = new TextTable(
                ("sweep", false), ("state", false), ("goal", false), ("trials", true), ("completed", true), ("pruned", true), ("failed", true),
                ("active", true), ("best", true), ("created (UTC)", false), ("updated (UTC)", false));
            foreach (var sweep in sweeps)
            {
                int Count(TrialState state) => sweep.TrialCounts.GetValueOrDefault(state);
                table.AddRow(
                    sweep.Name,
                    StoredTrials.State(sweep),
                    sweep.Goal.ToString().ToLowerInvariant(),
                    Text(sweep.TrialCounts.Values.Sum()),
                    Text(Count(TrialState.Completed)),
                    Text(Count(TrialState.Pruned)),
                    Text(Count(TrialState.Failed)),
                    Text(Count(TrialState.Pending) + Count(TrialState.Running)),
                    sweep.BestValue is { } best ? TrialFormat.Value(best) : "-",
                    StoredTrials.Clock(sweep.CreatedAt),
                    StoredTrials.Clock(sweep.UpdatedAt));
            }

            await output.WriteLineAsync($"Sweeps in {store.DisplayName}:").ConfigureAwait(false);
            await table.WriteAsync(output).ConfigureAwait(false);
            return ExperimentHost.Success;
        }
    }

    private static string Text(int count) => count.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
