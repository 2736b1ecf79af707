using System.Collections.Immutable;
using System.Text.Json;
using Tune.Pipeline.Publishing.Wire;
using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Publishing;

/// <summary>
/// Represents <c>sweep.lock.json</c>: every trial of a sweep with its configuration and result, plus the sweep's seed,
/// sampler and search-space fingerprint, so that a rerun can replay the same configurations.
/// </summary>
/// <remarks>Immutable. Values are written with round-trip precision and read back as the same numbers.</remarks>
public sealed class SweepLock
{
    /// <summary>The file name the publisher writes.</summary>
    public const string FileName = "sweep.lock.json";

    private SweepLock(
        string experiment,
        string sweepName,
        long seed,
        string samplerName,
        string spaceFingerprint,
        Goal goal,
        SweepStopReason stopReason,
        int? bestTrialNumber,
        ImmutableArray<SweepLockTrial> trials)
    {
        Experiment = experiment;
        SweepName = sweepName;
        Seed = seed;
        SamplerName = samplerName;
        SpaceFingerprint = spaceFingerprint;
        Goal = goal;
        StopReason = stopReason;
        BestTrialNumber = bestTrialNumber;
        Trials = trials;
    }

    /// <summary>Gets the experiment's name.</summary>
    public string Experiment { get; }

    /// <summary>Gets the sweep's name.</summary>
    public string SweepName { get; }

    /// <summary>Gets the sweep's seed.</summary>
    public long Seed { get; }

    /// <summary>Gets the sampler's name: a <see cref="Samplers.SamplerCatalog"/> name such as <c>tpe</c>, or the type name of a sampler of the user's own.</summary>
    public string SamplerName { get; }

    /// <summary>Gets the fingerprint of the search space the sweep ran on.</summary>
    public string SpaceFingerprint { get; }

    /// <summary>Gets whether the objective was maximized or minimized.</summary>
    public Goal Goal { get; }

    /// <summary>Gets why the sweep ended.</summary>
    public SweepStopReason StopReason { get; }

    /// <summary>Gets the best trial's number, or <see langword="null"/> when none completed.</summary>
    public int? BestTrialNumber { get; }

    /// <summary>Gets the sweep's maximum of concurrent trials (the c of the reproducibility rule: trial n was proposed from trials 0..n − c), or <see langword="null"/> in a lock written before it was recorded.</summary>
    public int? MaxConcurrentTrials { get; private init; }

    /// <summary>Gets every trial, by number.</summary>
    public ImmutableArray<SweepLockTrial> Trials { get; }

    /// <summary>
    /// Gets the earlier trials the sampler was warm-started with (<see cref="SweepBuilder.WarmStart"/>), converted to
    /// the sweep's space and in the order the sampler saw them; empty when the sweep was not warm-started. A replay feeds
    /// them to the sampler again, so the lock reproduces without the sweeps it warm-started from.
    /// </summary>
    public ImmutableArray<SweepLockTrial> WarmStartTrials { get; private init; } = [];

    /// <summary>Creates the lock of a finished sweep.</summary>
    /// <param name="experiment">The experiment's name.</param>
    /// <param name="sweep">The sweep that ran: its seed, sampler, goal and search space are recorded.</param>
    /// <param name="result">What it produced.</param>
    /// <returns>The lock.</returns>
    public static SweepLock Create(string experiment, Sweep sweep, SweepResult result)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        return Create(experiment, sweep.Space, sweep.Seed, Samplers.SamplerCatalog.NameOf(sweep.Sampler), sweep.Goal, result, sweep.MaxConcurrentTrials, sweep.WarmStartTrials);
    }

    /// <summary>Creates the lock of a finished sweep from its parts, for a host that did not build the <see cref="Sweep"/> itself.</summary>
    /// <param name="experiment">The experiment's name.</param>
    /// <param name="space">The search space the sweep ran on.</param>
    /// <param name="seed">The sweep's seed.</param>
    /// <param name="samplerName">The sampler's name, as <see cref="Samplers.SamplerCatalog"/> knows it (<c>auto</c>, <c>tpe</c>, ...).</param>
    /// <param name="goal">Whether the objective was maximized or minimized.</param>
    /// <param name="result">What the sweep produced.</param>
    /// <param name="maxConcurrentTrials">The sweep's maximum of concurrent trials, which a replay needs to propose as the sweep did.</param>
    /// <param name="warmStartTrials">The earlier trials the sampler was warm-started with (<see cref="Sweep.WarmStartTrials"/>), which a replay feeds it again.</param>
    /// <returns>The lock.</returns>
    public static SweepLock Create(string experiment, SearchSpace space, long seed, string samplerName, Goal goal, SweepResult result, int? maxConcurrentTrials = null, IReadOnlyList<Trial>? warmStartTrials = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(experiment);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentException.ThrowIfNullOrEmpty(samplerName);
        ArgumentNullException.ThrowIfNull(result);
        var trials = result.Trials.OrderBy(t => t.Number).Select(Locked).ToImmutableArray();
        return new SweepLock(experiment, result.SweepName, seed, samplerName, space.Fingerprint, goal, result.StopReason, result.BestTrial?.Number, trials)
        {
            MaxConcurrentTrials = maxConcurrentTrials,
            WarmStartTrials = warmStartTrials is null ? [] : [.. warmStartTrials.Select(Locked)],
        };
    }

    private static SweepLockTrial Locked(Trial trial) =>
        new(trial.Number, trial.Configuration.ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal), trial.State, trial.Value, trial.Seed) { Attempts = trial.Attempts, Error = trial.Error };

    /// <summary>Reads a lock file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The lock.</returns>
    /// <exception cref="InvalidDataException">The file is not a lock file; the message names the file and what is wrong.</exception>
    public static async Task<SweepLock> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(bytes, path);
    }

    /// <summary>Reads a lock file and checks that it was written for <paramref name="space"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="space">The search space it is to be replayed against.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The lock.</returns>
    /// <exception cref="InvalidDataException">The file is not a lock file.</exception>
    /// <exception cref="SweepLockMismatchException">The lock was written for another search space, or a configuration does not fit this one.</exception>
    public static async Task<SweepLock> LoadAsync(string path, SearchSpace space, CancellationToken cancellationToken = default)
    {
        var sweepLock = await ReadAsync(path, cancellationToken).ConfigureAwait(false);
        sweepLock.Validate(space, path);
        return sweepLock;
    }

    /// <summary>Checks that the lock was written for <paramref name="space"/> and that every configuration fits it.</summary>
    /// <param name="space">The search space.</param>
    /// <param name="source">Names the lock in messages, such as its path.</param>
    /// <exception cref="SweepLockMismatchException">The fingerprints differ (the message names both), or a configuration does not fit.</exception>
    public void Validate(SearchSpace space, string source = FileName)
    {
        _ = ToTrials(space, source);
    }

    /// <summary>Converts the recorded trials into <see cref="Trial"/>s of <paramref name="space"/>, to replay their configurations (<see cref="SweepBuilder.Enqueue"/>) or warm-start a sampler (<see cref="SweepBuilder.WarmStart"/>).</summary>
    /// <param name="space">The search space.</param>
    /// <param name="source">Names the lock in messages, such as its path.</param>
    /// <returns>The trials, by number.</returns>
    /// <exception cref="SweepLockMismatchException">The fingerprints differ (the message names both), or a configuration does not fit.</exception>
    public ImmutableArray<Trial> ToTrials(SearchSpace space, string source = FileName)
    {
        ArgumentNullException.ThrowIfNull(space);
        CheckFingerprint(space, source);
        return ToTrials(Trials, space, source, "trial");
    }

    /// <summary>Converts the warm-start trials into <see cref="Trial"/>s of <paramref name="space"/>, for <see cref="SweepBuilder.WarmStart"/>, so that a replay's sampler sees what the sweep's saw.</summary>
    /// <param name="space">The search space the sweep ran on.</param>
    /// <param name="source">Names the lock in messages, such as its path.</param>
    /// <returns>The trials, in the order the sampler saw them.</returns>
    /// <exception cref="SweepLockMismatchException">The fingerprints differ (the message names both), or a configuration does not fit.</exception>
    public ImmutableArray<Trial> ToWarmStartTrials(SearchSpace space, string source = FileName)
    {
        ArgumentNullException.ThrowIfNull(space);
        CheckFingerprint(space, source);
        return ToTrials(WarmStartTrials, space, source, "warm-start trial");
    }

    private void CheckFingerprint(SearchSpace space, string source)
    {
        if (!string.Equals(space.Fingerprint, SpaceFingerprint, StringComparison.Ordinal))
        {
            throw new SweepLockMismatchException(
                $"Lock file '{source}' of sweep '{SweepName}' was written for search space {SpaceFingerprint}, but experiment '{Experiment}' now has search space {space.Fingerprint}. Replay it with the code it was written for, or start a new sweep without the lock file.")
            {
                LockFingerprint = SpaceFingerprint,
                SpaceFingerprint = space.Fingerprint,
            };
        }
    }

    private ImmutableArray<Trial> ToTrials(ImmutableArray<SweepLockTrial> locked, SearchSpace space, string source, string what)
    {
        var trials = ImmutableArray.CreateBuilder<Trial>(locked.Length);
        foreach (var trial in locked)
        {
            Configuration configuration;
            try
            {
                configuration = space.FromDictionary(trial.Configuration);
            }
            catch (InvalidConfigurationException e)
            {
                throw new SweepLockMismatchException($"Lock file '{source}': {what} {trial.Number} does not fit the search space. {e.Message}", e)
                {
                    LockFingerprint = SpaceFingerprint,
                    SpaceFingerprint = space.Fingerprint,
                };
            }

            trials.Add(new Trial(trial.Number, configuration, trial.State, trial.Value) { Seed = trial.Seed, Attempts = trial.Attempts, Error = trial.Error });
        }

        return trials.MoveToImmutable();
    }

    /// <summary>Writes the lock file atomically: a reader sees the old file or the new one, never a part.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the file is in place.</returns>
    public Task WriteAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return AtomicFile.WriteAllBytesAsync(path, ToJsonBytes(), cancellationToken);
    }

    /// <summary>Serializes the lock as indented UTF-8 JSON.</summary>
    /// <returns>The bytes.</returns>
    public byte[] ToJsonBytes()
    {
        var document = new LockDocument
        {
            Experiment = Experiment,
            Sweep = SweepName,
            Seed = Seed,
            Sampler = SamplerName,
            SpaceFingerprint = SpaceFingerprint,
            Goal = WireNames.Of(Goal),
            StopReason = WireNames.Of(StopReason),
            BestTrial = BestTrialNumber,
            MaxConcurrentTrials = MaxConcurrentTrials,
            Trials = [.. Trials.Select(Document)],
            WarmStart = WarmStartTrials.IsEmpty ? null : [.. WarmStartTrials.Select(Document)],
        };
        return JsonSerializer.SerializeToUtf8Bytes(document, PublishingJsonContext.Files.LockDocument);
    }

    private static LockTrialDocument Document(SweepLockTrial trial) => new()
    {
        Number = trial.Number,
        Configuration = ParameterJson.ToJson(trial.Configuration.Select(p => new KeyValuePair<string, object>(p.Key, p.Value!))),
        State = WireNames.Of(trial.State),
        Value = trial.Value is { } v && double.IsFinite(v) ? v : null,
        Seed = trial.Seed,
        Attempts = trial.Attempts,
        Error = trial.Error,
    };

    private static SweepLock Parse(byte[] bytes, string path)
    {
        LockDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(bytes, PublishingJsonContext.Files.LockDocument);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Lock file '{path}' is not valid JSON: {e.Message}", e);
        }

        if (document is null)
        {
            throw new InvalidDataException($"Lock file '{path}' is empty.");
        }

        if (document.SchemaVersion != 1)
        {
            throw new InvalidDataException($"Lock file '{path}' has schema version {document.SchemaVersion}; this version reads 1. Use the tool version that wrote it.");
        }

        if (!WireNames.TryParseGoal(document.Goal, out var goal))
        {
            throw new InvalidDataException($"Lock file '{path}' has goal '{document.Goal}'; use 'maximize' or 'minimize'.");
        }

        if (!WireNames.TryParseStopReason(document.StopReason, out var stopReason))
        {
            throw new InvalidDataException($"Lock file '{path}' has stop reason '{document.StopReason}', which this version does not know.");
        }

        return new SweepLock(document.Experiment, document.Sweep, document.Seed, document.Sampler, document.SpaceFingerprint, goal, stopReason, document.BestTrial, [.. document.Trials.OrderBy(t => t.Number).Select(t => Parse(t, path, "trial"))])
        {
            MaxConcurrentTrials = document.MaxConcurrentTrials,

            // In the order the sampler saw them: the order is part of its history.
            WarmStartTrials = document.WarmStart is { } warmStart ? [.. warmStart.Select(t => Parse(t, path, "warm-start trial"))] : [],
        };
    }

    private static SweepLockTrial Parse(LockTrialDocument trial, string path, string what)
    {
        if (!WireNames.TryParseState(trial.State, out var state))
        {
            throw new InvalidDataException($"Lock file '{path}': {what} {trial.Number} has state '{trial.State}'; use pending, running, completed, pruned or failed.");
        }

        return new SweepLockTrial(trial.Number, ParameterJson.FromJson(trial.Configuration), state, trial.Value, trial.Seed)
        {
            Attempts = trial.Attempts,
            Error = trial.Error,
        };
    }
}
