namespace Tune.Pipeline;

/// <summary>
/// Comparisons that respect an objective's goal.
/// </summary>
public static class GoalExtensions
{
    /// <summary>Tells whether <paramref name="candidate"/> is strictly better than <paramref name="incumbent"/>.</summary>
    /// <param name="goal">The goal.</param>
    /// <param name="candidate">The new value.</param>
    /// <param name="incumbent">The value to beat.</param>
    /// <returns><see langword="true"/> when the candidate is strictly better.</returns>
    public static bool IsBetter(this Goal goal, double candidate, double incumbent) =>
        goal == Goal.Maximize ? candidate > incumbent : candidate < incumbent;

    /// <summary>Maps a value so that smaller is always better: itself for minimize, its negation for maximize.</summary>
    /// <param name="goal">The goal.</param>
    /// <param name="value">The objective value.</param>
    /// <returns>The loss.</returns>
    public static double ToLoss(this Goal goal, double value) => goal == Goal.Maximize ? -value : value;
}
