using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Tune.Pipeline.Publishing;
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
    private readonly Option<string> _store = new("--store")
    {
        Description = "The sweep store: a SQLite file path, or postgresql://user@host:port/database for agents on several machines.",
        DefaultValueFactory = _ => SqliteSweepStore.DefaultPath,
    };

    private readonly Option<string?> _sweep = new("--sweep") { Description = "The sweep's name; defaults to the experiment's name." };
    private readonly Option<string> _leaseTimeout = new("--lease-timeout")
    {
        Description = "How long an agent may go without a heartbeat before its trial is reclaimed (30s, 500ms, 2m).",
        DefaultValueFactory = _ => "30s",
    };

    private readonly Option<int?> _threadsPerTrial = new("--threads-per-trial") { Description = "Threads each trial may use; defaults to the processor count divided by the agents." };

    public RootCommand Create()
    {
        var root = new RootCommand($"The {experimentName} experiment: sweep its hyperparameters, join a sweep as an agent, or show a sweep's status.");
        root.Subcommands.Add(CreateSweep());
        root.Subcommands.Add(CreateAgent());
        root.Subcommands.Add(CreateStatus());
        return root;
    }

    private Command CreateSweep()
    {
        var resume = new Option<bool>("--resume") { Description = "Continue a sweep that exists in the store (after a crash or a stop)." };
        var maxTrials = new Option<int>("--max-trials") { Description = "The most trials the sweep creates.", DefaultValueFactory = _ => 100 };
        var agents = new Option<int>("--agents") { Description = "Local agent processes to start; 0 waits for remote agents only.", DefaultValueFactory = _ => 1 };
        var seed = new Option<long?>("--seed") { Description = "The sweep's seed; a resumed sweep keeps its own." };
        var sampler = new Option<string>("--sampler")
        {
            Description = $"The sampler: {string.Join(", ", options.Samplers.Keys)}.",
            DefaultValueFactory = _ => SamplerCatalog.DefaultName,
        };
        var maxConcurrent = new Option<int?>("--max-concurrent-trials") { Description = "Trials queued or running at once; defaults to 4 per local agent (at least 4). Set it for remote agents." };
        var maxRetries = new Option<int>("--max-retries") { Description = "How many times a failed trial (or one whose agent died) runs again.", DefaultValueFactory = _ => 2 };
        var artifacts = new Option<string>("--artifacts") { Description = "Where the best configuration's retrained model is published, under <experiment>/.", DefaultValueFactory = _ => "artifacts" };
        var noPublish = new Option<bool>("--no-publish") { Description = "Skip retraining the best configuration on all data and publishing it." };
        var command = new Command("sweep", "Run the sweep controller and local agent processes until the budget is spent.")
        {
            _store, _sweep, resume, maxTrials, agents, _threadsPerTrial, seed, sampler, _leaseTimeout, maxRetries, maxConcurrent, artifacts, noPublish,
        };
        var tracking = new SweepTrackingOptions();
        tracking.AddTo(command);
        command.SetAction((result, ct) => SweepAsync(
            new SweepArguments(
                result.GetValue(_store)!, result.GetValue(_sweep) ?? experimentName, result.GetValue(resume), result.GetValue(maxTrials), result.GetValue(agents),
                result.GetValue(_threadsPerTrial), result.GetValue(seed), result.GetValue(sampler)!, ExperimentHost.ParseDuration(result.GetValue(_leaseTimeout)!), result.GetValue(maxRetries),
                result.GetValue(maxConcurrent), result.GetValue(artifacts)!, result.GetValue(noPublish)),
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
            result.GetValue(_store)!, result.GetValue(_sweep) ?? experimentName, result.GetValue(_threadsPerTrial), ExperimentHost.ParseDuration(result.GetValue(_leaseTimeout)!),
            ExperimentHost.ParseDuration(result.GetValue(wait)!), result.GetValue(exitWithParent), ct));
        return command;
    }

    private Command CreateStatus()
    {
        var command = new Command("status", "Show a sweep's trials by state and its best trial.") { _store, _sweep };
        command.SetAction((result, ct) => StatusAsync(result.GetValue(_store)!, result.GetValue(_sweep) ?? experimentName, ct));
        return command;
    }

    private async Task<int> SweepAsync(SweepArguments arguments, SweepTrackingRequest trackingRequest, CancellationToken cancellationToken)
    {
        if (arguments.MaxTrials < 1 || arguments.Agents < 0 || arguments.MaxRetries < 0 || arguments.ThreadsPerTrial is < 1 || arguments.MaxConcurrentTrials is < 1 or > 4096)
        {
            throw new UsageException("--max-trials and --threads-per-trial must be at least 1, --max-concurrent-trials between 1 and 4096, --agents and --max-retries at least 0.");
        }

        if (!options.Samplers.TryGetValue(arguments.Sampler, out var samplerFactory))
        {
            throw new UsageException($"'{arguments.Sampler}' is not a sampler. Use one of: {string.Join(", ", options.Samplers.Keys)}.");
        }

        var time = options.TimeProvider;
        var store = ExperimentHost.OpenStore(arguments.Store, time);
        await using (store.ConfigureAwait(false))
        {
            var existing = await store.GetSweepStatusAsync(arguments.SweepName, cancellationToken).ConfigureAwait(false);
            if (existing is not null && !arguments.Resume)
            {
                throw new UsageException($"Sweep '{arguments.SweepName}' already exists in {store.DisplayName}. Pass --resume to continue it, or name a new one with --sweep.");
            }

            if (existing is null && arguments.Resume)
            {
                throw new UsageException($"Sweep '{arguments.SweepName}' does not exist in {store.DisplayName}, so it cannot be resumed. Leave out --resume to start it.");
            }

            var tracking = await SweepTracking.StartAsync(
                trackingRequest, arguments.Store, arguments.SweepName, experimentName, options.ObjectiveMetric, !arguments.NoPublish, time, output, error, cancellationToken).ConfigureAwait(false);
            await using var trackingScope = tracking.ConfigureAwait(false);
            var agentCount = arguments.Agents;
            var threads = arguments.ThreadsPerTrial ?? Math.Max(1, Environment.ProcessorCount / Math.Max(1, agentCount));

            // Four trials in flight per agent: an agent that finishes one finds the next queued even while the controller is
            // still recording the last result (measured: the trivial-objective throughput rose by half over two per agent).
            var concurrency = arguments.MaxConcurrentTrials ?? Math.Max(4, 4 * agentCount);
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
            var progress = new SweepProgress(console, new SweepProgressOptions
            {
                Experiment = experimentName,
                ObjectiveMetric = options.ObjectiveMetric,
                Goal = options.Goal,
                MaxTrials = arguments.MaxTrials,
            }, time);
            var sweep = new SweepBuilder(arguments.SweepName)
                .UseSampler(samplerFactory())
                .UseStore(progress.Observe(store))
                .UseTimeProvider(time)
                .Configure(o =>
                {
                    o.Goal = options.Goal;
                    o.Seed = existing?.Seed ?? arguments.Seed ?? 0;
                    o.MaxTrials = arguments.MaxTrials;
                    o.MaxConcurrentTrials = concurrency;
                    o.MaxRetries = arguments.MaxRetries;
                    o.ThreadsPerTrial = threads;
                })
                .Build(space);

            var agent = new StoreTrialAgent(store, arguments.SweepName, arguments.LeaseTimeout);
            await using (agent.ConfigureAwait(false))
            {
                var supervisor = new AgentSupervisor(
                    [
                        "agent", "--store", arguments.Store, "--sweep", arguments.SweepName, "--threads-per-trial", threads.ToString(CultureInfo.InvariantCulture),
                        "--lease-timeout", arguments.LeaseTimeout.ToString("c", CultureInfo.InvariantCulture), "--exit-with-parent",
                    ],
                    error,
                    time);
                await using (supervisor.ConfigureAwait(false))
                {
                    using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    supervisor.Start(agentCount);
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

                        await error.WriteLineAsync($"Sweep '{arguments.SweepName}' stopped: no agent could run. See the agents' output above.").ConfigureAwait(false);
                        return ExperimentHost.SweepFailed;
                    }

                    var result = await running.ConfigureAwait(false);
                    await supervisor.StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                    SweepSummary.Write(console, result, options.ObjectiveMetric, sweep.Goal, maxRows: 10);
                    await WriteSummaryAsync(result).ConfigureAwait(false);
                    await tracking.FinishAsync(cancellationToken).ConfigureAwait(false);
                    if (!arguments.NoPublish && result.BestTrial is { } best)
                    {
                        var published = await PublishAsync(sweep, result, best, arguments, threads, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Retrains the best configuration on all data in this process and publishes the model with its manifest, lock file
    /// and report under <c>&lt;artifacts&gt;/&lt;experiment&gt;/</c>.
    /// </summary>
    private async Task<PublishedArtifacts> PublishAsync(Sweep sweep, SweepResult result, Trial best, SweepArguments arguments, int threads, CancellationToken cancellationToken)
    {
        var staging = Directory.CreateTempSubdirectory("tune-retrain-");
        try
        {
            // The best trial's own seed, so that the retrained model draws what the trial drew.
            var context = new ExperimentContext { Seed = best.Seed, Threads = threads, ArtifactsDirectory = staging.FullName };
            var experiment = new TExperiment();
            await experiment.PrepareAsync(context, cancellationToken).ConfigureAwait(false);
            await experiment.RetrainAsync(space.ToParameters(best.Configuration), context, cancellationToken).ConfigureAwait(false);

            var dataFingerprint = options.DataFiles.Count > 0
                ? await DataFingerprint.OfFilesAsync(options.DataFiles, cancellationToken).ConfigureAwait(false)
                : null;
            var request = PublishRequest.For(experimentName, options.ObjectiveMetric, sweep, result) with
            {
                ModelDirectory = staging.FullName,
                DataFingerprint = dataFingerprint,
                ArtifactsRoot = arguments.Artifacts,
                SamplerName = arguments.Sampler,
            };
            var published = await new ArtifactPublisher(options.TimeProvider).PublishAsync(request, cancellationToken).ConfigureAwait(false);
            var report = new HtmlReportOptions { Experiment = experimentName, ObjectiveMetric = options.ObjectiveMetric, Goal = sweep.Goal };
            await HtmlReport.WriteAsync(Path.Combine(published.Directory, HtmlReport.FileName), result, report, options.TimeProvider, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Retrained trial {best.Number}'s configuration on all data; published {string.Join(", ", published.ModelFiles.Select(Path.GetFileName))}, manifest.json, sweep.lock.json and report.html to {published.Directory}")).ConfigureAwait(false);
            return published;
        }
        finally
        {
            staging.Delete(recursive: true);
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

    private sealed record SweepArguments(
        string Store, string SweepName, bool Resume, int MaxTrials, int Agents, int? ThreadsPerTrial, long? Seed, string Sampler, TimeSpan LeaseTimeout, int MaxRetries, int? MaxConcurrentTrials,
        string Artifacts, bool NoPublish);
}
