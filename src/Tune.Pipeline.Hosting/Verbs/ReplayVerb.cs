using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using Tune.Pipeline.Hosting.SweepFiles;
using Tune.Pipeline.Publishing;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Hosting.Verbs;

/// <summary>
/// <c>replay</c>: checks a lock file against this experiment. The sampler must propose every locked configuration again
/// from the sweep's seed alone (<see cref="Sweep.Propose"/>, no training); with <c>--rerun</c>, the chosen completed
/// trials are run again with their locked seeds and must reach their locked values. Exit 1 on any difference.
/// </summary>
internal sealed class ReplayVerb<TExperiment, TParameters>(HostedExperiment<TExperiment, TParameters> host)
    where TExperiment : IExperiment<TParameters>, new()
    where TParameters : class
{
    private readonly Option<string> _lock = new("--lock") { Description = "The lock file: artifacts/<experiment>/sweep.lock.json.", Required = true };
    private readonly Option<string?> _config = new("--config") { Description = "The sweep file the sweep ran with, when its space: overrides narrowed the search space." };
    private readonly Option<int?> _maxConcurrent = new("--max-concurrent-trials") { Description = "The sweep's maximum of concurrent trials, for a lock file that does not record it." };
    private readonly Option<bool> _rerun = new("--rerun") { Description = "Also run the completed trials again with their locked seeds and compare their values (a deterministic experiment reaches the same ones)." };
    private readonly Option<string?> _trials = new("--trials") { Description = "With --rerun: the trials to run again, by number: 0,5,9 (default: all completed ones)." };
    private readonly Option<int?> _sample = new("--sample") { Description = "With --rerun: run this many completed trials again, chosen from the lock's seed." };
    private readonly Option<int?> _threadsPerTrial = VerbOptions.ThreadsPerTrial();

    public Command Create()
    {
        var command = new Command("replay", "Check that the sampler reproduces a lock file's configurations from its seed, and with --rerun that its trials reach the same values; exit 1 on any difference.")
        {
            _lock, _config, _maxConcurrent, _rerun, _trials, _sample, _threadsPerTrial,
        };
        command.SetAction((result, ct) => RunAsync(result, ct));
        return command;
    }

    private async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var path = result.GetValue(_lock)!;
        SweepLock locked;
        try
        {
            locked = await SweepLock.ReadAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            throw new UsageException(e is InvalidDataException ? e.Message : $"Lock file '{Shown.Line(path)}' does not exist.");
        }

        if (!string.Equals(locked.Experiment, host.Identity.Name, StringComparison.Ordinal))
        {
            throw new UsageException($"Lock file '{path}' is of experiment '{locked.Experiment}', not '{host.Identity.Name}'.");
        }

        var file = result.GetValue(_config) is { } config ? SweepFileParser.Load(config) : null;
        SearchSpace<TParameters> space = file?.SpaceOverrides is null ? host.Space : new OverriddenSearchSpace<TParameters>(host.Space, file.ApplySpaceOverrides(host.Space));
        ImmutableArray<Trial> trials;
        ImmutableArray<Trial> warmStart;
        try
        {
            trials = locked.ToTrials(space, path);
            warmStart = locked.ToWarmStartTrials(space, path);
        }
        catch (SweepLockMismatchException e)
        {
            throw new UsageException(e.Message + (file is null ? " If the sweep ran with a sweep file that overrode the space, pass it with --config." : string.Empty));
        }

        var concurrency = result.GetValue(_maxConcurrent) ?? locked.MaxConcurrentTrials
            ?? throw new UsageException($"Lock file '{path}' does not record the sweep's maximum of concurrent trials; pass it with --max-concurrent-trials.");
        if (!host.Options.Samplers.TryGetValue(locked.SamplerName, out var sampler))
        {
            throw new UsageException($"Lock file '{path}' was written with sampler '{locked.SamplerName}', which this experiment does not offer ({string.Join(", ", host.Options.Samplers.Keys)}).");
        }

        var sweep = new SweepBuilder(locked.SweepName)
            .UseSampler(sampler())
            .Configure(o =>
            {
                file?.ApplyTo(o);
                o.Goal = locked.Goal;
                o.Seed = locked.Seed;
                o.MaxConcurrentTrials = concurrency;
                o.MaxTrials = Math.Max(1, trials.Length);
            })

            // The sampler's history began with these: without them, a warm-started sweep's proposals cannot be reproduced.
            .WarmStart(warmStart)
            .Build(space);

        var differences = 0;
        foreach (var trial in trials)
        {
            var proposed = sweep.Propose(trial.Number, trials);
            if (!Equals(proposed, trial.Configuration))
            {
                differences++;
                await host.Output.WriteLineAsync($"trial {trial.Number}: configuration locked {Describe(trial.Configuration)}, proposed {(proposed is null ? "nothing" : Describe(proposed))}").ConfigureAwait(false);
            }
        }

        await host.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Sampler {locked.SamplerName} with seed {locked.Seed}{(warmStart.IsEmpty ? string.Empty : $", warm-started with {warmStart.Length} trials")}: {trials.Length - differences} of {trials.Length} configurations reproduced.")).ConfigureAwait(false);
        if (result.GetValue(_rerun))
        {
            differences += await RerunAsync(space, trials, Choose(result, trials, locked.Seed), result.GetValue(_threadsPerTrial), cancellationToken).ConfigureAwait(false);
        }

        return differences == 0 ? ExperimentHost.Success : ExperimentHost.SweepFailed;
    }

    private async Task<int> RerunAsync(SearchSpace<TParameters> space, ImmutableArray<Trial> trials, List<Trial> chosen, int? threadsPerTrial, CancellationToken cancellationToken)
    {
        var threads = threadsPerTrial is >= 1 ? threadsPerTrial.Value : Environment.ProcessorCount;
        var workspace = Directory.CreateTempSubdirectory("tune-replay-");
        var experiment = new TExperiment();
        try
        {
            await experiment.PrepareAsync(new ExperimentContext { Seed = trials.Length > 0 ? trials[0].Seed : 0, Threads = threads, ArtifactsDirectory = workspace.FullName }, cancellationToken).ConfigureAwait(false);
            var differences = 0;
            foreach (var trial in chosen)
            {
                var directory = workspace.CreateSubdirectory(trial.Number.ToString(CultureInfo.InvariantCulture)).FullName;
                var value = (await experiment.RunTrialAsync(space.ToParameters(trial.Configuration), new DetachedTrialContext(trial.Number, trial.Seed, threads, directory), cancellationToken).ConfigureAwait(false)).Objective;

                // Exact: the lock holds the round-trip value, and a deterministic trainer reaches the same double.
                if (value.Equals(trial.Value!.Value))
                {
                    continue;
                }

                differences++;
                await host.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"trial {trial.Number}: {host.Identity.ObjectiveMetric} locked {trial.Value.Value:R}, replayed {value:R}")).ConfigureAwait(false);
            }

            await host.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Reran {chosen.Count} trials with their locked seeds: {chosen.Count - differences} reached their locked values.")).ConfigureAwait(false);
            return differences;
        }
        finally
        {
            await HostedExperiment<TExperiment, TParameters>.ReleaseAsync(experiment).ConfigureAwait(false);
            workspace.Delete(recursive: true);
        }
    }

    private List<Trial> Choose(ParseResult result, ImmutableArray<Trial> trials, long seed)
    {
        var completed = trials.Where(t => t.State == TrialState.Completed && t.Value is not null).ToList();
        if (result.GetValue(_trials) is { } list)
        {
            var chosen = new List<Trial>();
            foreach (var part in list.Split(',', StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    throw new UsageException($"--trials is {Shown.Value(list)}; use trial numbers separated by commas, such as 0,5,9.");
                }

                chosen.Add(completed.Find(t => t.Number == number)
                    ?? throw new UsageException($"--trials names trial {number}, which is not a completed trial of the lock file ({completed.Count} completed)."));
            }

            return chosen;
        }

        if (result.GetValue(_sample) is { } sample)
        {
            if (sample < 1)
            {
                throw new UsageException($"--sample is {sample}; it must be at least 1.");
            }

            // From the lock's seed, so that the same command reruns the same trials.
            var random = new SeededRandom(seed);
            return [.. completed.OrderBy(_ => random.NextUInt64()).Take(sample).OrderBy(t => t.Number)];
        }

        return completed;
    }

    private static string Describe(Configuration configuration) =>
        "{" + string.Join(", ", configuration.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={(p.Value is double d ? d.ToString("R", CultureInfo.InvariantCulture) : p.Value)}"))) + "}";
}
