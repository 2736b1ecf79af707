namespace Tune.Pipeline.Samplers;

/// <summary>
/// Maps sampler names, as written on a command line or in a sweep file, to samplers.
/// </summary>
/// <remarks>
/// Names: <c>random</c> (independent draws from each parameter's distribution), <c>tpe</c> (tree-structured Parzen
/// estimator), <c>gp</c> (Gaussian-process Bayesian optimisation) and <c>auto</c>, the default, which picks between
/// the two model-based samplers from the search space: <c>gp</c> for spaces of at most 16 parameters of which at most half are choices, each of at most 32 values, for the first 250 trials; <c>tpe</c> otherwise.
/// </remarks>
public static class SamplerCatalog
{
    /// <summary>The name of the default sampler.</summary>
    public const string DefaultName = "auto";

    private static readonly Dictionary<string, Func<ISampler>> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["random"] = () => new RandomSampler(),
        ["tpe"] = () => new TpeSampler(new TpeSamplerOptions()),
        ["gp"] = () => new GpSampler(new GpSamplerOptions()),
        ["auto"] = () => new AutoSampler(),
    };

    /// <summary>Gets the known sampler names, in a stable order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["auto", "gp", "random", "tpe"];

    /// <summary>Creates the sampler registered under <paramref name="name"/> (case-insensitive), with default options.</summary>
    /// <param name="name">A sampler name such as <c>tpe</c>.</param>
    /// <returns>The sampler.</returns>
    /// <exception cref="ArgumentException">No sampler has that name; the message lists the names and suggests the closest.</exception>
    public static ISampler Create(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Factories.TryGetValue(name, out var factory))
        {
            return factory();
        }

        var suggestion = NameSuggester.Suggest(name, Names);
        var hint = suggestion is null ? string.Empty : $" Did you mean '{suggestion}'?";
        throw new ArgumentException($"Unknown sampler '{name}'.{hint} Use one of: {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>Creates a TPE sampler with the given options.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The sampler.</returns>
    public static ISampler CreateTpe(TpeSamplerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new TpeSampler(options);
    }

    /// <summary>Creates a Gaussian-process sampler with the given options.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The sampler.</returns>
    public static ISampler CreateGp(GpSamplerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new GpSampler(options);
    }
}
