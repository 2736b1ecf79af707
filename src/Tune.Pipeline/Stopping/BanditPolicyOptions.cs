namespace Tune.Pipeline.Stopping;

/// <summary>
/// Represents the configuration of the Bandit policy: stop a trial whose best value so far falls outside a slack of
/// the best trial's at the same step.
/// </summary>
/// <remarks>
/// Set exactly one of <see cref="SlackFactor"/> and <see cref="SlackAmount"/>. With a goal to maximize, a best value
/// of 0.8 at step 10 and <c>SlackFactor = 0.2</c>, a trial whose best by step 10 is below 0.8 / (1 + 0.2) ≈ 0.667
/// stops; with <c>SlackAmount = 0.2</c>, below 0.8 − 0.2 = 0.6. When minimizing, the bounds are best × (1 + factor)
/// and best + amount. Semantics of Azure ML HyperDrive's <c>BanditPolicy</c>
/// (https://learn.microsoft.com/azure/machine-learning/how-to-tune-hyperparameters#bandit-policy).
/// </remarks>
public sealed class BanditPolicyOptions : IntervalEarlyStoppingPolicyOptions
{
    /// <summary>Gets or sets the allowed distance from the best trial, as a ratio.</summary>
    /// <value>Defaults to <see langword="null"/>; must be positive when set.</value>
    public double? SlackFactor { get; set; }

    /// <summary>Gets or sets the allowed distance from the best trial, in the objective's units.</summary>
    /// <value>Defaults to <see langword="null"/>; must be positive when set.</value>
    public double? SlackAmount { get; set; }

    internal override IEarlyStoppingPolicy CreatePolicy() => new BanditPolicy(Schedule, SlackFactor, SlackAmount);

    internal override IEnumerable<string> GetProblems()
    {
        foreach (var problem in base.GetProblems())
        {
            yield return problem;
        }

        if (SlackFactor is null == SlackAmount is null)
        {
            yield return "BanditPolicyOptions needs exactly one of SlackFactor and SlackAmount. Set SlackFactor = 0.1 for a 10% slack, or SlackAmount for an absolute one.";
        }

        if (SlackFactor is { } factor && !(factor > 0 && double.IsFinite(factor)))
        {
            yield return $"BanditPolicyOptions.SlackFactor is {factor}; it must be a positive number.";
        }

        if (SlackAmount is { } amount && !(amount > 0 && double.IsFinite(amount)))
        {
            yield return $"BanditPolicyOptions.SlackAmount is {amount}; it must be a positive number.";
        }
    }
}
