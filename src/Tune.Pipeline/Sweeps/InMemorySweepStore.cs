namespace Tune.Pipeline.Sweeps;

/// <summary>
/// Represents a sweep store in memory: for tests, benchmarks and sweeps that need no record beyond their result.
/// Thread-safe; it enforces the <see cref="ISweepStore"/> contract and throws <see cref="InvalidOperationException"/>
/// when it is broken.
/// </summary>
public sealed class InMemorySweepStore : ISweepStore
{
    // The store's name in messages: there is no path or host to name.
    private const string StoreName = "the in-memory store";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, SweepEntry> _sweeps = new(StringComparer.Ordinal);

    /// <summary>Gets the trials recorded for a sweep, with their steps, ordered by number.</summary>
    /// <param name="sweepName">The sweep's name.</param>
    /// <returns>The trials; empty when the sweep is unknown.</returns>
    public IReadOnlyList<Trial> GetTrials(string sweepName)
    {
        lock (_lock)
        {
            return _sweeps.TryGetValue(sweepName, out var entry) ? [.. entry.Trials] : [];
        }
    }

    /// <summary>Gets why a sweep ended, or <see langword="null"/> while it is open or unknown.</summary>
    /// <param name="sweepName">The sweep's name.</param>
    /// <returns>The reason.</returns>
    public SweepStopReason? GetStopReason(string sweepName)
    {
        lock (_lock)
        {
            return _sweeps.TryGetValue(sweepName, out var entry) ? entry.StopReason : null;
        }
    }

    /// <summary>Gets the settings document recorded when a sweep was created (<see cref="Sweep.Settings"/>).</summary>
    /// <param name="sweepName">The sweep's name.</param>
    /// <returns>The document; <see langword="null"/> when the sweep recorded none or is unknown.</returns>
    public string? GetSettings(string sweepName)
    {
        lock (_lock)
        {
            return _sweeps.TryGetValue(sweepName, out var entry) ? entry.Settings : null;
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<Trial>> OpenSweepAsync(Sweep sweep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        lock (_lock)
        {
            _sweeps.TryGetValue(sweep.Name, out var entry);
            SweepConflictException.ThrowIfRefused(sweep, StoreName, entry?.Fingerprint, entry?.Goal);
            if (entry is not null)
            {
                entry.StopReason = null;
                return ValueTask.FromResult<IReadOnlyList<Trial>>([.. entry.Trials]);
            }

            _sweeps.Add(sweep.Name, new SweepEntry(sweep.Space.Fingerprint, sweep.Goal, sweep.Settings));
            return ValueTask.FromResult<IReadOnlyList<Trial>>([]);
        }
    }

    /// <inheritdoc/>
    public ValueTask SaveTrialAsync(string sweepName, Trial trial, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trial);
        lock (_lock)
        {
            var trials = Get(sweepName).Trials;
            if (trial.Number == trials.Count)
            {
                trials.Add(trial with { Steps = [] });
            }
            else if (trial.Number >= 0 && trial.Number < trials.Count)
            {
                var recorded = trials[trial.Number];

                // Steps belong to the attempt that reported them: a retry starts with none.
                var steps = trial.Attempts > recorded.Attempts ? [] : recorded.Steps;
                trials[trial.Number] = trial with { Steps = steps };
            }
            else
            {
                throw new InvalidOperationException(
                    $"Sweep '{sweepName}' has {trials.Count} trials, so trial {trial.Number} would leave a gap; trial numbers are gapless.");
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask AppendStepAsync(string sweepName, int trialNumber, StepValue stepValue, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var trials = Get(sweepName).Trials;
            if (trialNumber < 0 || trialNumber >= trials.Count)
            {
                throw new InvalidOperationException($"Sweep '{sweepName}' has no trial {trialNumber}.");
            }

            var trial = trials[trialNumber];
            if (trial.Steps.Length > 0 && trial.Steps[^1].Step >= stepValue.Step)
            {
                throw new InvalidOperationException(
                    $"Trial {trialNumber} of sweep '{sweepName}' reported step {stepValue.Step} after step {trial.Steps[^1].Step}; steps must increase.");
            }

            trials[trialNumber] = trial with { Steps = trial.Steps.Add(stepValue) };
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask CloseSweepAsync(string sweepName, SweepStopReason stopReason, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var entry = Get(sweepName);
            var running = entry.Trials.FirstOrDefault(t => t.State == TrialState.Running);
            if (running is not null)
            {
                throw new InvalidOperationException($"Sweep '{sweepName}' is closing with trial {running.Number} still running; a sweep never leaves a trial running.");
            }

            entry.StopReason = stopReason;
        }

        return ValueTask.CompletedTask;
    }

    private SweepEntry Get(string sweepName) =>
        _sweeps.TryGetValue(sweepName, out var entry)
            ? entry
            : throw new InvalidOperationException($"Sweep '{sweepName}' was not opened in this store.");

    private sealed class SweepEntry(string fingerprint, Goal goal, string? settings)
    {
        public string Fingerprint { get; } = fingerprint;

        public Goal Goal { get; } = goal;

        public string? Settings { get; } = settings;

        public List<Trial> Trials { get; } = [];

        public SweepStopReason? StopReason { get; set; }
    }
}
