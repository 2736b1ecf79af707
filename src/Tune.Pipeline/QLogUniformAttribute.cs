namespace Tune.Pipeline;

/// <summary>
/// Samples log-uniformly from [min, max] and rounds to the grid <c>min, min + q, ..., max</c>. Both bounds must be
/// positive and the quantum must divide <c>max - min</c>.
/// </summary>
/// <param name="min">The smallest value, in the parameter's own units.</param>
/// <param name="max">The largest value, in the parameter's own units.</param>
/// <param name="q">The quantum (step) between values.</param>
public sealed class QLogUniformAttribute(double min, double max, double q) : ParameterAttribute
{
    /// <summary>Gets the smallest value.</summary>
    public double Min { get; } = min;

    /// <summary>Gets the largest value.</summary>
    public double Max { get; } = max;

    /// <summary>Gets the quantum between values.</summary>
    public double Q { get; } = q;
}
