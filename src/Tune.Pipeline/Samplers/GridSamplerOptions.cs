using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Samplers;

/// <summary>
/// Represents the configuration of the grid sampler: every configuration of a discrete search space once, then the
/// sweep ends.
/// </summary>
public sealed class GridSamplerOptions : SamplerOptions
{
    /// <summary>Gets or sets a value indicating whether the grid is visited in an order shuffled by the sweep's seed rather than in order (last parameter fastest).</summary>
    /// <value>Defaults to <see langword="false"/>.</value>
    /// <remarks>A shuffled grid cut short by a budget covers the space evenly rather than only its first rows.</remarks>
    public bool Shuffle { get; set; }

    internal override ISampler CreateSampler() => new GridSampler(Shuffle);

    internal override IEnumerable<string> Validate(SearchSpace space)
    {
        var continuous = space.Parameters.Where(p => !p.IsDiscrete).Select(p => $"'{p.Name}' ({p.Describe()})").ToList();
        if (continuous.Count > 0)
        {
            yield return $"The grid sampler needs every parameter to be discrete, but {string.Join(", ", continuous)} {(continuous.Count == 1 ? "is" : "are")} continuous. Use QUniform, IntRange or Choice, or another sampler.";
        }
        else if (space.GridSize is null)
        {
            yield return "The grid has more points than a sweep can number. Coarsen the parameters, or use another sampler.";
        }
    }
}
