using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Stores;

/// <summary>
/// Represents a trial as a store records it, with its parameters as the stored JSON object rather than a configuration
/// of a compiled search space.
/// </summary>
/// <param name="Number">The trial's number within its sweep, from 0.</param>
/// <param name="State">The trial's state.</param>
/// <param name="Value">The objective's value, once completed.</param>
/// <param name="Parameters">A JSON object from parameter name to value, in the search space's order; choices are their values.</param>
/// <param name="Seed">The trial's seed.</param>
/// <param name="Attempts">How many times the trial has been started.</param>
/// <param name="StartedAt">When the last attempt started.</param>
/// <param name="EndedAt">When the trial ended.</param>
/// <param name="Error">Why the trial failed, if it did.</param>
public sealed record StoredTrial(
    int Number,
    TrialState State,
    double? Value,
    string Parameters,
    long Seed,
    int Attempts,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    string? Error)
{
    /// <summary>Gets the last step the trial's current attempt reported, if any: where a pruned trial stopped.</summary>
    public StepValue? LastStep { get; init; }

    /// <summary>Gets a value indicating whether the trial's attempt was interrupted by a stopped sweep (<see cref="Trial.IsInterrupted"/>).</summary>
    public bool IsInterrupted { get; init; }

    /// <summary>Gets the agent that ran the trial's last attempt, as <c>host/process/nonce/device</c> (device <c>cpu</c> or <c>cuda:N</c>); <see langword="null"/> for a trial run in process or recorded before agents were recorded.</summary>
    public string? Agent { get; init; }

    /// <summary>Gets what places the trial in the best-first order (<see cref="TrialOrder"/>).</summary>
    public TrialStanding Standing => new(Number, State, Value, LastStep);
}
