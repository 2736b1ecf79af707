using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Tune.Pipeline.Hosting.SweepFiles;
using Tune.Pipeline.Publishing;
using Tune.Pipeline.Publishing.Azure;
using Tune.Pipeline.Reporting;
using Tune.Pipeline.Samplers;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Stores;
using Tune.Pipeline.Stores.Sqlite;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Hosting;

/// <summary>The verbs of an experiment's executable, bound to one experiment.</summary>
internal sealed class HostCommands<TExperiment, TParameters>(
    SearchSpace<TParameters> space, ExperimentHostOptions options, string experimentName, TextWriter output, TextWriter error)
    where TExperiment : IExperiment<TParameters>, new()
    where TParameters : class
{
    private readonly Option<string?> _store = new("--store")
    {
        Description = $"The sweep store: a SQLite file path, or postgresql://user@host:port/database for agents on several machines (default {SqliteSweepStore.DefaultPath}).",
    };

    private readonly Option<string?> _sweep = new("--sweep") { Description = "The sweep's name; defaults to the experiment's name." };
    private readonly Option<string> _leaseTimeout = new("--lease-timeout")
    {
        Description = "How long an agent may go without a heartbeat before its trial is reclaimed (30s, 500ms, 2m).",
        DefaultValueFactory = _ => "30s",
    };

    private readonly Option<int?> _threadsPerTrial = new("--threads-per-trial") { Description = "Threads each trial may use; defaults to the processor count divided by the agents." };
    private readonly Option<string?> _artifacts = new("--artifacts") { Description = "Where the best configuration's retrained model is published, under <experiment>/ (default artifacts)." };
    private readonly Option<string?> _azureContainer = new("--azure-container")
    {
        Description = $"Also upload the published folder to this Azure Blob Storage container; the connection string or SAS URL is read from {SweepSettings.DefaultAzureCredentialVariable}.",
    };

    private readonly Option<string?> _azurePrefix = new("--azure-prefix") { Description = "The blob prefix the published files go under (default: the experiment's name)." };

    public RootCommand Create()
    {
        var root = new RootCommand($"The {experimentName} experiment: sweep its hyperparameters, join a sweep as an agent, retrain a sweep's best configuration, or show a sweep's status.");
        root.Subcommands.Add(CreateSweep());
        root.Subcommands.Add(CreateAgent());
        root.Subcommands.Add(CreateRetrain());
        root.Subcommands.Add(CreateStatus());
        return root;
    }

    private Command CreateSweep()
    {
        var config = new Option<string?>("--config") { Description = "A sweep file (sweep.yaml): sampler, seed, early stopping, budget, agents, store, tracking, retrain, publish and space overrides. Options given here win over it." };
        var resume = new Option<bool>("--resume") { Description = "Continue a sweep that exists in the store (after a crash or Ctrl+C)." };
        var maxTrials = new Option<int?>("--max-trials") { Description = "The most trials the sweep creates (default 100)." };
        var agents = new Option<int?>("--agents") { Description = "Local agent processes to start; 0 waits for remote agents only (default 1)." };
        var seed = new Option<long?>("--seed") { Description = "The sweep's seed (default 0); a resumed sweep keeps its own." };
        var sampler = new Option<string?>("--sampler") { Description = $"The sampler: {string.Join(", ", options.Samplers.Keys)} (default {SamplerCatalog.DefaultName})." };
        var maxConcurrent = new Option<int?>("--max-concurrent-trials") { Description = "Trials queued or running at once; defaults to 4 per local agent (at least 4). Set it for remote agents." };
        var maxRetries = new Option<int?>("--max-retries") { Description = "How many times a failed trial (or one whose agent died) runs again (default 2)." };
        var noPublish = new Option<bool>("--no-publish") { Description = "Skip retraining the best configuration on all data and publishing it." };
        var command = new Command("sweep", "Run the sweep controller and local agent processes until the budget is spent; then retrain the best configuration and publish it.")
        {
            config, _store, _sweep, resume, maxTrials, agents, _threadsPerTrial, seed, sampler, _leaseTimeout, maxRetries, maxConcurrent, _artifacts, noPublish, _azureContainer, _azurePrefix,
        };
        var tracking = new SweepTrackingOptions();
        tracking.AddTo(command);
        command.SetAction((result, ct) => SweepAsync(
            PublishArguments(result) with
            {
                Config = result.GetValue(config),
                Resume = result.GetValue(resume),
                MaxTrials = result.GetValue(maxTrials),
                Agents = result.GetValue(agents),
                Seed = result.GetValue(seed),
                Sampler = result.GetValue(sampler),
                LeaseTimeout = ExperimentHost.ParseDuration(result.GetValue(_leaseTimeout)!),
                MaxRetries = result.GetValue(maxRetries),
                MaxConcurrentTrials = result.GetValue(maxConcurrent),
                NoPublish = result.GetValue(noPublish),
            },
            tracking.Read(result),
            ct));
        return command;
    }

    private Command CreateAgent()
    {
        var exitWithParent = new Option<bool>("--exit-with-parent") { Hidden = true, Description = "Exit when standard input closes (set for child agents)." };
        var wait = new Option<string>("--wait") { Description = "How long to wait for the sweep to appear in the store.", DefaultValueFactory = _ => "60s" };
        var command = new Command("agent", "Join a sweep: prepare the data once, then lease and run trials until the sweep is closed.")
        {
            _store, _sweep, _threadsPerTrial, _leaseTimeout, wait, exitWithParent,
        };
        command.SetAction((result, ct) => AgentAsync(
            result.GetValue(_store) ?? SqliteSweepStore.DefaultPath, result.GetValue(_sweep) ?? experimentName, result.GetValue(_threadsPerTrial), ExperimentHost.ParseDuration(result.GetValue(_leaseTimeout)!),
            ExperimentHost.ParseDuration(result.GetValue(wait)!), result.GetValue(exitWithParent), ct));
        return command;
    }

    private Command CreateRetrain()
    {
        var command = new Command("retrain", "Retrain a sweep's best configuration on all data and publish it (model, manifest.json, sweep.lock.json, report.html).")
        {
            _store, _sweep, _threadsPerTrial, _artifacts, _azureContainer, _azurePrefix,
        };
        command.SetAction((result, ct) => RetrainAsync(
            PublishArguments(result),
            ct));
        return command;
    }

    // The options the sweep and retrain verbs share: where the store and sweep are, and where the model goes.
    private SweepArguments PublishArguments(ParseResult result) => new()
    {
        Store = result.GetValue(_store),
        SweepName = result.GetValue(_sweep),
        ThreadsPerTrial = result.GetValue(_threadsPerTrial),
        Artifacts = result.GetValue(_artifacts),
        AzureContainer = result.GetValue(_azureContainer),
        AzurePrefix = result.GetValue(_azurePrefix),
    };

    private Command CreateStatus()
    {
        var command = new Command("status", "Show a sweep's trials by state and its best trial.") { _store, _sweep };
        command.SetAction((result, ct) => StatusAsync(result.GetValue(_store) ?? SqliteSweepStore.DefaultPath, result.GetValue(_sweep) ?? experimentName, ct));
        return command;
    }

    private async Task<int> SweepAsync(SweepArguments arguments, SweepTrackingRequest trackingRequest, CancellationToken cancellationToken)
    {
        var settings = SweepSettings.Resolve(arguments, experimentName, options.Samplers.Keys);
        var sweepSpace = settings.File?.SpaceOverrides is null ? space : new OverriddenSearchSpace<TParameters>(space, settings.File.ApplySpaceOverrides(space));

        // Checked before the sweep, not after it: a publish that cannot upload must not cost the sweep.
        var azure = settings.Publish && settings.Azure is { } target ? CreateAzurePublisher(target) : null;
        var time = options.TimeProvider;
        var store = ExperimentHost.OpenStore(settings.Store, time);
        await using (store.ConfigureAwait(false))
        {
            // Only for the seed a resume keeps; whether the sweep may be created or resumed is the store's to decide, atomically.
            var existing = arguments.Resume ? await store.GetSweepStatusAsync(settings.SweepName, cancellationToken).ConfigureAwait(false) : null;

            // A --tracking-uri wins over the sweep file's tracking.mlflow, which wins over MLFLOW_TRACKING_URI.
            var request = trackingRequest with { TrackingUri = trackingRequest.TrackingUri ?? settings.TrackingUri?.AbsoluteUri };
            var tracking = await SweepTracking.StartAsync(
                request, settings.Store, settings.SweepName, experimentName, options.ObjectiveMetric, settings.Publish, time, output, error, cancellationToken).ConfigureAwait(false);
            await using var trackingScope = tracking.ConfigureAwait(false);

            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
            var progress = new SweepProgress(console, new SweepProgressOptions
            {
                Experiment = experimentName,
                ObjectiveMetric = options.ObjectiveMetric,
                Goal = options.Goal,
                MaxTrials = settings.MaxTrials,
            }, time);
            var builder = new SweepBuilder(settings.SweepName)
                .UseSampler(options.Samplers[settings.Sampler]())
                .UseStore(progress.Observe(store))
                .UseTimeProvider(time)
                .Configure(o =>
                {
                    settings.File?.ApplyTo(o);
                    o.Goal = options.Goal;
                    o.Seed = existing?.Seed ?? settings.Seed ?? 0;
                    o.OpenMode = arguments.Resume ? SweepOpenMode.Resume : SweepOpenMode.Create;
                    o.MaxTrials = settings.MaxTrials;
                    o.MaxConcurrentTrials = settings.MaxConcurrentTrials;
                    o.MaxRetries = settings.MaxRetries;
                    o.ThreadsPerTrial = settings.ThreadsPerTrial;
                });
            if (settings.EarlyStopping is { } policy)
            {
                builder.UseEarlyStopping(policy);
            }

            var sweep = builder.Build(sweepSpace);
            var agent = new StoreTrialAgent(store, settings.SweepName, arguments.LeaseTimeout);
            await using (agent.ConfigureAwait(false))
            {
                var supervisor = new AgentSupervisor(
                    [
                        "agent", "--store", settings.Store, "--sweep", settings.SweepName, "--threads-per-trial", settings.ThreadsPerTrial.ToString(CultureInfo.InvariantCulture),
                        "--lease-timeout", arguments.LeaseTimeout.ToString("c", CultureInfo.InvariantCulture), "--exit-with-parent",
                    ],
                    error,
                    time);
                await using (supervisor.ConfigureAwait(false))
                {
                    using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    supervisor.Start(settings.Agents);
                    var running = progress.RunAsync(ct => sweep.RunAsync(agent, ct), failed.Token);
                    if (await Task.WhenAny(running, supervisor.AllGaveUp.Task).ConfigureAwait(false) != running)
                    {
                        await failed.CancelAsync().ConfigureAwait(false);
                        try
                        {
                            await running.ConfigureAwait(false);
                        }
                        catch (OperationCanceledException)
                        {
                            // Expected: the sweep was cancelled because no agent could run.
                        }

                        await error.WriteLineAsync($"Sweep '{settings.SweepName}' stopped: no agent could run. See the agents' output above.").ConfigureAwait(false);
                        return ExperimentHost.SweepFailed;
                    }

                    SweepResult result;
                    try
                    {
                        result = await running.ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        await supervisor.StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);

                        // MLflow is told too (interrupted trials KILLED), within the same bounded wait as at a normal end.
                        await tracking.FinishAsync(CancellationToken.None).ConfigureAwait(false);
                        await WriteInterruptedAsync(store, settings).ConfigureAwait(false);
                        return ExperimentHost.Interrupted;
                    }

                    await supervisor.StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                    SweepSummary.Write(console, result, options.ObjectiveMetric, sweep.Goal, maxRows: 10);
                    await WriteSummaryAsync(result).ConfigureAwait(false);
                    await tracking.FinishAsync(cancellationToken).ConfigureAwait(false);
                    if (settings.Publish && result.BestTrial is { } best)
                    {
                        var model = new ModelToPublish(sweepSpace, result, best, sweep.Seed, sweep.Goal, SamplerCatalog.NameOf(sweep.Sampler));
                        var published = await PublishAsync(model, settings, azure, cancellationToken).ConfigureAwait(false);
                        if (!await tracking.RegisterModelAsync(published, cancellationToken).ConfigureAwait(false))
                        {
                            return ExperimentHost.EnvironmentError;
                        }
                    }

                    return ExperimentHost.Success;
                }
            }
        }
    }

    private async Task WriteInterruptedAsync(SqlSweepStore store, SweepSettings settings)
    {
        // The sweep's own token is spent: read the store without it, briefly.
        var status = await store.GetSweepStatusAsync(settings.SweepName, CancellationToken.None).ConfigureAwait(false);
        var done = status is null ? 0 : status.TrialCounts.GetValueOrDefault(TrialState.Completed) + status.TrialCounts.GetValueOrDefault(TrialState.Pruned) + status.TrialCounts.GetValueOrDefault(TrialState.Failed);
        var pending = status?.TrialCounts.GetValueOrDefault(TrialState.Pending) ?? 0;
        var storeOption = string.Equals(settings.Store, SqliteSweepStore.DefaultPath, StringComparison.Ordinal) ? string.Empty : $" --store {settings.Store}";
        await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Sweep '{settings.SweepName}' stopped: {done} trials finished, {pending} interrupted or waiting. Continue it with: sweep --sweep {settings.SweepName}{storeOption} --resume")).ConfigureAwait(false);
    }

    private async Task<int> AgentAsync(string storeText, string sweepName, int? threadsPerTrial, TimeSpan leaseTimeout, TimeSpan wait, bool exitWithParent, CancellationToken cancellationToken)
    {
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (exitWithParent)
        {
            // The parent holds the other end of our standard input; end of input means the parent is gone.
            _ = Task.Run(
                async () =>
                {
#pragma warning disable RS0030 // A child agent watches its own standard input.
                    using var input = Console.OpenStandardInput();
#pragma warning restore RS0030
                    var buffer = new byte[64];
                    while (await input.ReadAsync(buffer, CancellationToken.None).ConfigureAwait(false) > 0)
                    {
                    }

                    await shutdown.CancelAsync().ConfigureAwait(false);
                },
                CancellationToken.None);
        }

        var store = ExperimentHost.OpenStore(storeText, options.TimeProvider);
        await using (store.ConfigureAwait(false))
        {
            var threads = threadsPerTrial ?? Environment.ProcessorCount;
            var loop = new TrialAgentLoop<TParameters>(store, sweepName, new TExperiment(), space, threads, leaseTimeout, Path.Combine("artifacts", sweepName));
            try
            {
                if (!await loop.RunAsync(wait, shutdown.Token).ConfigureAwait(false))
                {
                    throw new UsageException($"Sweep '{sweepName}' did not appear in {store.DisplayName} within {wait.TotalSeconds:0} s. Start it with `sweep --sweep {sweepName}`, or check --store.");
                }
            }
            catch (OperationCanceledException) when (shutdown.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // The parent died: leave quietly; the lease of any trial in hand expires and is reclaimed.
                return ExperimentHost.Success;
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Agent {loop.Owner} ran {loop.TrialsRun} trials; sweep '{sweepName}' is closed.")).ConfigureAwait(false);
            return ExperimentHost.Success;
        }
    }

    private async Task<int> StatusAsync(string storeText, string sweepName, CancellationToken cancellationToken)
    {
        var store = ExperimentHost.OpenStore(storeText, options.TimeProvider);
        await using (store.ConfigureAwait(false))
        {
            var status = await store.GetSweepStatusAsync(sweepName, cancellationToken).ConfigureAwait(false)
                ?? throw new UsageException($"Sweep '{sweepName}' does not exist in {store.DisplayName}. Check --sweep and --store.");
            var state = status.IsClosed ? $"closed ({status.StopReason})" : "open";
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

    private async Task<int> RetrainAsync(SweepArguments arguments, CancellationToken cancellationToken)
    {
        var settings = SweepSettings.Resolve(arguments, experimentName, options.Samplers.Keys);
        var azure = settings.Azure is { } target ? CreateAzurePublisher(target) : null;
        var store = ExperimentHost.OpenStore(settings.Store, options.TimeProvider);
        await using (store.ConfigureAwait(false))
        {
            var status = await store.GetSweepStatusAsync(settings.SweepName, cancellationToken).ConfigureAwait(false)
                ?? throw new UsageException($"Sweep '{settings.SweepName}' does not exist in {store.DisplayName}. Check --sweep and --store.");

            // A sweep file may have narrowed the space, but the recorded values lie in the declared one, which reads them all.
            var trials = await store.GetTrialsAsync(settings.SweepName, space, cancellationToken).ConfigureAwait(false);
            var best = trials.Best(status.Goal)
                ?? throw new UsageException($"Sweep '{settings.SweepName}' in {store.DisplayName} has no completed trial, so there is no best configuration to retrain.");
            var result = new SweepResult(settings.SweepName, [.. trials], best, status.StopReason ?? SweepStopReason.Cancelled);
            await PublishAsync(new ModelToPublish(space, result, best, status.Seed, status.Goal, status.SamplerName), settings, azure, cancellationToken).ConfigureAwait(false);
            return ExperimentHost.Success;
        }
    }

    /// <summary>
    /// Retrains the best configuration on all data in this process and publishes the model with its manifest, lock file
    /// and report under <c>&lt;artifacts&gt;/&lt;experiment&gt;/</c>; then uploads that folder when asked.
    /// </summary>
    private async Task<PublishedArtifacts> PublishAsync(ModelToPublish model, SweepSettings settings, AzureBlobPublisher? azure, CancellationToken cancellationToken)
    {
        var staging = Directory.CreateTempSubdirectory("tune-retrain-");
        try
        {
            // The best trial's own seed, so that the retrained model draws what the trial drew.
            var context = new ExperimentContext { Seed = model.Best.Seed, Threads = settings.ThreadsPerTrial, ArtifactsDirectory = staging.FullName };
            var experiment = new TExperiment();
            await experiment.PrepareAsync(context, cancellationToken).ConfigureAwait(false);
            await experiment.RetrainAsync(model.Space.ToParameters(model.Best.Configuration), context, cancellationToken).ConfigureAwait(false);

            var dataFingerprint = options.DataFiles.Count > 0
                ? await DataFingerprint.OfFilesAsync(options.DataFiles, cancellationToken).ConfigureAwait(false)
                : null;
            var request = new PublishRequest
            {
                Experiment = experimentName,
                ObjectiveMetric = options.ObjectiveMetric,
                Space = model.Space,
                Result = model.Result,
                Seed = model.Seed,
                Goal = model.Goal,
                SamplerName = model.SamplerName,
                ModelDirectory = staging.FullName,
                DataFingerprint = dataFingerprint,
                ArtifactsRoot = settings.Artifacts,
            };
            var published = await new ArtifactPublisher(options.TimeProvider).PublishAsync(request, cancellationToken).ConfigureAwait(false);
            var report = new HtmlReportOptions { Experiment = experimentName, ObjectiveMetric = options.ObjectiveMetric, Goal = model.Goal };
            await HtmlReport.WriteAsync(Path.Combine(published.Directory, HtmlReport.FileName), model.Result, report, options.TimeProvider, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Retrained trial {model.Best.Number}'s configuration on all data; published {string.Join(", ", published.ModelFiles.Select(Path.GetFileName))}, manifest.json, sweep.lock.json and report.html to {published.Directory}")).ConfigureAwait(false);
            if (azure is not null)
            {
                var upload = await azure.UploadDirectoryAsync(published.Directory, cancellationToken).ConfigureAwait(false);

                // The container's URL carries no SAS token: safe to print.
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Uploaded {upload.BlobNames.Length} files to {upload.ContainerUri}")).ConfigureAwait(false);
            }

            return published;
        }
        finally
        {
            staging.Delete(recursive: true);
        }
    }

    private static AzureBlobPublisher CreateAzurePublisher(AzureTarget target)
    {
        var secret = Environment.GetEnvironmentVariable(target.CredentialVariable);
        if (string.IsNullOrEmpty(secret) && target.ServiceUri is null)
        {
            throw new UsageException(
                $"Uploading to Azure Blob Storage needs a connection string or SAS URL in the environment variable {target.CredentialVariable}, or publish.azure.service-uri in the sweep file for DefaultAzureCredential. Set one, or leave out the Azure container.");
        }

        var isSasUrl = secret is not null && Uri.TryCreate(secret, UriKind.Absolute, out var url) && url.Scheme is "https" or "http";
        var azureOptions = new AzureBlobPublishOptions
        {
            ConnectionString = isSasUrl || string.IsNullOrEmpty(secret) ? null : secret,
            SasUri = isSasUrl ? new Uri(secret!) : null,
            ServiceUri = string.IsNullOrEmpty(secret) ? target.ServiceUri : null,
            Container = target.Container,
            Prefix = target.Prefix,
        };
        try
        {
            return new AzureBlobPublisher(azureOptions);
        }
        catch (ArgumentException exception)
        {
            // The publisher's messages name no secret.
            throw new UsageException($"The Azure upload settings are not usable: {exception.Message}");
        }
    }

    private async Task WriteSummaryAsync(SweepResult result)
    {
        var completed = result.Trials.Count(t => t.State == TrialState.Completed);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Sweep '{result.SweepName}' ended ({result.StopReason}): {result.Trials.Length} trials, {completed} completed.")).ConfigureAwait(false);
        if (result.BestTrial is { } best)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Best trial {best.Number}: {best.Value:R} ({best.Configuration})")).ConfigureAwait(false);
        }
    }

    /// <summary>What a publish needs: the swept space, the sweep's outcome and its best trial.</summary>
    private sealed record ModelToPublish(SearchSpace<TParameters> Space, SweepResult Result, Trial Best, long Seed, Goal Goal, string SamplerName);
}
