namespace Tune.Pipeline.Samplers;

/// <summary>
/// Options for the default sampler, which picks a model-based sampler from the search space and the trial count.
/// </summary>
/// <remarks>
/// Gaussian-process optimisation for spaces of at most 16 parameters, at most half of them choices of at most 32 values
/// each, for the first 250 trials; TPE otherwise. See <see cref="SamplerCatalog"/>.
/// </remarks>
public sealed class AutoSamplerOptions : SamplerOptions
{
    /// <inheritdoc/>
    internal override ISampler CreateSampler() => new AutoSampler();
}
