namespace Tune.Pipeline.Stopping;

/// <summary>
/// Represents the configuration of the median stopping policy: stop a trial whose best value so far is worse than
/// the median of the other trials' running averages at the same step.
/// </summary>
/// <remarks>
/// With <c>EvaluationInterval = 1</c> and <c>DelayEvaluation = 5</c>, the policy applies from step 5 on: a trial stops
/// at step 5 if its best value is worse than the median of the running averages over steps 1..5 of the other trials.
/// Semantics of Azure ML HyperDrive's <c>MedianStoppingPolicy</c>
/// (https://learn.microsoft.com/azure/machine-learning/how-to-tune-hyperparameters#median-stopping-policy).
/// </remarks>
public sealed class MedianStoppingPolicyOptions : IntervalEarlyStoppingPolicyOptions
{
    internal override IEarlyStoppingPolicy CreatePolicy() => new MedianStoppingPolicy(Schedule);
}
