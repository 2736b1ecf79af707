namespace Tune.Pipeline.Stopping;

/// <summary>
/// Represents the configuration of no early stopping: every trial runs to its end. The default of a sweep.
/// </summary>
public sealed class NoEarlyStoppingPolicyOptions : EarlyStoppingPolicyOptions
{
    internal override IEarlyStoppingPolicy CreatePolicy() => NoEarlyStoppingPolicy.Instance;

    internal override IEnumerable<string> GetProblems() => [];
}
