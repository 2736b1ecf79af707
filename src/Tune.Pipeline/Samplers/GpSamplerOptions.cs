using System.ComponentModel.DataAnnotations;

namespace Tune.Pipeline.Samplers;

/// <summary>
/// Configures Gaussian-process Bayesian optimisation (<c>"gp"</c> in <see cref="SamplerCatalog"/>).
/// </summary>
/// <remarks>
/// The seed is not an option: every suggestion takes the seed the sweep derives for its trial, so a sweep is
/// reproducible from its own seed.
/// </remarks>
public sealed class GpSamplerOptions : SamplerOptions
{
    /// <summary>Gets or sets the number of completed trials drawn at random before the model is used.</summary>
    /// <value>The default is 10.</value>
    [Range(1, 1000)]
    public int StartupTrials { get; set; } = 10;

    /// <summary>Gets or sets the largest number of trials the model is fitted to.</summary>
    /// <value>The default is 200.</value>
    /// <remarks>
    /// Fitting costs O(n^3) in the number of points, so beyond this the model keeps the better half of this many
    /// trials by value and the most recent ones for the rest, which bounds the cost of a suggestion however long the
    /// sweep runs.
    /// </remarks>
    [Range(10, 2000)]
    public int MaxPoints { get; set; } = 200;

    /// <summary>Gets or sets the largest number of trials the kernel's hyperparameters are fitted to.</summary>
    /// <value>The default is 64.</value>
    /// <remarks>
    /// Beyond this many completed trials the length scales are fitted to the best quarter of this many and a random
    /// draw from the rest, and the fitted kernel is then applied to all <see cref="MaxPoints"/>; this keeps the
    /// fit, the dominant cost, constant as a sweep grows.
    /// </remarks>
    [Range(8, 2000)]
    public int FitPoints { get; set; } = 64;

    /// <summary>Gets or sets the number of candidate points scored before local optimisation of the acquisition.</summary>
    /// <value>The default is 384: half drawn uniformly, half perturbations of the best trials.</value>
    [Range(16, 1 << 16)]
    public int Candidates { get; set; } = 384;

    /// <summary>Gets or sets the number of best candidates refined by local optimisation.</summary>
    /// <value>The default is 3.</value>
    [Range(1, 64)]
    public int LocalStarts { get; set; } = 3;

    /// <summary>Gets or sets the iteration budget of the hyperparameter fit.</summary>
    /// <value>The default is 15 L-BFGS iterations.</value>
    [Range(1, 1000)]
    public int FitIterations { get; set; } = 15;

    /// <summary>Gets or sets a value indicating whether pending trials (proposed, result not yet known) shape the next suggestion.</summary>
    /// <value>The default is <see langword="true"/>, which spreads the suggestions of trials in flight apart.</value>
    /// <remarks>
    /// Each pending trial enters the model as a fantasised observation at the model's own predicted mean (a kriging
    /// believer), which keeps the prediction and shrinks the uncertainty around it, so the next suggestion goes where
    /// the model still expects to learn. Pending trials also count towards <see cref="StartupTrials"/>, so a sweep with
    /// many trials in flight starts modelling after as many proposals as a sequential one.
    /// </remarks>
    public bool ModelPendingTrials { get; set; } = true;

    /// <inheritdoc/>
    internal override ISampler CreateSampler() => SamplerCatalog.CreateGp(this);

    /// <inheritdoc/>
    internal override IEnumerable<string> Validate(SearchSpaces.SearchSpace space) => SamplerCatalog.ValidateOptions(this);
}
