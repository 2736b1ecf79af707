using Tune.Pipeline.SearchSpaces;
using Tune.Pipeline.Sweeps;

namespace Tune.Pipeline.Samplers;

/// <summary>
/// Represents everything a sampler may base one suggestion on.
/// </summary>
/// <param name="Space">The search space.</param>
/// <param name="Goal">Whether the objective is maximized or minimized.</param>
/// <param name="TrialNumber">The number of the trial being proposed.</param>
/// <param name="Seed">The seed for this suggestion, derived from the sweep's seed and <paramref name="TrialNumber"/>.</param>
/// <param name="History">The finished trials known at this point (completed, pruned and failed), including warm-start trials, in a deterministic order.</param>
/// <param name="Pending">The configurations proposed before this one whose results are not yet known (for a constant liar).</param>
public sealed record SamplerContext(
    SearchSpace Space,
    Goal Goal,
    int TrialNumber,
    long Seed,
    IReadOnlyList<Trial> History,
    IReadOnlyList<Configuration> Pending)
{
    /// <summary>Creates a random source seeded for this suggestion.</summary>
    /// <returns>A new <see cref="SeededRandom"/>.</returns>
    public SeededRandom CreateRandom() => new(Seed);
}
