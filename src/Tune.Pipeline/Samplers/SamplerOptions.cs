using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Samplers;

/// <summary>
/// Represents the configuration of one of the library's samplers, given to
/// <see cref="Sweeps.SweepBuilder.UseSampler(SamplerOptions)"/>. The sweep's seed drives every sampler.
/// </summary>
public abstract class SamplerOptions
{
    /// <summary>Creates the sampler these options describe.</summary>
    /// <returns>The sampler.</returns>
    internal abstract ISampler CreateSampler();

    /// <summary>Lists every problem with these options for a search space, one sentence each.</summary>
    /// <param name="space">The sweep's search space.</param>
    /// <returns>The problems; empty when the options are valid.</returns>
    internal virtual IEnumerable<string> Validate(SearchSpace space) => [];
}
