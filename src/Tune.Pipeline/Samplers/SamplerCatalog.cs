using System.ComponentModel.DataAnnotations;

namespace Tune.Pipeline.Samplers;

/// <summary>
/// Maps sampler names, as written on a command line or in a sweep file, to samplers.
/// </summary>
/// <remarks>
/// Names: <c>random</c> (independent draws from each parameter's distribution), <c>grid</c> (every combination of a
/// discrete space), <c>sobol</c> (scrambled Sobol quasi-random points), <c>tpe</c> (tree-structured Parzen
/// estimator), <c>gp</c> (Gaussian-process Bayesian optimisation) and <c>auto</c>, the default, which picks between
/// the two model-based samplers from the search space: <c>gp</c> for spaces of at most 16 parameters of which at most half are choices, each of at most 32 values, for the first 250 trials; <c>tpe</c> otherwise.
/// </remarks>
public static class SamplerCatalog
{
    /// <summary>The name of the default sampler.</summary>
    public const string DefaultName = "auto";

    private static readonly Dictionary<string, Func<SamplerOptions>> Factories = new(StringComparer.OrdinalIgnoreCase)
    {
        ["auto"] = () => new AutoSamplerOptions(),
        ["gp"] = () => new GpSamplerOptions(),
        ["grid"] = () => new GridSamplerOptions(),
        ["random"] = () => new RandomSamplerOptions(),
        ["sobol"] = () => new SobolSamplerOptions(),
        ["tpe"] = () => new TpeSamplerOptions(),
    };

    /// <summary>Gets the known sampler names, in a stable order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["auto", "gp", "grid", "random", "sobol", "tpe"];

    // Sampler type name to catalog name; the first name wins where two names create the same type.
    private static readonly Lazy<Dictionary<string, string>> NamesByType = new(() =>
        Names.Select(name => (Type: Create(name).GetType().Name, Name: name))
            .GroupBy(p => p.Type, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal));

    /// <summary>Gets the catalog name of a sampler, as lock files and manifests record it.</summary>
    /// <param name="sampler">The sampler.</param>
    /// <returns>Its catalog name, such as <c>tpe</c>; its type's name when the catalog does not create it.</returns>
    public static string NameOf(ISampler sampler)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        return NameOf(sampler.GetType().Name);
    }

    /// <summary>Gets the catalog name of a sampler type's name, as a sweep store records it.</summary>
    /// <param name="samplerTypeName">The sampler type's name, such as <c>TpeSampler</c>.</param>
    /// <returns>Its catalog name; <paramref name="samplerTypeName"/> itself when the catalog does not create that type.</returns>
    public static string NameOf(string samplerTypeName)
    {
        ArgumentNullException.ThrowIfNull(samplerTypeName);
        return NamesByType.Value.TryGetValue(samplerTypeName, out var name) ? name : samplerTypeName;
    }

    /// <summary>Creates the default options of the sampler registered under <paramref name="name"/> (case-insensitive).</summary>
    /// <param name="name">A sampler name such as <c>tpe</c>.</param>
    /// <returns>The options, for <see cref="Sweeps.SweepBuilder.UseSampler(SamplerOptions)"/>.</returns>
    /// <exception cref="ArgumentException">No sampler has that name; the message lists the names and suggests the closest.</exception>
    public static SamplerOptions CreateOptions(string name)
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

    /// <summary>Creates the sampler registered under <paramref name="name"/> (case-insensitive), with default options.</summary>
    /// <param name="name">A sampler name such as <c>tpe</c>.</param>
    /// <returns>The sampler.</returns>
    /// <exception cref="ArgumentException">No sampler has that name; the message lists the names and suggests the closest.</exception>
    public static ISampler Create(string name) => CreateOptions(name).CreateSampler();

    /// <summary>Creates a TPE sampler with the given options.</summary>
    /// <param name="options">The options; they are copied, so later changes do not affect the sampler.</param>
    /// <returns>The sampler.</returns>
    /// <exception cref="ArgumentException">An option is out of range; the message lists every one.</exception>
    public static ISampler CreateTpe(TpeSamplerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options, "TpeSamplerOptions");
        return new TpeSampler(new TpeSamplerOptions
        {
            StartupTrials = options.StartupTrials,
            Candidates = options.Candidates,
            Gamma = options.Gamma,
            MaxGoodTrials = options.MaxGoodTrials,
            Multivariate = options.Multivariate,
            PriorWeight = options.PriorWeight,
            ConstantLiar = options.ConstantLiar,
        });
    }

    /// <summary>Creates a Gaussian-process sampler with the given options.</summary>
    /// <param name="options">The options; they are copied, so later changes do not affect the sampler.</param>
    /// <returns>The sampler.</returns>
    /// <exception cref="ArgumentException">An option is out of range; the message lists every one.</exception>
    public static ISampler CreateGp(GpSamplerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options, "GpSamplerOptions");
        return new GpSampler(new GpSamplerOptions
        {
            StartupTrials = options.StartupTrials,
            MaxPoints = options.MaxPoints,
            FitPoints = options.FitPoints,
            Candidates = options.Candidates,
            LocalStarts = options.LocalStarts,
            FitIterations = options.FitIterations,
            ModelPendingTrials = options.ModelPendingTrials,
        });
    }

    /// <summary>Lists every DataAnnotations range an options object breaks, one sentence each.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The problems; empty when the options are valid.</returns>
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The options types are referenced directly, so their properties are kept.")]
    internal static IEnumerable<string> ValidateOptions(object options)
    {
        var results = new List<ValidationResult>();
        return Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true)
            ? []
            : results.Select(r => $"{options.GetType().Name}: {r.ErrorMessage}");
    }

    private static void Validate(object options, string typeName)
    {
        var problems = ValidateOptions(options).ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"{typeName} is invalid: {string.Join(" ", problems)}", nameof(options));
        }
    }
}
