using System.CommandLine;
using Tune.Pipeline.Stores;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Hosting.Verbs;

/// <summary><c>retrain</c>: retrains a sweep's best configuration on all data and publishes it.</summary>
internal sealed class RetrainVerb<TExperiment, TParameters>(HostedExperiment<TExperiment, TParameters> host)
    where TExperiment : IExperiment<TParameters>, new()
    where TParameters : class
{
    private readonly Option<string?> _store = VerbOptions.Store();
    private readonly Option<string?> _sweep = VerbOptions.Sweep();
    private readonly Option<int?> _threadsPerTrial = VerbOptions.ThreadsPerTrial();
    private readonly Option<string?> _artifacts = VerbOptions.Artifacts();
    private readonly Option<string?> _azureContainer = VerbOptions.AzureContainer();
    private readonly Option<string?> _azurePrefix = VerbOptions.AzurePrefix();

    public Command Create()
    {
        var command = new Command("retrain", "Retrain a sweep's best configuration on all data and publish it (model, manifest.json, sweep.lock.json, report.html).")
        {
            _store, _sweep, _threadsPerTrial, _artifacts, _azureContainer, _azurePrefix,
        };
        command.SetAction((result, ct) => RunAsync(
            new SweepArguments
            {
                Store = result.GetValue(_store),
                SweepName = result.GetValue(_sweep),
                ThreadsPerTrial = result.GetValue(_threadsPerTrial),
                Artifacts = result.GetValue(_artifacts),
                AzureContainer = result.GetValue(_azureContainer),
                AzurePrefix = result.GetValue(_azurePrefix),
            },
            ct));
        return command;
    }

    private async Task<int> RunAsync(SweepArguments arguments, CancellationToken cancellationToken)
    {
        var settings = SweepSettings.Resolve(arguments, host.Identity.Name, host.Options.Samplers.Keys, host.Home);
        var publisher = ModelPublisher<TExperiment, TParameters>.Create(host, settings);
        var store = host.OpenExistingStore(settings.Store, settings.SweepName);
        await using (store.ConfigureAwait(false))
        {
            var status = await host.GetSweepAsync(store, settings.Store, settings.SweepName, "Check --sweep and --store.", cancellationToken).ConfigureAwait(false);

            // A sweep file may have narrowed the space, but the recorded values lie in the declared one, which reads them all.
            var trials = await store.GetTrialsAsync(settings.SweepName, host.Space, cancellationToken).ConfigureAwait(false);
            var best = trials.Best(status.Goal)
                ?? throw new UsageException($"Sweep '{settings.SweepName}' in {store.DisplayName} has no completed trial, so there is no best configuration to retrain.");
            var result = new SweepResult(settings.SweepName, [.. trials], best, status.StopReason ?? SweepStopReason.Cancelled);
            var model = new ModelToPublish<TParameters>(host.Space, result, best, status.Seed, status.Goal, status.SamplerName, status.MaxConcurrentTrials)
            {
                WarmStartTrials = await RecordedWarmStartAsync(store, status, cancellationToken).ConfigureAwait(false),
            };
            await publisher.PublishAsync(model, cancellationToken).ConfigureAwait(false);
            return ExperimentHost.Success;
        }
    }

    // The lock file must carry what the sampler was warm-started with, or `tune replay` cannot reproduce the sweep: read
    // again from the sources the sweep recorded. A source that is gone leaves the lock without them, and says so.
    private async Task<IReadOnlyList<Trial>> RecordedWarmStartAsync(SqlSweepStore store, SweepStatus status, CancellationToken cancellationToken)
    {
        var sources = SweepRecord.Read(status, host.Identity).WarmStart ?? [];
        if (sources.Count == 0)
        {
            return [];
        }

        try
        {
            return await WarmStartSources.LoadAsync(sources, store, host.Space, host.Space, host.Output, cancellationToken).ConfigureAwait(false);
        }
        catch (UsageException exception)
        {
            await host.Error.WriteLineAsync($"The lock file will not record the sweep's warm start, so `tune replay` cannot reproduce its configurations: {exception.Message}").ConfigureAwait(false);
            return [];
        }
    }
}
