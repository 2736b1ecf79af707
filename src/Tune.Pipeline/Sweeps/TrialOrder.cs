namespace Tune.Pipeline.Sweeps;

/// <summary>
/// The one order of trials, best first, that every view uses: the end-of-sweep summary, <c>tune show</c>,
/// <c>tune best</c>, exports and the HTML report.
/// </summary>
/// <remarks>
/// <para>The order, for a goal:</para>
/// <list type="number">
/// <item><description>Completed trials, by objective value, best first for the goal (largest first when maximizing, smallest when minimizing).</description></item>
/// <item><description>Pruned trials, by their value at their last reported step, best first for the goal; pruned trials that reported no step follow. A pruned trial never ranks above a completed one: its value is an intermediate one.</description></item>
/// <item><description>Failed trials.</description></item>
/// <item><description>Trials not finished: pending (interrupted ones included) and running.</description></item>
/// </list>
/// <para>Within a group, equal values, and trials without a value, go by trial number, lowest first; so the order is total and the same on every run.</para>
/// <para>The best trial is the first completed one in this order (<see cref="Best{T}"/>): ties go to the lower number.</para>
/// </remarks>
public static class TrialOrder
{
    /// <summary>Compares two trials' standings: negative when <paramref name="x"/> ranks before <paramref name="y"/>.</summary>
    /// <param name="x">The first trial.</param>
    /// <param name="y">The second trial.</param>
    /// <param name="goal">Whether larger or smaller values are better.</param>
    /// <returns>The comparison.</returns>
    public static int Compare(TrialStanding x, TrialStanding y, Goal goal)
    {
        var byGroup = Group(x.State).CompareTo(Group(y.State));
        if (byGroup != 0)
        {
            return byGroup;
        }

        switch (x.RankingValue, y.RankingValue)
        {
            case ({ } a, { } b) when goal.ToLoss(a).CompareTo(goal.ToLoss(b)) is var byValue && byValue != 0:
                return byValue;
            case (not null, null):
                return -1;
            case (null, not null):
                return 1;
        }

        return x.Number.CompareTo(y.Number);
    }

    /// <summary>Gets a comparer of standings for a goal.</summary>
    /// <param name="goal">Whether larger or smaller values are better.</param>
    /// <returns>The comparer.</returns>
    public static IComparer<TrialStanding> Comparer(Goal goal) => Comparer<TrialStanding>.Create((x, y) => Compare(x, y, goal));

    /// <summary>Orders any view of trials best first.</summary>
    /// <typeparam name="T">The view's trial type.</typeparam>
    /// <param name="trials">The trials.</param>
    /// <param name="goal">Whether larger or smaller values are better.</param>
    /// <param name="standing">Reads a trial's standing.</param>
    /// <returns>The trials, best first.</returns>
    public static IEnumerable<T> BestFirst<T>(IEnumerable<T> trials, Goal goal, Func<T, TrialStanding> standing)
    {
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(standing);
        return trials.OrderBy(standing, Comparer(goal));
    }

    /// <summary>Orders trials best first.</summary>
    /// <param name="trials">The trials.</param>
    /// <param name="goal">Whether larger or smaller values are better.</param>
    /// <returns>The trials, best first.</returns>
    public static IEnumerable<Trial> BestFirst(this IEnumerable<Trial> trials, Goal goal) => BestFirst(trials, goal, static t => t.Standing);

    /// <summary>Finds the best trial of any view: the first completed one in the best-first order.</summary>
    /// <typeparam name="T">The view's trial type.</typeparam>
    /// <param name="trials">The trials.</param>
    /// <param name="goal">Whether larger or smaller values are better.</param>
    /// <param name="standing">Reads a trial's standing.</param>
    /// <returns>The best completed trial, or <see langword="null"/> when none completed.</returns>
    public static T? Best<T>(IEnumerable<T> trials, Goal goal, Func<T, TrialStanding> standing)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(standing);
        T? best = null;
        TrialStanding bestStanding = default;
        foreach (var trial in trials)
        {
            var candidate = standing(trial);
            if (candidate.State == TrialState.Completed && candidate.RankingValue is not null && (best is null || Compare(candidate, bestStanding, goal) < 0))
            {
                best = trial;
                bestStanding = candidate;
            }
        }

        return best;
    }

    private static int Group(TrialState state) => state switch
    {
        TrialState.Completed => 0,
        TrialState.Pruned => 1,
        TrialState.Failed => 2,
        _ => 3,
    };
}
