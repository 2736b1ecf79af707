namespace Tune.Pipeline;

/// <summary>
/// Samples a <see cref="double"/> uniformly from [min, max].
/// </summary>
/// <param name="min">The smallest value, in the parameter's own units.</param>
/// <param name="max">The largest value, in the parameter's own units.</param>
public sealed class UniformAttribute(double min, double max) : ParameterAttribute
{
    /// <summary>Gets the smallest value, in the parameter's own units.</summary>
    public double Min { get; } = min;

    /// <summary>Gets the largest value, in the parameter's own units.</summary>
    public double Max { get; } = max;
}
