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
/// <param name="Pending">The configurations proposed before this one whose results are not yet known (trials in flight), so a sampler can spread its suggestions apart from them (the <c>gp</c> sampler believes them at its predicted mean, <c>tpe</c> counts them as bad trials).</param>
public sealed record SamplerContext(
    SearchSpace Space,
    Goal Goal,
    int TrialNumber,
    long Seed,
    IReadOnlyList<Trial> History,
    IReadOnlyList<Configuration> Pending)
{
    private readonly int? _sampleIndex;

    /// <summary>Gets the sweep's seed, for samplers whose whole sequence shares one random choice (a scrambling, a shuffle).</summary>
    /// <value>Defaults to 0.</value>
    public long SweepSeed { get; init; }

    /// <summary>
    /// Gets how many configurations this sampler proposed in the sweep before this one. It differs from
    /// <see cref="TrialNumber"/> when enqueued configurations took the first trial numbers, so a grid or a Sobol
    /// sequence still starts at its first point.
    /// </summary>
    /// <value>Defaults to <see cref="TrialNumber"/>.</value>
    public int SampleIndex
    {
        get => _sampleIndex ?? TrialNumber;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _sampleIndex = value;
        }
    }

    /// <summary>Creates a random source seeded for this suggestion.</summary>
    /// <returns>A new <see cref="SeededRandom"/>.</returns>
    public SeededRandom CreateRandom() => new(Seed);
}
