using Tune.Pipeline.Samplers;

namespace Tune.Pipeline.Publishing;

/// <summary>
/// Names a sampler the way <see cref="SamplerCatalog"/> does (<c>auto</c>, <c>tpe</c>, ...), so a lock file's sampler
/// can be created again with <see cref="SamplerCatalog.Create"/>; a sampler of the user's own keeps its type name.
/// </summary>
internal static class SamplerNames
{
    private static readonly Lazy<Dictionary<Type, string>> ByType = new(() =>
        SamplerCatalog.Names
            .Select(name => (Type: SamplerCatalog.Create(name).GetType(), Name: name))
            .GroupBy(p => p.Type)
            .ToDictionary(g => g.Key, g => g.First().Name));

    public static string Of(ISampler sampler) =>
        ByType.Value.TryGetValue(sampler.GetType(), out var name) ? name : sampler.GetType().Name;
}
