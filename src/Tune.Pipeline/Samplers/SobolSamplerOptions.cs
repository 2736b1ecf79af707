using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Samplers;

/// <summary>
/// Represents the configuration of the Sobol sampler: a low-discrepancy (quasi-Monte Carlo) sequence that covers the
/// search space more evenly than independent random draws, trial n taking point n.
/// </summary>
public sealed class SobolSamplerOptions : SamplerOptions
{
    /// <summary>Gets or sets a value indicating whether the sequence is scrambled (Owen's nested uniform scrambling, keyed by the sweep's seed).</summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    /// <remarks>
    /// Scrambling keeps the sequence's stratification and removes its corner points and its identical coordinates
    /// across parameters beyond the tabulated dimensions; without it, the space may have at most
    /// <see cref="MaxUnscrambledParameters"/> parameters.
    /// </remarks>
    public bool Scramble { get; set; } = true;

    /// <summary>Gets the most parameters an unscrambled Sobol sequence supports (the tabulated direction numbers).</summary>
    public static int MaxUnscrambledParameters => SobolSampler.TabulatedDimensions;

    internal override ISampler CreateSampler() => new SobolSampler(Scramble);

    internal override IEnumerable<string> Validate(SearchSpace space)
    {
        if (!Scramble && space.Count > MaxUnscrambledParameters)
        {
            yield return $"An unscrambled Sobol sequence supports at most {MaxUnscrambledParameters} parameters, but the search space has {space.Count}. Set Scramble to true.";
        }
    }
}
