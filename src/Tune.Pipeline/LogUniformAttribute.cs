namespace Tune.Pipeline;

/// <summary>
/// Samples a <see cref="double"/> whose logarithm is uniform: <c>[LogUniform(1e-3, 0.3)]</c> draws from 0.001..0.3. Both bounds must be positive.
/// </summary>
/// <param name="min">The smallest value, in the parameter's own units.</param>
/// <param name="max">The largest value, in the parameter's own units.</param>
public sealed class LogUniformAttribute(double min, double max) : ParameterAttribute
{
    /// <summary>Gets the smallest value, in the parameter's own units.</summary>
    public double Min { get; } = min;

    /// <summary>Gets the largest value, in the parameter's own units.</summary>
    public double Max { get; } = max;
}
