using System.Globalization;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Stopping;

/// <summary>
/// When HyperDrive's policies apply, and the step statistics they compare.
/// </summary>
/// <param name="Interval">The evaluation interval.</param>
/// <param name="Delay">The evaluation delay.</param>
internal readonly record struct StepSchedule(long Interval, long Delay)
{
    /// <summary>Describes the schedule in its options' words, as recorded with a sweep.</summary>
    /// <returns>The text: <c>EvaluationInterval=1, DelayEvaluation=5</c>.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"EvaluationInterval={Interval}, DelayEvaluation={Delay}");

    /// <summary>Tells whether a policy applies at a step: a multiple of the interval, at least the delay.</summary>
    /// <param name="step">The step.</param>
    /// <returns><see langword="true"/> when the policy applies.</returns>
    public bool Applies(long step) => step >= Delay && step % Interval == 0;

    /// <summary>Gets a trial's best value over its steps up to <paramref name="step"/>.</summary>
    /// <param name="trial">The trial.</param>
    /// <param name="step">The last step considered.</param>
    /// <param name="goal">The goal.</param>
    /// <returns>The best value, or <see langword="null"/> when the trial reported nothing up to that step.</returns>
    public static double? BestUpTo(Trial trial, long step, Goal goal)
    {
        double? best = null;
        foreach (var value in trial.Steps)
        {
            if (value.Step > step)
            {
                break;
            }

            if (best is null || goal.IsBetter(value.Value, best.Value))
            {
                best = value.Value;
            }
        }

        return best;
    }

    /// <summary>Gets a trial's value at its latest step up to <paramref name="step"/>.</summary>
    /// <param name="trial">The trial.</param>
    /// <param name="step">The last step considered.</param>
    /// <returns>The value, or <see langword="null"/> when the trial reported nothing up to that step.</returns>
    public static double? LatestUpTo(Trial trial, long step)
    {
        double? latest = null;
        foreach (var value in trial.Steps)
        {
            if (value.Step > step)
            {
                break;
            }

            latest = value.Value;
        }

        return latest;
    }

    /// <summary>Gets the mean of a trial's values up to <paramref name="step"/> (its running average).</summary>
    /// <param name="trial">The trial.</param>
    /// <param name="step">The last step considered.</param>
    /// <returns>The mean, or <see langword="null"/> when the trial reported nothing up to that step.</returns>
    public static double? MeanUpTo(Trial trial, long step)
    {
        var sum = 0.0;
        var count = 0;
        foreach (var value in trial.Steps)
        {
            if (value.Step > step)
            {
                break;
            }

            sum += value.Value;
            count++;
        }

        return count == 0 ? null : sum / count;
    }

    /// <summary>Tells whether a trial has reported at <paramref name="step"/> or later.</summary>
    /// <param name="trial">The trial.</param>
    /// <param name="step">The step.</param>
    /// <returns><see langword="true"/> when it reached the step.</returns>
    public static bool Reached(Trial trial, long step) => trial.LastStep is { } last && last.Step >= step;
}
