namespace Tune.Pipeline;

/// <summary>
/// Samples a <see cref="double"/> from a normal distribution (unbounded).
/// </summary>
/// <param name="mu">the mean, in the parameter's own units.</param>
/// <param name="sigma">the standard deviation, in the parameter's own units.</param>
public sealed class NormalAttribute(double mu, double sigma) : ParameterAttribute
{
    /// <summary>Gets the mean, in the parameter's own units.</summary>
    public double Mu { get; } = mu;

    /// <summary>Gets the standard deviation, in the parameter's own units.</summary>
    public double Sigma { get; } = sigma;
}
