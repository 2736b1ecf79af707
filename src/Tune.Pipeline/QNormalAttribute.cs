namespace Tune.Pipeline;

/// <summary>
/// Samples from a normal distribution and rounds to a multiple of q, as Hyperopt's <c>qnormal</c>.
/// </summary>
/// <param name="mu">the mean, in the parameter's own units.</param>
/// <param name="sigma">the standard deviation, in the parameter's own units.</param>
/// <param name="q">The quantum: values are multiples of it.</param>
public sealed class QNormalAttribute(double mu, double sigma, double q) : ParameterAttribute
{
    /// <summary>Gets the mean, in the parameter's own units.</summary>
    public double Mu { get; } = mu;

    /// <summary>Gets the standard deviation, in the parameter's own units.</summary>
    public double Sigma { get; } = sigma;

    /// <summary>Gets the quantum.</summary>
    public double Q { get; } = q;
}
