using System.ComponentModel.DataAnnotations;

namespace Tune.Pipeline.Samplers;

/// <summary>
/// Configures the tree-structured Parzen estimator (<c>"tpe"</c> in <see cref="SamplerCatalog"/>).
/// </summary>
/// <remarks>
/// The seed is not an option: every suggestion takes the seed the sweep derives for its trial, so a sweep is
/// reproducible from its own seed.
/// </remarks>
public sealed class TpeSamplerOptions : SamplerOptions
{
    /// <summary>Gets or sets the number of completed trials drawn at random before the estimators are used.</summary>
    /// <value>The default is 10.</value>
    [Range(1, 10_000)]
    public int StartupTrials { get; set; } = 10;

    /// <summary>Gets or sets the number of candidates drawn from the good-trial density, of which the best ratio wins.</summary>
    /// <value>The default is 24.</value>
    [Range(1, 10_000)]
    public int Candidates { get; set; } = 24;

    /// <summary>Gets or sets the fraction of trials counted as good (gamma).</summary>
    /// <value>The default is 0.1: the best ceil(0.1 n) trials, at most <see cref="MaxGoodTrials"/>.</value>
    [Range(0.01, 0.99)]
    public double Gamma { get; set; } = 0.1;

    /// <summary>Gets or sets the largest number of trials counted as good.</summary>
    /// <value>The default is 25.</value>
    [Range(1, 10_000)]
    public int MaxGoodTrials { get; set; } = 25;

    /// <summary>Gets or sets a value indicating whether one joint kernel per trial is used (multivariate TPE) rather than one density per parameter.</summary>
    /// <value>The default is <see langword="true"/>, which captures interactions between parameters.</value>
    public bool Multivariate { get; set; } = true;

    /// <summary>Gets or sets the weight of the prior component (the parameter's own distribution) in each density.</summary>
    /// <value>The default is 1.0, as one more observation.</value>
    [Range(0.0, 1000.0)]
    public double PriorWeight { get; set; } = 1.0;

    /// <summary>Gets or sets a value indicating whether pending trials count as bad trials (a constant liar).</summary>
    /// <value>The default is <see langword="true"/>, which keeps parallel agents from proposing the same region.</value>
    /// <remarks>Pending trials then also count towards <see cref="StartupTrials"/>, so a sweep with many trials in flight starts modelling after as many proposals as a sequential one.</remarks>
    public bool ConstantLiar { get; set; } = true;

    /// <inheritdoc/>
    internal override ISampler CreateSampler() => SamplerCatalog.CreateTpe(this);

    /// <inheritdoc/>
    internal override IEnumerable<string> Validate(SearchSpaces.SearchSpace space) => SamplerCatalog.ValidateOptions(this);
}
