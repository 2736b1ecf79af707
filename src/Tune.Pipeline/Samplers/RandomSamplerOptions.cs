namespace Tune.Pipeline.Samplers;

/// <summary>
/// Represents the configuration of the random sampler: every parameter drawn independently from its distribution,
/// trial n from the seed derived for trial n. The default sampler of a sweep.
/// </summary>
public sealed class RandomSamplerOptions : SamplerOptions
{
    internal override ISampler CreateSampler() => new RandomSampler();
}
