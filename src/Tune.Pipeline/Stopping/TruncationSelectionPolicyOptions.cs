using System.ComponentModel.DataAnnotations;

namespace Tune.Pipeline.Stopping;

/// <summary>
/// Represents the configuration of the truncation selection policy: at each evaluation step, stop the trials ranked
/// in the lowest <see cref="TruncationPercentage"/> percent.
/// </summary>
/// <remarks>
/// With <c>TruncationPercentage = 20</c>, <c>EvaluationInterval = 1</c> and <c>DelayEvaluation = 5</c>, a trial stops
/// at step 5 if its value at step 5 is in the lowest 20% of the values of all trials at step 5. A young trial is
/// ranked against what older trials had at the same step, never against their later values. Semantics of Azure ML
/// HyperDrive's <c>TruncationSelectionPolicy</c>
/// (https://learn.microsoft.com/azure/machine-learning/how-to-tune-hyperparameters#truncation-selection-policy).
/// </remarks>
public sealed class TruncationSelectionPolicyOptions : IntervalEarlyStoppingPolicyOptions
{
    /// <summary>Gets or sets the percentage of lowest-ranked trials stopped at each evaluation step.</summary>
    /// <value>Defaults to 20; between 1 and 99.</value>
    [Range(1, 99)]
    public int TruncationPercentage { get; set; } = 20;

    /// <summary>Gets or sets a value indicating whether finished trials are left out of the ranking.</summary>
    /// <value>Defaults to <see langword="false"/>: finished trials are ranked with running ones, as in HyperDrive.</value>
    public bool ExcludeFinished { get; set; }

    internal override IEarlyStoppingPolicy CreatePolicy() => new TruncationSelectionPolicy(Schedule, TruncationPercentage, ExcludeFinished);

    internal override IEnumerable<string> GetProblems()
    {
        foreach (var problem in base.GetProblems())
        {
            yield return problem;
        }

        if (TruncationPercentage is < 1 or > 99)
        {
            yield return $"TruncationSelectionPolicyOptions.TruncationPercentage is {TruncationPercentage}; it must be between 1 and 99.";
        }
    }
}
