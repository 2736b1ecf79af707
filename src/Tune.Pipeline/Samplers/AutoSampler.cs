using Tune.Pipeline.SearchSpaces;

namespace Tune.Pipeline.Samplers;

/// <summary>
/// The default sampler: Gaussian-process optimisation where it is strongest, TPE elsewhere.
/// </summary>
/// <remarks>
/// The rule, decided from the search space alone so that every trial of a sweep uses the same sampler:
/// <list type="bullet">
/// <item><description><see cref="GpSampler"/> when the space has at most <see cref="MaxGpParameters"/> parameters, at most half of
/// them choices, and no choice of more than <see cref="MaxGpChoices"/> values. A GP models smooth interactions of a
/// few parameters far better than independent densities (Eggensperger et al., "Towards an empirical foundation for
/// assessing Bayesian optimization of hyperparameters", 2013, found GP-based Spearmint best on low-dimensional
/// continuous problems and TPE and SMAC best on high-dimensional and conditional ones), for the first
/// <see cref="MaxGpTrials"/> finished trials.</description></item>
/// <item><description><see cref="TpeSampler"/> (multivariate) otherwise: large or mostly categorical spaces, where
/// a stationary kernel has little to work with and the Parzen estimators' cost grows only linearly; and in every
/// space once <see cref="MaxGpTrials"/> trials have finished, when the GP's cubic cost outweighs its lead (the
/// switch OptunaHub's AutoSampler makes at the same point).</description></item>
/// </list>
/// </remarks>
internal sealed class AutoSampler : ISampler
{
    public const int MaxGpParameters = 16;
    public const int MaxGpChoices = 32;
    public const int MaxGpTrials = 250;

    private readonly GpSampler _gp = new(new GpSamplerOptions());
    private readonly TpeSampler _tpe = new(new TpeSamplerOptions());

    /// <summary>Decides which sampler the rule picks for a space.</summary>
    public static bool PrefersGp(SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        var choices = space.Parameters.Where(p => p.Kind == ParameterKind.Choice).ToList();
        return space.Count <= MaxGpParameters
            && choices.Count * 2 <= space.Count
            && choices.All(p => p.Choices.Length <= MaxGpChoices);
    }

    /// <inheritdoc/>
    public Configuration? Suggest(SamplerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return PrefersGp(context.Space) && context.History.Count < MaxGpTrials ? _gp.Suggest(context) : _tpe.Suggest(context);
    }
}
