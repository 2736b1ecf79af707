using System.CommandLine;
using System.Globalization;
using Tune.Pipeline.Hosting.SweepFiles;
using Tune.Pipeline.Reporting;
using Tune.Pipeline.Samplers;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Stores;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Hosting.Verbs;

/// <summary>
/// <c>sweep</c>: runs the sweep's controller and local agent processes until the budget is spent, then retrains the
/// best configuration and publishes it. With <c>--resume</c>, continues a recorded sweep with the settings it was
/// created with.
/// </summary>
internal sealed class SweepVerb<TExperiment, TParameters>(HostedExperiment<TExperiment, TParameters> host)
    where TExperiment : IExperiment<TParameters>, new()
    where TParameters : class
{
    private readonly Option<string?> _store = VerbOptions.Store();
    private readonly Option<string?> _sweep = VerbOptions.Sweep();
    private readonly Option<string?> _leaseTimeout = VerbOptions.LeaseTimeout();
    private readonly Option<int?> _threadsPerTrial = VerbOptions.ThreadsPerTrial();
    private readonly Option<string?> _artifacts = VerbOptions.Artifacts();
    private readonly Option<string?> _azureContainer = VerbOptions.AzureContainer();
    private readonly Option<string?> _azurePrefix = VerbOptions.AzurePrefix();
    private readonly Option<string?> _config = new("--config") { Description = "A sweep file (sweep.yaml): sampler, seed, early stopping, budget, agents, store, tracking, retrain, publish and space overrides. Options given here win over it." };
    private readonly Option<bool> _resume = new("--resume") { Description = "Continue a sweep that exists in the store (after a crash or Ctrl+C) with the settings it was created with; an option given again must agree with them." };
    private readonly Option<int?> _maxTrials = new("--max-trials") { Description = $"The most trials the sweep creates (default {new SweepOptions().MaxTrials})." };
    private readonly Option<int?> _agents = new("--agents") { Description = "Local agent processes to start; 0 waits for remote agents only (default 1)." };
    private readonly Option<string?> _launcher = new("--launcher") { Description = "Where the agents run: local (child processes, the default), slurm (a job array through sbatch) or kubernetes (an Indexed Job); slurm and kubernetes need a postgresql:// --store. See docs/scale-out.md." };
    private readonly Option<long?> _seed = new("--seed") { Description = "The sweep's seed (default 0)." };
    private readonly Option<string?> _sampler = new("--sampler") { Description = $"The sampler: {string.Join(", ", host.Options.Samplers.Keys)} (default {SamplerCatalog.DefaultName})." };
    private readonly Option<int?> _maxConcurrent = new("--max-concurrent-trials") { Description = "Trials queued or running at once (c of docs/reproducibility.md); defaults to one per local agent, two with --expected-trial-duration under 400ms. Set it for remote agents." };
    private readonly Option<string?> _expectedTrialDuration = new("--expected-trial-duration") { Description = "How long a trial takes, roughly (500ms, 2m): trials that short get one more queued per agent, so agents never wait for the next suggestion." };
    private readonly Option<int?> _maxRetries = new("--max-retries") { Description = $"How many times a failed trial (or one whose agent died) runs again (default {SweepSettings.DefaultMaxRetries})." };
    private readonly Option<bool> _noPublish = new("--no-publish") { Description = "Skip retraining the best configuration on all data and publishing it." };
    private readonly Option<string?> _gpus = new("--gpus") { Description = "GPU agents: all (an agent per CUDA device found), none, or device indexes such as 0,2. A machine without a GPU says so and runs CPU agents. Needs Tune.Pipeline.Gpu in the experiment." };
    private readonly Option<int?> _trialsPerGpu = new("--trials-per-gpu") { Description = $"Agents on each GPU, so that a device runs that many trials at once (default 1, at most {SweepSettings.MaxTrialsPerGpu})." };
    private readonly Option<bool> _force = new("--force") { Description = "Start more local agents than this machine has processors." };
    private readonly Option<string[]> _warmStart = new("--warm-start")
    {
        Description = $"Seed the sampler with the finished trials of an earlier sweep: its name in the store, or a path to its sweep.lock.json. Repeatable, up to {WarmStartSources.MaxSources}; trials that do not fit this sweep's space are named and skipped.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    private readonly SweepTrackingOptions _tracking = new();

    public Command Create()
    {
        var command = new Command("sweep", "Run the sweep controller and local agent processes until the budget is spent; then retrain the best configuration and publish it.")
        {
            _config, _store, _sweep, _resume, _maxTrials, _agents, _threadsPerTrial, _seed, _sampler, _leaseTimeout, _maxRetries, _maxConcurrent, _artifacts, _noPublish,
            _azureContainer, _azurePrefix, _force, _expectedTrialDuration, _warmStart, _launcher, _gpus, _trialsPerGpu,
        };
        _tracking.AddTo(command);
        command.SetAction((result, ct) => RunAsync(Read(result), _tracking.Read(result), ct));
        return command;
    }

    private SweepArguments Read(ParseResult result) => new()
    {
        Config = result.GetValue(_config),
        Store = result.GetValue(_store),
        SweepName = result.GetValue(_sweep),
        Resume = result.GetValue(_resume),
        MaxTrials = result.GetValue(_maxTrials),
        Agents = result.GetValue(_agents),
        Launcher = result.GetValue(_launcher),
        ThreadsPerTrial = result.GetValue(_threadsPerTrial),
        Seed = result.GetValue(_seed),
        Sampler = result.GetValue(_sampler),
        LeaseTimeout = result.GetValue(_leaseTimeout) is { } lease ? Durations.Parse(lease, "--lease-timeout") : new SweepArguments().LeaseTimeout,
        ExpectedTrialDuration = result.GetValue(_expectedTrialDuration) is { } expected ? Durations.Parse(expected, "--expected-trial-duration") : null,
        MaxRetries = result.GetValue(_maxRetries),
        MaxConcurrentTrials = result.GetValue(_maxConcurrent),
        Artifacts = result.GetValue(_artifacts),
        NoPublish = result.GetValue(_noPublish),
        AzureContainer = result.GetValue(_azureContainer),
        AzurePrefix = result.GetValue(_azurePrefix),
        Force = result.GetValue(_force),
        Gpus = result.GetValue(_gpus),
        TrialsPerGpu = result.GetValue(_trialsPerGpu),
        WarmStart = result.GetValue(_warmStart) ?? [],
    };

    private async Task<int> RunAsync(SweepArguments arguments, SweepTrackingRequest trackingRequest, CancellationToken cancellationToken)
    {
        var identity = host.Identity;
        var settings = Resolve(arguments, recordedFile: null);
        var store = host.OpenStore(settings.Store);
        var storeOwned = true;
        try
        {
            SweepRecord record;
            if (arguments.Resume)
            {
                (settings, record) = await RestoreAsync(store, settings, arguments, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                record = SweepRecord.Of(settings, identity, settings.Seed ?? new SweepOptions().Seed);
            }

            if (settings.GpuNote is { } gpuNote)
            {
                await host.Output.WriteLineAsync(gpuNote).ConfigureAwait(false);
            }

            var sweepSpace = settings.File?.SpaceOverrides is null ? host.Space : new OverriddenSearchSpace<TParameters>(host.Space, settings.File.ApplySpaceOverrides(host.Space));
            var publisher = settings.Publish ? ModelPublisher<TExperiment, TParameters>.Create(host, settings) : null;

            var builder = new SweepBuilder(settings.SweepName)
                .UseSampler(host.Options.Samplers[settings.Sampler]())
                .UseTimeProvider(host.Time)
                .Configure(o =>
                {
                    // The options Resolve validated, from the command line, the sweep file and the defaults.
                    settings.File?.ApplyTo(o);
                    o.MaxTrials = settings.Options.MaxTrials;
                    o.MaxConcurrentTrials = settings.Options.MaxConcurrentTrials;
                    o.MaxRetries = settings.Options.MaxRetries;
                    o.ThreadsPerTrial = settings.Options.ThreadsPerTrial;
                    o.Goal = identity.Goal;
                    o.Seed = record.Seed;
                    o.OpenMode = arguments.Resume ? SweepOpenMode.Resume : SweepOpenMode.Create;
                    o.Settings = record.ToJson();
                });
            if (settings.EarlyStopping is { } policy)
            {
                builder.UseEarlyStopping(policy);
            }

            // Resolved as every setting is (the command line, then the sweep file); a resume restores the recorded ones.
            if (settings.WarmStart.Count > 0)
            {
                builder.WarmStart(await WarmStartSources.LoadAsync(settings.WarmStart, store, host.Space, sweepSpace, host.Output, cancellationToken).ConfigureAwait(false));
            }

            // Built once before anything is written: what only the experiment's space can refuse (a grid sampler on a
            // continuous parameter, say) exits 2 with the store untouched.
            builder.Build(sweepSpace);

            var session = await SweepSession.OpenAsync(
                store, settings, identity, trackingRequest, arguments.LeaseTimeout, host.Home, host.Time, host.Output, host.Error, cancellationToken).ConfigureAwait(false);

            // The session owns the store from here on.
            storeOwned = false;
            await using (session.ConfigureAwait(false))
            {
                // One controller per sweep: claimed before the sweep is created or resumed, released when it ends.
                var claim = await ControllerClaim.AcquireAsync(host.OpenStore(settings.Store), settings.SweepName, host.Time, cancellationToken).ConfigureAwait(false);
                await using (claim.ConfigureAwait(false))
                {
                    var sweep = builder.UseStore(session.Store).Build(sweepSpace);
                    return await RunSessionAsync(session, sweep, sweepSpace, settings, publisher, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            if (storeOwned)
            {
                await store.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<int> RunSessionAsync(
        SweepSession session, Sweep sweep, SearchSpace<TParameters> sweepSpace, SweepSettings settings, ModelPublisher<TExperiment, TParameters>? publisher, CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = session.Progress.RunAsync(ct => sweep.RunAsync(session.Agent, ct), failed.Token);
        if (await Task.WhenAny(running, session.NoAgentCanRun).ConfigureAwait(false) != running)
        {
            var why = await session.NoAgentCanRun.ConfigureAwait(false);
            await failed.CancelAsync().ConfigureAwait(false);
            try
            {
                await running.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Expected: the sweep was cancelled because no agent could run.
            }

            await session.StopAgentsAsync().ConfigureAwait(false);
            await host.Error.WriteLineAsync($"Sweep '{settings.SweepName}' stopped: no agent could run: {why}").ConfigureAwait(false);
            return ExperimentHost.SweepFailed;
        }

        SweepResult result;
        try
        {
            result = await running.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await session.StopAgentsAsync().ConfigureAwait(false);

            // MLflow is told too (interrupted trials KILLED), within the same bounded wait as at a normal end.
            await session.Tracking.FinishAsync(CancellationToken.None).ConfigureAwait(false);
            await WriteInterruptedAsync(settings).ConfigureAwait(false);
            return ExperimentHost.Interrupted;
        }

        await session.StopAgentsAsync().ConfigureAwait(false);
        SweepSummary.Write(session.Console, result, host.Identity.ObjectiveMetric, sweep.Goal, maxRows: 10);
        await WriteSummaryAsync(result).ConfigureAwait(false);
        await session.Tracking.FinishAsync(cancellationToken).ConfigureAwait(false);
        if (publisher is not null && result.BestTrial is { } best)
        {
            var model = new ModelToPublish<TParameters>(sweepSpace, result, best, sweep.Seed, sweep.Goal, SamplerCatalog.NameOf(sweep.Sampler), sweep.MaxConcurrentTrials)
            {
                WarmStartTrials = sweep.WarmStartTrials,
            };
            var published = await publisher.PublishAsync(model, cancellationToken).ConfigureAwait(false);
            if (!await session.Tracking.RegisterModelAsync(published, cancellationToken).ConfigureAwait(false))
            {
                return ExperimentHost.EnvironmentError;
            }
        }

        return ExperimentHost.Success;
    }

    private SweepSettings Resolve(SweepArguments arguments, SweepFile? recordedFile) =>
        SweepSettings.Resolve(arguments, host.Identity.Name, host.Options.Samplers.Keys, host.Home, recordedFile, OptionalPackages.GpuDiscovery());

    // A resume runs with what the sweep recorded; what the command line or a sweep file gives again must agree with it.
    private async Task<(SweepSettings Settings, SweepRecord Record)> RestoreAsync(
        SqlSweepStore store, SweepSettings given, SweepArguments arguments, CancellationToken cancellationToken)
    {
        var status = await host.GetSweepAsync(store, given.Store, given.SweepName, "Leave out --resume to start it.", cancellationToken).ConfigureAwait(false);
        var record = SweepRecord.Read(status, host.Identity);
        var problems = new List<string>();
        if (status.Goal != host.Identity.Goal)
        {
            problems.Add($"goal: recorded {status.Goal}, the experiment now declares {host.Identity.Goal}");
        }

        if (!string.Equals(record.ObjectiveMetric, host.Identity.ObjectiveMetric, StringComparison.Ordinal))
        {
            problems.Add($"objective: recorded '{record.ObjectiveMetric}', the experiment now declares '{host.Identity.ObjectiveMetric}'");
        }

        var recordedFile = record.ReadSweepFile();
        var recorded = Resolve(record.ToArguments(arguments), recordedFile);

        // What is given now wins over the record (the command line, then a sweep file given again), so that a given
        // value that differs shows up below as a difference; what neither gives is the recorded value.
        var givenFile = arguments.Config is { } path ? SweepFileParser.Load(path, []) : null;
        var resumed = Resolve(
            record.ToArguments(arguments) with
            {
                Config = arguments.Config,
                MaxTrials = arguments.MaxTrials ?? givenFile?.Budget.MaxTrials ?? record.MaxTrials,
                MaxConcurrentTrials = arguments.MaxConcurrentTrials ?? givenFile?.Budget.MaxConcurrentTrials ?? record.MaxConcurrentTrials,
                Agents = arguments.Agents ?? givenFile?.Agents.CpuSlotGroups ?? record.Agents,
                Launcher = arguments.Launcher ?? givenFile?.Agents.Launcher ?? record.Launcher,
                ThreadsPerTrial = arguments.ThreadsPerTrial ?? givenFile?.Agents.ThreadsPerTrial ?? record.ThreadsPerTrial,
                MaxRetries = arguments.MaxRetries ?? givenFile?.Budget.MaxRetries ?? record.MaxRetries,
                Seed = arguments.Seed ?? givenFile?.Seed ?? record.Seed,
                Sampler = arguments.Sampler ?? givenFile?.Sampler ?? record.Sampler,
                WarmStart = arguments.WarmStart.Count > 0 ? arguments.WarmStart : givenFile?.WarmStart is { Count: > 0 } fileSources ? fileSources : record.WarmStart ?? [],
                Gpus = arguments.Gpus ?? givenFile?.Agents.GpuText ?? record.Gpus ?? "none",
                TrialsPerGpu = arguments.TrialsPerGpu ?? givenFile?.Agents.GpuTrialsPerDevice ?? record.TrialsPerGpu,
            },
            recordedFile);
        problems.AddRange(SweepRecord.Differences(recorded, resumed));
        if (problems.Count > 0)
        {
            throw new UsageException(
                $"Sweep '{given.SweepName}' in {store.DisplayName} cannot be resumed with other settings than it was created with:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", problems)}{Environment.NewLine}Leave those options out to resume it as recorded, or start a new sweep with --sweep.");
        }

        await host.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Resuming sweep '{given.SweepName}' as recorded: max-trials {resumed.MaxTrials}, agents {resumed.Agents}, launcher {resumed.Launcher}, max-concurrent-trials {resumed.MaxConcurrentTrials}, sampler {resumed.Sampler}, seed {record.Seed}{(record.SweepFileName is { } file ? $", sweep file {file}" : string.Empty)}.")).ConfigureAwait(false);
        return (resumed, record);
    }

    private async Task WriteInterruptedAsync(SweepSettings settings)
    {
        // The sweep's own token is spent: read the store without it, briefly.
        var store = host.OpenStore(settings.Store);
        await using (store.ConfigureAwait(false))
        {
            var status = await store.GetSweepStatusAsync(settings.SweepName, CancellationToken.None).ConfigureAwait(false);
            var done = status is null ? 0 : status.TrialCounts.GetValueOrDefault(TrialState.Completed) + status.TrialCounts.GetValueOrDefault(TrialState.Pruned) + status.TrialCounts.GetValueOrDefault(TrialState.Failed);
            var pending = status?.TrialCounts.GetValueOrDefault(TrialState.Pending) ?? 0;
            await host.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Sweep '{settings.SweepName}' stopped: {done} trials finished, {pending} interrupted or waiting. Continue it with: {host.ResumeCommand(settings.SweepName, settings.Store)}")).ConfigureAwait(false);
        }
    }

    private async Task WriteSummaryAsync(SweepResult result)
    {
        var completed = result.Trials.Count(t => t.State == TrialState.Completed);
        await host.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Sweep '{result.SweepName}' ended ({result.StopReason}): {result.Trials.Length} trials, {completed} completed.")).ConfigureAwait(false);
        if (result.BestTrial is { } best)
        {
            await host.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Best trial {best.Number}: {best.Value:R} ({best.Configuration})")).ConfigureAwait(false);
        }
    }
}
