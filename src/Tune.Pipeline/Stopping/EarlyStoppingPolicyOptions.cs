namespace Tune.Pipeline.Stopping;

/// <summary>
/// Represents the configuration of one of the library's early-stopping policies, given to
/// <see cref="Sweeps.SweepBuilder.UseEarlyStopping(EarlyStoppingPolicyOptions)"/>.
/// </summary>
public abstract class EarlyStoppingPolicyOptions
{
    /// <summary>Creates the policy these options describe.</summary>
    /// <returns>The policy.</returns>
    internal abstract IEarlyStoppingPolicy CreatePolicy();

    /// <summary>Lists every problem with these options, one sentence each naming the option and its value.</summary>
    /// <returns>The problems; empty when the options are valid.</returns>
    internal abstract IEnumerable<string> Validate();
}
