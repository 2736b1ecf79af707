using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Stopping;

/// <summary>
/// Represents what an early-stopping policy decides on: the trial that just reported and every trial of the sweep.
/// </summary>
/// <param name="Goal">Whether the objective is maximized or minimized.</param>
/// <param name="Trial">The trial that reported; its last step is the new one.</param>
/// <param name="Trials">Every trial of the sweep so far, with their steps, including <paramref name="Trial"/>.</param>
public sealed record EarlyStoppingContext(Goal Goal, Trial Trial, IReadOnlyList<Trial> Trials)
{
    /// <summary>Gets the step just reported.</summary>
    public long Step => Trial.LastStep?.Step ?? 0;
}
