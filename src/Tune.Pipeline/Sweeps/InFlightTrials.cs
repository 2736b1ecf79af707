namespace Tune.Pipeline.Sweeps;

/// <summary>
/// Chooses how many trials a sweep keeps in flight (<see cref="SweepOptions.MaxConcurrentTrials"/>, the c of the
/// reproducibility rule): what its agents can run, plus a look-ahead only where it pays.
/// </summary>
/// <remarks>
/// <para>
/// Every trial in flight beyond those running is a suggestion made without the results that would have shaped it:
/// trial n sees only trials 0..n - c. Even with pending trials modelled (see <c>GpSampler</c>), regret after 100
/// trials grows with c (the samplers benchmark reports sequential and 4, 8 and 16 in flight side by side), so c
/// should be no larger than keeps the agents busy.
/// </para>
/// <para>
/// Without a look-ahead, an agent that finishes a trial waits for the controller to note the result and propose the
/// next trial: one suggestion plus the store's hand-off. A look-ahead of one trial per slot hides that wait, and pays
/// only when the wait is a noticeable share of a trial: when a trial takes less than <see cref="LookaheadRatio"/>
/// times the wait (the agent would otherwise be idle more than about a tenth of the time). Minute-long trials never
/// qualify, so a sweep with two agents running one trial each samples with c = 2.
/// </para>
/// </remarks>
public static class InFlightTrials
{
    /// <summary>
    /// Gets how many times longer than the hand-off (a suggestion plus the store's round trip) a trial must take for a
    /// look-ahead not to pay.
    /// </summary>
    public const int LookaheadRatio = 10;

    /// <summary>Recommends how many trials to keep in flight.</summary>
    /// <param name="slots">How many trials the agents run at once, all together (one per agent unless an agent runs several).</param>
    /// <param name="expectedTrialDuration">How long a trial is expected to take, or <see langword="null"/> when unknown (no look-ahead).</param>
    /// <param name="handOff">The time from a trial's end to its agent's next configuration without look-ahead: one suggestion plus the store's round trip.</param>
    /// <returns><paramref name="slots"/>, or twice that when trials are shorter than <see cref="LookaheadRatio"/> hand-offs.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="slots"/> is below 1, or a duration is negative.</exception>
    public static int Recommend(int slots, TimeSpan? expectedTrialDuration, TimeSpan handOff)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(handOff, TimeSpan.Zero);
        if (expectedTrialDuration is not { } duration)
        {
            return slots;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero, nameof(expectedTrialDuration));
        return duration < handOff * LookaheadRatio ? 2 * slots : slots;
    }
}
