namespace Tune.Pipeline;

/// <summary>
/// Represents the distribution of one hyperparameter. Bounds are always in the parameter's own units:
/// <c>[LogUniform(1e-3, 0.3)]</c> means 0.001..0.3, never exponents.
/// </summary>
/// <remarks>
/// The property's initializer is the parameter's default. One distribution attribute per property; the analyzers
/// report a second one (TUNE0209).
/// </remarks>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public abstract class ParameterAttribute : Attribute
{
}
