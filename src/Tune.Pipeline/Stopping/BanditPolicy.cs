using System.Globalization;

namespace Tune.Pipeline.Stopping;

/// <summary>
/// Stops a trial whose best value so far is outside the slack allowed from the best trial at the same step.
/// </summary>
/// <remarks>
/// At an evaluation step t, let b be the best of every trial's best value up to t (this trial included) and y this
/// trial's best up to t. Maximizing, the trial stops when y &lt; b / (1 + factor), or y &lt; b − amount; minimizing,
/// when y &gt; b × (1 + factor), or y &gt; b + amount. Azure ML HyperDrive, <c>BanditPolicy</c>
/// (https://learn.microsoft.com/python/api/azureml-train-core/azureml.train.hyperdrive.banditpolicy): "any run whose
/// primary metric is not within the slack factor or slack amount of the best performing run is terminated".
/// </remarks>
internal sealed class BanditPolicy(StepSchedule schedule, double? slackFactor, double? slackAmount) : IEarlyStoppingPolicy
{
    /// <summary>Describes the policy and its settings in its options' words, as a sweep records it and <c>tune show</c> prints it.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{nameof(BanditPolicy)}({(slackFactor is { } factor ? "SlackFactor=" + factor.ToString(CultureInfo.InvariantCulture) : "SlackAmount=" + slackAmount?.ToString(CultureInfo.InvariantCulture))}, {schedule})";

    /// <inheritdoc/>
    public bool ShouldStop(EarlyStoppingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var step = context.Step;
        if (!schedule.Applies(step) || StepSchedule.BestUpTo(context.Trial, step, context.Goal) is not { } own)
        {
            return false;
        }

        var goal = context.Goal;
        var best = own;
        foreach (var trial in context.Trials)
        {
            if (StepSchedule.BestUpTo(trial, step, goal) is { } value && goal.IsBetter(value, best))
            {
                best = value;
            }
        }

        // The slack is taken on |b| so that a negative best (a log-likelihood, a negated loss) still bounds below itself.
        var bound = (goal, slackFactor) switch
        {
            (Goal.Maximize, { } factor) => best - (Math.Abs(best) * factor / (1 + factor)),
            (Goal.Maximize, null) => best - slackAmount!.Value,
            (_, { } factor) => best + (Math.Abs(best) * factor),
            (_, null) => best + slackAmount!.Value,
        };

        return goal.IsBetter(bound, own);
    }
}
