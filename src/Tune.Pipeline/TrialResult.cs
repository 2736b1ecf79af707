using System.Collections.Immutable;

namespace Tune.Pipeline;

/// <summary>
/// Represents what a trial returns: its objective value and optional extra metrics. A <see cref="double"/> converts
/// to it implicitly, so a trial can simply <c>return auc;</c>.
/// </summary>
/// <param name="Objective">The objective's final value; NaN or infinity marks the trial failed.</param>
public readonly record struct TrialResult(double Objective)
{
    /// <summary>Gets extra metrics to record beside the objective (for tracking only; samplers ignore them).</summary>
    public ImmutableDictionary<string, double>? Metrics { get; init; }

    /// <summary>Converts an objective value to a result without extra metrics.</summary>
    /// <param name="objective">The objective value.</param>
    public static implicit operator TrialResult(double objective) => new(objective);

    /// <summary>Creates a result from an objective value.</summary>
    /// <param name="objective">The objective value.</param>
    /// <returns>The result.</returns>
    public static TrialResult FromDouble(double objective) => new(objective);
}
