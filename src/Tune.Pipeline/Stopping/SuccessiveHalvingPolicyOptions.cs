using System.ComponentModel.DataAnnotations;

namespace Tune.Pipeline.Stopping;

/// <summary>
/// Represents the configuration of asynchronous successive halving (ASHA): at each rung of steps
/// <see cref="MinResource"/> × <see cref="ReductionFactor"/>^k, only the top 1/<see cref="ReductionFactor"/> of the
/// trials that reached it go on.
/// </summary>
/// <remarks>
/// With <c>MinResource = 1</c> and <c>ReductionFactor = 3</c>, the rungs are steps 1, 3, 9, 27, …; a trial that
/// reaches step 3 goes on only if its value there ranks in the top third of all values recorded at step 3 so far.
/// </remarks>
public sealed class SuccessiveHalvingPolicyOptions : EarlyStoppingPolicyOptions
{
    /// <summary>Gets or sets the step of the first rung: the least a trial runs before it can be stopped.</summary>
    /// <value>Defaults to 1.</value>
    [Range(1, long.MaxValue)]
    public long MinResource { get; set; } = 1;

    /// <summary>Gets or sets the factor by which rungs grow and the share of trials promoted shrinks.</summary>
    /// <value>Defaults to 3; at least 2.</value>
    [Range(2, 1000)]
    public int ReductionFactor { get; set; } = 3;

    /// <summary>Gets or sets the last step at which a trial may be stopped; later rungs do not exist.</summary>
    /// <value>Defaults to <see langword="null"/>: no limit.</value>
    public long? MaxResource { get; set; }

    internal override IEarlyStoppingPolicy CreatePolicy() => new SuccessiveHalvingPolicy(MinResource, ReductionFactor, MaxResource ?? long.MaxValue);

    internal override IEnumerable<string> GetProblems()
    {
        if (MinResource < 1)
        {
            yield return $"SuccessiveHalvingPolicyOptions.MinResource is {MinResource}; it must be at least 1.";
        }

        if (ReductionFactor < 2)
        {
            yield return $"SuccessiveHalvingPolicyOptions.ReductionFactor is {ReductionFactor}; it must be at least 2.";
        }

        if (MaxResource is { } max && max < MinResource)
        {
            yield return $"SuccessiveHalvingPolicyOptions.MaxResource is {max}, below MinResource {MinResource}. Raise MaxResource or lower MinResource.";
        }
    }
}
