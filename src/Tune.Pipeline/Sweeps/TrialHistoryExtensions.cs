namespace Tune.Pipeline.Sweeps;

/// <summary>
/// Helpers over a list of trials that every sampler and policy needs.
/// </summary>
public static class TrialHistoryExtensions
{
    /// <summary>Finds the best completed trial for a goal, as <see cref="TrialOrder"/> ranks them; ties go to the lower trial number.</summary>
    /// <param name="trials">The trials.</param>
    /// <param name="goal">Whether larger or smaller values are better.</param>
    /// <returns>The best completed trial, or <see langword="null"/> when none completed.</returns>
    public static Trial? Best(this IEnumerable<Trial> trials, Goal goal) => TrialOrder.Best(trials, goal, static t => t.Standing);
}
