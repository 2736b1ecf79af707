using System.CommandLine;
using System.Globalization;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Hosting.Verbs;

/// <summary><c>status</c>: shows a sweep's trials by state and its best trial.</summary>
internal sealed class StatusVerb<TExperiment, TParameters>(HostedExperiment<TExperiment, TParameters> host)
    where TExperiment : IExperiment<TParameters>, new()
    where TParameters : class
{
    private readonly Option<string?> _store = VerbOptions.Store();
    private readonly Option<string?> _sweep = VerbOptions.Sweep();

    public Command Create()
    {
        var command = new Command("status", "Show a sweep's trials by state and its best trial.") { _store, _sweep };
        command.SetAction((result, ct) => RunAsync(host.StoreOrDefault(result.GetValue(_store)), SweepNames.Check(result.GetValue(_sweep) ?? host.Identity.Name), ct));
        return command;
    }

    private async Task<int> RunAsync(string storeText, string sweepName, CancellationToken cancellationToken)
    {
        var store = host.OpenExistingStore(storeText, sweepName);
        await using (store.ConfigureAwait(false))
        {
            var status = await host.GetSweepAsync(store, storeText, sweepName, "Check --sweep and --store.", cancellationToken).ConfigureAwait(false);
            var state = status.IsClosed ? $"closed ({status.StopReason})" : "open";
            var output = host.Output;
            await output.WriteLineAsync($"Sweep '{status.Name}' in {store.DisplayName}: {state}, goal {status.Goal}, seed {status.Seed.ToString(CultureInfo.InvariantCulture)}").ConfigureAwait(false);
            foreach (var trialState in Enum.GetValues<TrialState>())
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {trialState,-10} {status.TrialCounts.GetValueOrDefault(trialState),6}")).ConfigureAwait(false);
            }

            await output.WriteLineAsync(status.BestTrialNumber is { } best
                ? string.Create(CultureInfo.InvariantCulture, $"Best trial {best}: {status.BestValue:R} {status.BestParameters}")
                : "No completed trial yet.").ConfigureAwait(false);
            return ExperimentHost.Success;
        }
    }
}
