using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Stopping;

/// <summary>
/// Stops a trial whose best value so far is worse than the median of the other trials' running averages.
/// </summary>
/// <remarks>
/// At an evaluation step t, the running average of a trial is the mean of its values at steps up to t; the median is
/// taken over the other trials that reached step t (finished ones included), and a trial with no such peer is never
/// stopped. D. Golovin et al., "Google Vizier: a service for black-box optimization", KDD 2017, section 3.2.2 (the
/// median stopping rule), as applied by Azure ML HyperDrive's <c>MedianStoppingPolicy</c>
/// (https://learn.microsoft.com/python/api/azureml-train-core/azureml.train.hyperdrive.medianstoppingpolicy).
/// </remarks>
internal sealed class MedianStoppingPolicy(StepSchedule schedule) : IEarlyStoppingPolicy
{
    /// <summary>Describes the policy and its settings in its options' words, as a sweep records it and <c>tune show</c> prints it.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{nameof(MedianStoppingPolicy)}({schedule})";

    /// <inheritdoc/>
    public bool ShouldStop(EarlyStoppingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var step = context.Step;
        if (!schedule.Applies(step) || StepSchedule.BestUpTo(context.Trial, step, context.Goal) is not { } own)
        {
            return false;
        }

        var averages = new List<double>();
        foreach (var trial in context.Trials)
        {
            if (trial.Number != context.Trial.Number && StepSchedule.Reached(trial, step) && StepSchedule.MeanUpTo(trial, step) is { } mean)
            {
                averages.Add(mean);
            }
        }

        if (averages.Count == 0)
        {
            return false;
        }

        averages.Sort();
        var middle = averages.Count / 2;
        var median = averages.Count % 2 == 1 ? averages[middle] : (averages[middle - 1] + averages[middle]) / 2;
        return context.Goal.IsBetter(median, own);
    }
}
