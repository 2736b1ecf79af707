namespace Tune.Pipeline.Sweeps;

/// <summary>
/// Helpers over a list of trials that every sampler and policy needs.
/// </summary>
public static class TrialHistoryExtensions
{
    /// <summary>Finds the best completed trial for a goal; ties go to the lower trial number.</summary>
    /// <param name="trials">The trials.</param>
    /// <param name="goal">Whether larger or smaller values are better.</param>
    /// <returns>The best completed trial, or <see langword="null"/> when none completed.</returns>
    public static Trial? Best(this IEnumerable<Trial> trials, Goal goal)
    {
        ArgumentNullException.ThrowIfNull(trials);
        Trial? best = null;
        foreach (var trial in trials)
        {
            if (trial.State != TrialState.Completed || trial.Value is not { } value)
            {
                continue;
            }

            if (best is null || goal.IsBetter(value, best.Value!.Value) || (value == best.Value && trial.Number < best.Number))
            {
                best = trial;
            }
        }

        return best;
    }
}
