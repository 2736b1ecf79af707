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

    /// <summary>
    /// Checks every option and returns every problem, one sentence each naming the option and its value; the same rules
    /// <see cref="Sweeps.SweepBuilder.Build"/> applies, so that a sweep file can report them before a sweep is built.
    /// </summary>
    /// <returns>The problems; empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate() => [.. GetProblems()];

    /// <summary>Lists every problem with these options, one sentence each naming the option and its value.</summary>
    /// <returns>The problems; empty when the options are valid.</returns>
    internal abstract IEnumerable<string> GetProblems();
}
