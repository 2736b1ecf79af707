using System.Globalization;

namespace Tune.Pipeline.Stopping;

/// <summary>
/// Stops the trials ranked in the lowest percentage at each evaluation step.
/// </summary>
/// <remarks>
/// At an evaluation step t, the ranked trials are those that reached step t (this one included; finished ones left out
/// when asked), each by its value at its latest step up to t. With N ranked trials and a percentage p, the
/// k = ⌊N·p/100⌋ lowest-ranked stop: this trial stops when at least N − k trials are strictly better. Ties favour
/// the trial. Azure ML HyperDrive, <c>TruncationSelectionPolicy</c>
/// (https://learn.microsoft.com/python/api/azureml-train-core/azureml.train.hyperdrive.truncationselectionpolicy).
/// </remarks>
internal sealed class TruncationSelectionPolicy(StepSchedule schedule, int percentage, bool excludeFinished) : IEarlyStoppingPolicy
{
    /// <summary>Describes the policy and its settings in its options' words, as a sweep records it and <c>tune show</c> prints it.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{nameof(TruncationSelectionPolicy)}(TruncationPercentage={percentage}, ExcludeFinished={(excludeFinished ? "true" : "false")}, {schedule})");

    /// <inheritdoc/>
    public bool ShouldStop(EarlyStoppingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var step = context.Step;
        if (!schedule.Applies(step) || StepSchedule.LatestUpTo(context.Trial, step) is not { } own)
        {
            return false;
        }

        var ranked = 0;
        var better = 0;
        foreach (var trial in context.Trials)
        {
            if (trial.Number != context.Trial.Number && (!StepSchedule.Reached(trial, step) || (excludeFinished && trial.IsFinished)))
            {
                continue;
            }

            if (StepSchedule.LatestUpTo(trial, step) is { } value)
            {
                ranked++;
                if (context.Goal.IsBetter(value, own))
                {
                    better++;
                }
            }
        }

        var truncated = ranked * percentage / 100;
        return truncated > 0 && better >= ranked - truncated;
    }
}
