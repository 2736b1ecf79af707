using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Publishing;

/// <summary>
/// Represents one trial as a lock file records it: its configuration by parameter name, and its result.
/// </summary>
/// <param name="Number">The trial's number within the sweep.</param>
/// <param name="Configuration">The parameter values by name: strings, booleans, <see cref="long"/>s or <see cref="double"/>s, choices as their values.</param>
/// <param name="State">How the trial ended.</param>
/// <param name="Value">The objective value of a completed trial; <see langword="null"/> otherwise.</param>
/// <param name="Seed">The seed the trial's own randomness was derived from.</param>
public sealed record SweepLockTrial(int Number, IReadOnlyDictionary<string, object?> Configuration, TrialState State, double? Value, long Seed)
{
    /// <summary>Gets how many times the trial was started.</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>Gets a failed trial's error message.</summary>
    public string? Error { get; init; }
}
