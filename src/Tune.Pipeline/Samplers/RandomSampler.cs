using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Samplers;

/// <summary>
/// Draws every parameter independently from its own distribution.
/// </summary>
/// <remarks>
/// The draw for trial n depends only on the seed derived for trial n (<see cref="SamplerContext.Seed"/>), so a
/// random sweep is reproducible whatever the order in which trials finish.
/// </remarks>
internal sealed class RandomSampler : ISampler
{
    /// <inheritdoc/>
    public Configuration? Suggest(SamplerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Space.Sample(context.CreateRandom());
    }
}
