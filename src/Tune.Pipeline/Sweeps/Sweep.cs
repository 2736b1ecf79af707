using System.Collections;
using System.Collections.Immutable;
using Tune.Pipeline.Samplers;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Stopping;

namespace Tune.Pipeline.Sweeps;

/// <summary>
/// Represents one tuning session of an experiment: its search space, sampler, early-stopping policy, budget and seed.
/// Built by <see cref="SweepBuilder"/>; run with <see cref="RunAsync(ITrialAgent, CancellationToken)"/>.
/// </summary>
/// <remarks>
/// <para>Immutable and thread-safe; each run creates its own controller.</para>
/// <para>
/// Reproducibility: trial n's configuration depends only on the seed, n, and trials 0..n − c, where c is
/// <see cref="MaxConcurrentTrials"/>. The controller waits for those trials to finish before it proposes trial n, and
/// passes trials n − c + 1..n − 1 to the sampler as pending, whatever has finished meanwhile. So the same seed gives
/// the same configurations however long each trial takes and in whatever order trials finish. Trial n's own seed is
/// <c>SeededRandom.Derive(Seed, n)</c>. Early stopping compares trials as they report, so which trials are pruned, and
/// through them a history-based sampler's later proposals, can depend on timing; see docs/reproducibility.md.
/// </para>
/// </remarks>
public sealed class Sweep
{
    // Keeps the sampler's random stream apart from the trial's own, which is Derive(seed, n).
    private const long SamplerStream = 0x53414D504C4552;

    internal Sweep(
        string name,
        SearchSpace space,
        SweepOptions options,
        int threadsPerTrial,
        string artifactsDirectory,
        ISampler sampler,
        IEarlyStoppingPolicy earlyStoppingPolicy,
        ISweepStore? store,
        TimeProvider timeProvider,
        ImmutableArray<Configuration> enqueuedConfigurations,
        ImmutableArray<Trial> warmStartTrials,
        int skippedWarmStartTrials)
    {
        Name = name;
        Space = space;
        Goal = options.Goal;
        Seed = options.Seed;
        MaxTrials = options.MaxTrials;
        MaxConcurrentTrials = options.MaxConcurrentTrials;
        MaxDuration = options.MaxDuration;
        TrialTimeout = options.TrialTimeout;
        MaxTrialsWithoutImprovement = options.MaxTrialsWithoutImprovement;
        TargetValue = options.TargetValue;
        MaxRetries = options.MaxRetries;
        OpenMode = options.OpenMode;
        Settings = options.Settings;
        ThreadsPerTrial = threadsPerTrial;
        ArtifactsDirectory = artifactsDirectory;
        Sampler = sampler;
        EarlyStoppingPolicy = earlyStoppingPolicy;
        Store = store;
        TimeProvider = timeProvider;
        EnqueuedConfigurations = enqueuedConfigurations;
        WarmStartTrials = warmStartTrials;
        SkippedWarmStartTrials = skippedWarmStartTrials;
    }

    /// <summary>Gets the sweep's name.</summary>
    public string Name { get; }

    /// <summary>Gets the search space.</summary>
    public SearchSpace Space { get; }

    /// <summary>Gets whether the objective is maximized or minimized.</summary>
    public Goal Goal { get; }

    /// <summary>Gets the sweep's seed.</summary>
    public long Seed { get; }

    /// <summary>Gets the most trials the sweep creates.</summary>
    public int MaxTrials { get; }

    /// <summary>Gets the most trials running at once.</summary>
    public int MaxConcurrentTrials { get; }

    /// <summary>Gets how long the sweep may run, if limited.</summary>
    public TimeSpan? MaxDuration { get; }

    /// <summary>Gets how long one attempt of a trial may run, if limited.</summary>
    public TimeSpan? TrialTimeout { get; }

    /// <summary>Gets how many trials may finish without improving on the best before the sweep stops proposing, if limited.</summary>
    public int? MaxTrialsWithoutImprovement { get; }

    /// <summary>Gets the objective value that ends the sweep, if any.</summary>
    public double? TargetValue { get; }

    /// <summary>Gets how many times a failed trial is run again.</summary>
    public int MaxRetries { get; }

    /// <summary>Gets whether opening the sweep creates it, resumes it, or does whichever applies.</summary>
    public SweepOpenMode OpenMode { get; }

    /// <summary>Gets the document the store records with the sweep when it creates it, if any; Core never reads it.</summary>
    public string? Settings { get; }

    /// <summary>Gets the number of threads each trial may use.</summary>
    public int ThreadsPerTrial { get; }

    /// <summary>Gets the directory under which each trial gets <c>trials/{number}</c>.</summary>
    public string ArtifactsDirectory { get; }

    /// <summary>Gets the sampler.</summary>
    public ISampler Sampler { get; }

    /// <summary>Gets the early-stopping policy.</summary>
    public IEarlyStoppingPolicy EarlyStoppingPolicy { get; }

    /// <summary>Gets the store, or <see langword="null"/> when each run records into a new <see cref="InMemorySweepStore"/>.</summary>
    public ISweepStore? Store { get; }

    /// <summary>Gets the clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the configurations evaluated first, as trials 0, 1, …, before the sampler's proposals.</summary>
    public ImmutableArray<Configuration> EnqueuedConfigurations { get; }

    /// <summary>Gets the earlier trials given to the sampler as history, converted to this space.</summary>
    public ImmutableArray<Trial> WarmStartTrials { get; }

    /// <summary>Gets the number of earlier trials left out of the warm start because they do not fit this space.</summary>
    public int SkippedWarmStartTrials { get; }

    /// <summary>Runs the sweep: proposes configurations, has the agent run them, applies early stopping, and ends on budget.</summary>
    /// <param name="agent">The agent that runs the trials.</param>
    /// <param name="cancellationToken">Cancels the sweep; trials still running are then marked failed.</param>
    /// <returns>Every trial, the best one and why the sweep ended.</returns>
    /// <exception cref="SweepFailedException">Every trial failed; the message shows the first failure.</exception>
    /// <exception cref="SweepConflictException">The store refused to open the sweep (see <see cref="OpenMode"/>); no trial was run.</exception>
    /// <exception cref="OperationCanceledException">The sweep was cancelled.</exception>
    public Task<SweepResult> RunAsync(ITrialAgent agent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return new SweepController(this, agent, Store ?? new InMemorySweepStore()).RunAsync(cancellationToken);
    }

    /// <summary>Runs the sweep with an experiment in this process; its data is prepared once, before the first trial.</summary>
    /// <typeparam name="TParameters">The experiment's parameters type.</typeparam>
    /// <param name="experiment">The experiment.</param>
    /// <param name="cancellationToken">Cancels the sweep; trials still running are then marked failed.</param>
    /// <returns>Every trial, the best one and why the sweep ended.</returns>
    /// <exception cref="ArgumentException">The sweep's space is not the experiment's typed <see cref="SearchSpace{TParameters}"/>.</exception>
    /// <exception cref="SweepFailedException">Every trial failed; the message shows the first failure.</exception>
    /// <exception cref="SweepConflictException">The store refused to open the sweep (see <see cref="OpenMode"/>); no trial was run.</exception>
    public Task<SweepResult> RunAsync<TParameters>(IExperiment<TParameters> experiment, CancellationToken cancellationToken = default)
        where TParameters : class
    {
        ArgumentNullException.ThrowIfNull(experiment);
        if (Space is not SearchSpace<TParameters> typed)
        {
            throw new ArgumentException(
                $"Sweep '{Name}' was built with a search space of type {Space.GetType().Name}, not SearchSpace<{typeof(TParameters).Name}>. Build it with the experiment's generated search space.",
                nameof(experiment));
        }

        var context = new ExperimentContext { Seed = Seed, Threads = ThreadsPerTrial, ArtifactsDirectory = ArtifactsDirectory };
        return RunAsync(InProcessTrialAgent.Create(experiment, typed, context), cancellationToken);
    }

    /// <summary>
    /// Proposes trial <paramref name="number"/>'s configuration exactly as the sweep's controller does: from the seed,
    /// the number, the warm-start trials, the finished trials 0..number − c and the configurations of the c − 1 trials in
    /// flight before it (c = <see cref="MaxConcurrentTrials"/>). <c>tune replay</c> calls it with a lock file's trials to
    /// check that the sampler reproduces them from the seed alone.
    /// </summary>
    /// <param name="number">The trial's number.</param>
    /// <param name="trials">The sweep's trials by number, at least the first <paramref name="number"/>, as they ended.</param>
    /// <returns>The configuration, or <see langword="null"/> when the sampler has nothing left to propose.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="number"/> is negative, or <paramref name="trials"/> holds fewer than <paramref name="number"/> trials.</exception>
    public Configuration? Propose(int number, IReadOnlyList<Trial> trials)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentOutOfRangeException.ThrowIfLessThan(trials.Count, number, nameof(trials));
        var enqueued = EnqueuedConfigurations;
        if (number < enqueued.Length)
        {
            return enqueued[number];
        }

        var known = Math.Max(0, number - MaxConcurrentTrials + 1);
        var pending = new Configuration[number - known];
        for (var i = known; i < number; i++)
        {
            pending[i - known] = trials[i].Configuration;
        }

        var context = new SamplerContext(
            Space,
            Goal,
            number,
            SeededRandom.Derive(SeededRandom.Derive(Seed, number), SamplerStream),
            new HistoryView(WarmStartTrials, trials, known),
            pending)
        {
            SweepSeed = Seed,
            SampleIndex = number - enqueued.Length,
        };
        return Sampler.Suggest(context);
    }

    /// <summary>The sampler's view of the history: the warm-start trials, then trials 0..count − 1, all finished.</summary>
    private sealed class HistoryView(ImmutableArray<Trial> warmStart, IReadOnlyList<Trial> trials, int count) : IReadOnlyList<Trial>
    {
        // Trials below count are finished and never change again, so the view needs no copy.
        public int Count => warmStart.Length + count;

        public Trial this[int index]
        {
            get
            {
                ArgumentOutOfRangeException.ThrowIfNegative(index);
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
                return index < warmStart.Length ? warmStart[index] : trials[index - warmStart.Length];
            }
        }

        public IEnumerator<Trial> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
