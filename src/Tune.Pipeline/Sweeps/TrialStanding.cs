namespace Tune.Pipeline.Sweeps;

/// <summary>
/// Represents what places a trial in the best-first order (<see cref="TrialOrder"/>): its number, state, final value and
/// last step. Every view of trials (a sweep's <see cref="Trial"/>s, a store's rows) ranks through it.
/// </summary>
/// <param name="Number">The trial's number.</param>
/// <param name="State">The trial's state.</param>
/// <param name="Value">The objective value of a completed trial.</param>
/// <param name="LastStep">The last step the trial reported, if any.</param>
public readonly record struct TrialStanding(int Number, TrialState State, double? Value, StepValue? LastStep)
{
    /// <summary>
    /// Gets the value that stands for the trial: a completed trial's objective, a pruned trial's value at its last step;
    /// <see langword="null"/> for other states, a pruned trial without steps, or a value that is not finite.
    /// </summary>
    public double? RankingValue
    {
        get
        {
            var value = State switch
            {
                TrialState.Completed => Value,
                TrialState.Pruned => LastStep?.Value,
                _ => null,
            };
            return value is { } v && double.IsFinite(v) ? v : null;
        }
    }

    /// <summary>Gets the step a pruned trial stopped at: its last reported step; <see langword="null"/> for other states.</summary>
    public long? StoppedAtStep => State == TrialState.Pruned ? LastStep?.Step : null;
}
