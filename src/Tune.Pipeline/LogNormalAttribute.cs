namespace Tune.Pipeline;

/// <summary>
/// Samples a positive <see cref="double"/> whose natural logarithm is normal: <c>[LogNormal(0.01, 1)]</c> has median 0.01, and one sigma multiplies or divides it by e.
/// </summary>
/// <param name="mu">the median, in the parameter's own units (positive).</param>
/// <param name="sigma">the standard deviation of the value's natural logarithm.</param>
public sealed class LogNormalAttribute(double mu, double sigma) : ParameterAttribute
{
    /// <summary>Gets the median, in the parameter's own units (positive).</summary>
    public double Mu { get; } = mu;

    /// <summary>Gets the standard deviation of the value's natural logarithm.</summary>
    public double Sigma { get; } = sigma;
}
