using System.ComponentModel.DataAnnotations;

namespace Tune.Pipeline.Stopping;

/// <summary>
/// Represents the options HyperDrive's policies share: how often the policy is applied and how long it waits.
/// </summary>
/// <remarks>
/// The step a trial reports is HyperDrive's interval. The policy is applied at every step that is a multiple of
/// <see cref="EvaluationInterval"/> and at least <see cref="DelayEvaluation"/>; other steps are never stopped.
/// </remarks>
public abstract class IntervalEarlyStoppingPolicyOptions : EarlyStoppingPolicyOptions
{
    /// <summary>Gets or sets how often, in steps, the policy is applied.</summary>
    /// <value>Defaults to 1 (every step), as HyperDrive's <c>evaluation_interval</c>.</value>
    [Range(1, long.MaxValue)]
    public long EvaluationInterval { get; set; } = 1;

    /// <summary>Gets or sets the first step at which the policy may stop a trial.</summary>
    /// <value>Defaults to 0 (no delay), as HyperDrive's <c>delay_evaluation</c>.</value>
    [Range(0, long.MaxValue)]
    public long DelayEvaluation { get; set; }

    internal StepSchedule Schedule => new(EvaluationInterval, DelayEvaluation);

    internal override IEnumerable<string> GetProblems()
    {
        var name = GetType().Name;
        if (EvaluationInterval < 1)
        {
            yield return $"{name}.EvaluationInterval is {EvaluationInterval}; it must be at least 1.";
        }

        if (DelayEvaluation < 0)
        {
            yield return $"{name}.DelayEvaluation is {DelayEvaluation}; it must be 0 or more.";
        }
    }
}
