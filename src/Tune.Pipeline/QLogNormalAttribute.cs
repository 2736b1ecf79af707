namespace Tune.Pipeline;

/// <summary>
/// Samples from a log-normal distribution and rounds to a multiple of q, as Hyperopt's <c>qlognormal</c> but with the median in the parameter's own units.
/// </summary>
/// <param name="mu">the median, in the parameter's own units (positive).</param>
/// <param name="sigma">the standard deviation of the value's natural logarithm.</param>
/// <param name="q">The quantum: values are multiples of it.</param>
public sealed class QLogNormalAttribute(double mu, double sigma, double q) : ParameterAttribute
{
    /// <summary>Gets the median, in the parameter's own units (positive).</summary>
    public double Mu { get; } = mu;

    /// <summary>Gets the standard deviation of the value's natural logarithm.</summary>
    public double Sigma { get; } = sigma;

    /// <summary>Gets the quantum.</summary>
    public double Q { get; } = q;
}
