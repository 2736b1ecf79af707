using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Samplers;

/// <summary>
/// Proposes configurations to evaluate.
/// </summary>
/// <remarks>
/// A sampler must be a pure function of its <see cref="SamplerContext"/>: the same context (seed, trial number,
/// history and pending trials) gives the same configuration. It must not keep state between calls that changes what
/// it proposes; the controller relies on this to make parallel sweeps reproducible and resumable.
/// </remarks>
public interface ISampler
{
    /// <summary>Proposes the configuration for the trial described by <paramref name="context"/>.</summary>
    /// <param name="context">The space, trial number, seed and what is known of earlier trials.</param>
    /// <returns>The configuration, or <see langword="null"/> when the sampler has nothing left to propose (a finished grid).</returns>
    Configuration? Suggest(SamplerContext context);
}
